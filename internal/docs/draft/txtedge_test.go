package draft

import (
	"strings"
	"testing"
)

// TestTextNeverPanics: odd first-page headers (a line starting with a tab
// or a CR, as a real TRILL WG draft's date line does), empty and blank
// files and one huge line give a draft or an error, never a panic.
func TestTextNeverPanics(t *testing.T) {
	for _, in := range []string{
		"\t0", "\r0", "\v0", "\u00a00", "\u20280", "0\r", "",
		" ", "\n\n\n", " \t\r\n\f\n", "\f",
		"Network Working Group\n\t\t\t\t\tJune 2021\n",
		strings.Repeat("x", 1<<20),
		strings.Repeat("a  ", 1<<18),
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("parse %.40q: panic: %v", in, r)
				}
			}()
			d, err := parseString("draft-x-y-00.txt", in, Options{})
			if d == nil && err == nil {
				t.Errorf("parse %.40q: neither a draft nor an error", in)
			}
		}()
	}
}
