package docs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/docs/rfcindex"
	"hum/internal/fail"
	"hum/internal/record"
)

// ImportCounts says what an rfc-index import did.
type ImportCounts struct {
	Entries   int // entries read
	NotIssued int // numbers never published, skipped
	Added     int
	Updated   int
	Unchanged int
	Kept      []int // numbers hum published itself, which the index does not overwrite
	Relations int   // relations newly recorded
	Series    int   // sub-series memberships newly recorded
}

func (c ImportCounts) String() string {
	s := fmt.Sprintf("%d entries: %d RFCs added, %d updated, %d unchanged, %d not issued; %d new relations, %d new STD/BCP/FYI memberships",
		c.Entries, c.Added, c.Updated, c.Unchanged, c.NotIssued, c.Relations, c.Series)
	if len(c.Kept) > 0 {
		var ns []string
		for _, n := range c.Kept {
			ns = append(ns, fmt.Sprintf("RFC %d", n))
		}
		s += fmt.Sprintf("; not overwritten, as hum published them itself and the import did not create them: %s", strings.Join(ns, ", "))
	}
	return s
}

// batchOf is how many rows go in one multi-row INSERT: few round trips,
// well under both engines' limits on bound parameters. SQLite looks $N
// names up in a list, so its cost grows with the square of the
// parameters in one statement: it gets smaller batches.
func batchOf(tx *db.Tx) int {
	if tx.Dialect == db.SQLite {
		return 25
	}
	return 400
}

// ImportIndex loads the RFC Editor's index in one transaction. It
// compares each entry with what is stored, so a re-import only writes
// what changed; each added or changed RFC gets an event. Relations are
// recorded in both directions whichever side of the index states them.
// An RFC that hum published (Publish) is not the import's: its entry,
// and the relations and series the index gives that number, are left
// out and listed in Kept, so an index that gives the number to another
// RFC (the demo's RFC 9999 and the real one) does not mix the two.
func (s *Service) ImportIndex(ctx context.Context, entries []rfcindex.Entry) (c ImportCounts, err error) {
	defer fail.Wrap(&err, "docs.ImportIndex")
	c.Entries = len(entries)
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		have, err := storedRFCs(ctx, tx)
		if err != nil {
			return err
		}
		ours, err := publishedHere(ctx, tx)
		if err != nil {
			return err
		}
		var changed, theirs []rfcindex.Entry
		for _, e := range entries {
			if ours[e.Number] {
				c.Kept = append(c.Kept, e.Number)
				continue
			}
			theirs = append(theirs, e)
			switch {
			case e.NotIssued:
				c.NotIssued++
			case have[e.Number] == "":
				c.Added++
				changed = append(changed, e)
			case have[e.Number] != fingerprint(e):
				c.Updated++
				changed = append(changed, e)
			default:
				c.Unchanged++
			}
		}
		for i, batch := 0, batchOf(tx); i < len(changed); i += batch {
			if err := upsertRFCs(ctx, tx, changed[i:min(i+batch, len(changed))], have); err != nil {
				return err
			}
		}
		if c.Relations, err = insertRelations(ctx, tx, theirs, ours); err != nil {
			return err
		}
		c.Series, err = insertSeries(ctx, tx, theirs)
		return err
	})
	return c, err
}

// fingerprint is what the import compares; it reads the same from an
// entry and from the stored row.
func fingerprint(e rfcindex.Entry) string {
	return strings.Join([]string{e.Title, levelOfStatus(e.Status), streamOf(e.Stream), entryDate(e), strings.Join(e.Authors, ";")}, "|")
}

// publishedHere is the numbers of the RFCs hum published: a draft holds
// the number once Publish has made it an RFC; the import never sets it.
func publishedHere(ctx context.Context, tx *db.Tx) (map[int]bool, error) {
	ns, err := db.Query(ctx, tx, db.Scalar[int], `SELECT rfc_number FROM doc WHERE type = 'draft' AND rfc_number IS NOT NULL`)
	out := map[int]bool{}
	for _, n := range ns {
		out[n] = true
	}
	return out, err
}

