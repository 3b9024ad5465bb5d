//go:build race

package main

// raceEnabled: the race detector makes the 11,000-message corpus file
// too slow for one test package, so the corpus test leaves it out.
const raceEnabled = true
