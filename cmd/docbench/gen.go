package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/record"
)

// The generated standards body: areas, WGs in them, and n drafts, half
// of them WG documents, with one posted revision each and a text file
// of about 30 KB, the size of a typical draft.

var areas = []string{"art", "gen", "int", "ops", "rtg", "sec", "wit"}

func wgName(i int) string { return fmt.Sprintf("%s%02d", areas[i%len(areas)], i) }

func makeGroups(ctx context.Context, g *groups.Service, wgs int) error {
	if _, err := g.Create(ctx, groups.Operator(record.System), groups.NewGroup{Acronym: "iesg", Name: "IESG", Type: "iesg"}, ""); err != nil {
		return err
	}
	for _, a := range areas {
		if _, err := g.Create(ctx, groups.Operator(record.System), groups.NewGroup{Acronym: a, Name: strings.ToUpper(a) + " Area", Type: "area", Parent: "iesg"}, ""); err != nil {
			return err
		}
	}
	for i := range wgs {
		if _, err := g.Create(ctx, groups.Operator(record.System), groups.NewGroup{Acronym: wgName(i), Name: "Working Group " + wgName(i), Type: "wg",
			Parent: areas[i%len(areas)], ListEmail: wgName(i) + "@ietf.org"}, ""); err != nil {
			return err
		}
	}
	return nil
}

var words = strings.Fields(`transport security routing congestion datagram resolver certificate encrypted
	multipath telemetry registry extension framework requirements architecture signaling privacy
	compression federation discovery authentication provisioning measurement interoperability`)

func draftName(i int, wgs int) string {
	if i%2 == 0 {
		return fmt.Sprintf("draft-ietf-%s-%s%d", wgName(i/2%wgs), words[i%len(words)], i)
	}
	return fmt.Sprintf("draft-author%d-%s%d", i%997, words[i%len(words)], i)
}

func draftTitle(i int) string {
	return fmt.Sprintf("A %s %s for %s Number %d", strings.ToUpper(words[i%len(words)][:1])+words[i%len(words)][1:],
		words[(i/3)%len(words)], words[(i/7)%len(words)], i)
}

// draftText is a plausible plain-text draft of about 30 KB.
func draftText(name, title string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "\n\n\nNetwork Working Group                                         A. Author\nInternet-Draft                                               Example\nIntended status: Standards Track                           1 June 2026\n\n\n%s\n%s-00\n\nAbstract\n\n   This document specifies %s.\n\n", title, name, strings.ToLower(title))
	for s := 1; s <= 12; s++ {
		fmt.Fprintf(&b, "%d.  Section %d\n\n", s, s)
		for p := 0; p < 4; p++ {
			b.WriteString("   The key words \"MUST\" and \"SHOULD\" are to be interpreted as described in\n   BCP 14 [RFC2119] [RFC8174].  This paragraph refers to RFC 9110 and to\n   draft-ietf-quic-transport, and to https://www.example.com/spec for the\n   details of the mechanism; it is long enough to wrap over several lines\n   as real drafts do, which gives the text renderer realistic work.\n\n")
		}
	}
	return []byte(b.String())
}

// insertDrafts writes n drafts with raw multi-row INSERTs, 400 rows a
// statement, all in one transaction: the doc, its author, a posted
// revision and the submission that holds its text.
func insertDrafts(ctx context.Context, d *db.DB, n, wgs int) error {
	gid := map[string]int64{}
	rows, err := d.QueryContext(ctx, `SELECT id, acronym FROM grp WHERE type = 'wg'`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var a string
		rows.Scan(&id, &a)
		gid[a] = id
	}
	rows.Close()
	now := time.Now().UTC()
	const batch = 400
	const base = 1_000_000
	return d.Write(ctx, func(tx *db.Tx) error {
		for lo := 0; lo < n; lo += batch {
			hi := min(lo+batch, n)
			var subs, docs, auth, revs []any
			for i := lo; i < hi; i++ {
				id := int64(base + i)
				name, title := draftName(i, wgs), draftTitle(i)
				var g any
				wgState := ""
				if i%2 == 0 {
					g, wgState = gid[wgName(i/2%wgs)], "wg-doc"
				}
				posted := now.Add(-time.Duration(i%150) * 24 * time.Hour)
				subs = append(subs, id, name, "00", title, "posted", "{}", draftText(name, title), posted, posted)
				docs = append(docs, id, name, "draft", "00", title, "This document specifies "+strings.ToLower(title)+".", g, "ps", "ietf", "active",
					wgState, "", 12, posted.Format("2006-01-02"), posted, posted.Add(185*24*time.Hour), posted, posted)
				auth = append(auth, id, 0, fmt.Sprintf("Author %d", i%997), "Example", fmt.Sprintf("author%d@example.com", i%997))
				revs = append(revs, id, "00", title, posted.Format("2006-01-02"), 12, "[]", id, posted)
			}
			for _, q := range []struct {
				sql  string
				cols int
				args []any
			}{
				{`INSERT INTO submission (id, name, rev, title, state, meta, txt, created, updated) VALUES `, 9, subs},
				{`INSERT INTO doc (id, name, type, rev, title, abstract, group_id, std_level, stream, state, wg_state, iesg_state, pages, doc_date, posted, expires, created, updated) VALUES `, 18, docs},
				{`INSERT INTO doc_author (doc_id, ord, name, organization, email) VALUES `, 5, auth},
				{`INSERT INTO doc_rev (doc_id, rev, title, doc_date, pages, authors, submission_id, posted) VALUES `, 8, revs},
			} {
				if _, err := tx.ExecContext(ctx, q.sql+db.Values(len(q.args)/q.cols, q.cols), q.args...); err != nil {
					return fmt.Errorf("%.40s: %w", q.sql, err)
				}
			}
		}
		return nil
	})
}
