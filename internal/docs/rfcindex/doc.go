// Package rfcindex reads the RFC Editor's rfc-index.txt: one entry per
// RFC number with title, authors, date, formats, relations (obsoletes,
// updates and their inverses), sub-series (STD/BCP/FYI), status and DOI.
//
// The reader streams: it holds one entry at a time, so importing the
// whole index (about 2 MB, 10,000 entries) needs little memory. It does
// not touch the database; the importer stores what it yields.
package rfcindex