func storedRFCs(ctx context.Context, tx *db.Tx) (map[int]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT d.rfc_number, d.title, d.std_level, d.stream, d.doc_date, COALESCE(a.name, '')
		FROM doc d LEFT JOIN doc_author a ON a.doc_id = d.id WHERE d.type = 'rfc' ORDER BY d.rfc_number, a.ord`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	parts := map[int][]string{}
	head := map[int]string{}
	for rows.Next() {
		var n int
		var title, level, stream, date, author string
		if err := rows.Scan(&n, &title, &level, &stream, &date, &author); err != nil {
			return nil, err
		}
		head[n] = strings.Join([]string{title, level, stream, date}, "|")
		if author != "" {
			parts[n] = append(parts[n], author)
		}
	}
	out := make(map[int]string, len(head))
	for n, h := range head {
		out[n] = h + "|" + strings.Join(parts[n], ";")
	}
	return out, rows.Err()
}

func entryDate(e rfcindex.Entry) string {
	if e.Day > 0 {
		return fmt.Sprintf("%04d-%02d-%02d", e.Year, int(e.Month), e.Day)
	}
	return fmt.Sprintf("%04d-%02d", e.Year, int(e.Month))
}

func streamOf(s string) string {
	switch strings.ToUpper(s) {
	case "IETF":
		return "ietf"
	case "IAB":
		return "iab"
	case "IRTF":
		return "irtf"
	case "INDEPENDENT":
		return "ise"
	case "LEGACY":
		return "legacy"
	case "EDITORIAL":
		return "editorial"
	}
	return strings.ToLower(s)
}

func upsertRFCs(ctx context.Context, tx *db.Tx, es []rfcindex.Entry, have map[int]string) error {
	var args []any
	for _, e := range es {
		posted := time.Date(e.Year, e.Month, max(e.Day, 1), 0, 0, 0, 0, time.UTC)
		args = append(args, RFCName(e.Number), "rfc", "published", e.Title, levelOfStatus(e.Status), streamOf(e.Stream),
			e.Number, e.Pages, entryDate(e), posted, tx.Now, tx.Now)
	}
	rows, err := tx.QueryContext(ctx, `INSERT INTO doc (name, type, state, title, std_level, stream, rfc_number, pages, doc_date, posted, created, updated)
		VALUES `+db.Values(len(es), 12)+`
		ON CONFLICT (name) DO UPDATE SET title = excluded.title, std_level = excluded.std_level, stream = excluded.stream,
			pages = excluded.pages, doc_date = excluded.doc_date, posted = excluded.posted, updated = excluded.updated
		RETURNING id, rfc_number`, args...)
	if err != nil {
		return err
	}
	ids := map[int]int64{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return err
		}
		ids[n] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var del []string
	var aargs []any
	var events []record.Change
	nauth := 0
	for _, e := range es {
		id := ids[e.Number]
		del = append(del, fmt.Sprint(id))
		for i, a := range e.Authors {
			aargs = append(aargs, id, i, a)
			nauth++
		}
		kind, summary := "rfc_imported", fmt.Sprintf("RFC %d imported from the RFC index: %s", e.Number, e.Title)
		if have[e.Number] != "" {
			kind, summary = "rfc_updated", fmt.Sprintf("RFC %d updated from the RFC index", e.Number)
		}
		events = append(events, record.Change{Actor: record.System, SubjectType: "doc", Subject: RFCName(e.Number), Kind: kind, Summary: summary})
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM doc_author WHERE doc_id IN (`+strings.Join(del, ",")+`)`); err != nil {
		return err
	}
	for i, batch := 0, batchOf(tx); i < nauth; i += batch {
		part := aargs[i*3 : min(i+batch, nauth)*3]
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc_author (doc_id, ord, name) VALUES `+db.Values(len(part)/3, 3), part...); err != nil {
			return err
		}
	}
	return record.AddAll(ctx, tx, events)
}

// insertRelations records every relation the index states, from either
// side, skipping ones already stored and any that touch an RFC in ours.
func insertRelations(ctx context.Context, tx *db.Tx, es []rfcindex.Entry, ours map[int]bool) (int, error) {
	type rel struct{ src, typ, dst string }
	seen := map[rel]bool{}
	var all []rel
	add := func(src int, typ string, dst int) {
		r := rel{RFCName(src), typ, RFCName(dst)}
		if !seen[r] && !ours[src] && !ours[dst] {
			seen[r] = true
			all = append(all, r)
		}
	}
	for _, e := range es {
		for _, n := range e.Obsoletes {
			add(e.Number, "obs", n)
		}
		for _, n := range e.ObsoletedBy {
			add(n, "obs", e.Number)
		}
		for _, n := range e.Updates {
			add(e.Number, "updates", n)
		}
		for _, n := range e.UpdatedBy {
			add(n, "updates", e.Number)
		}
	}
	total := 0
	for i, batch := 0, batchOf(tx); i < len(all); i += batch {
		part := all[i:min(i+batch, len(all))]
		var args []any
		for _, r := range part {
			args = append(args, r.src, r.typ, r.dst)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO doc_relation (source, type, target) VALUES `+db.Values(len(part), 3)+` ON CONFLICT DO NOTHING`, args...)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += int(n)
	}
	return total, nil
}

func insertSeries(ctx context.Context, tx *db.Tx, es []rfcindex.Entry) (int, error) {
	var args []any
	rows := 0
	for _, e := range es {
		for _, a := range e.Also {
			args = append(args, strings.ToLower(a.String()), RFCName(e.Number))
			rows++
		}
	}
	total := 0
	for i, batch := 0, batchOf(tx); i < rows; i += batch {
		part := args[i*2 : min(i+batch, rows)*2]
		res, err := tx.ExecContext(ctx, `INSERT INTO doc_series (series, doc_id)
			SELECT v.column1, d.id FROM (VALUES `+db.Values(len(part)/2, 2)+`) AS v JOIN doc d ON d.name = v.column2
			WHERE true ON CONFLICT DO NOTHING`, part...)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += int(n)
	}
	return total, nil
}
