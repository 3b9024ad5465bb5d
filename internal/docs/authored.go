package docs

import (
	"context"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// Work is a document that counts toward NomCom eligibility by authorship
// (R47), with one of its front-page authors who has an account.
type Work struct {
	PersonID int64
	Name     string // rfcN, or the draft's name when it was in the RFC Editor queue
	Title    string
	Kind     string    // "rfc" or "queue"
	Date     time.Time // published, or entered the RFC Editor queue
}

// IETFWorks lists the IETF-stream RFCs published in [from, to], and the
// IETF-stream drafts that entered the RFC Editor queue in [from, to] and
// were not yet published by to, each once per author with an account:
// named on the front page by account or by one of the account's
// addresses. An RFC hum published from a draft is IETF-stream even when
// the draft named no stream: only the IESG's approval puts a draft in
// the queue. RFCs from the RFC index name their authors only by name,
// which matches no account, so they do not count here.
func (s *Service) IETFWorks(ctx context.Context, from, to time.Time, personID int64) (ws []Work, err error) {
	defer fail.Wrap(&err, "docs.IETFWorks(%s, %s)", from.Format(time.DateOnly), to.Format(time.DateOnly))
	var w db.Where
	fromArg, toArg := w.Arg(from), w.Arg(to)
	person := ""
	if personID != 0 {
		person = " AND a.person_id = " + w.Arg(personID)
	}
	// The authors: by account, or by an address of an account.
	authors := `(SELECT doc_id, person_id FROM doc_author WHERE person_id IS NOT NULL
		UNION SELECT x.doc_id, pa.person_id FROM doc_author x JOIN person_address pa ON pa.address = x.email WHERE x.email <> '')`
	ws, err = db.Query(ctx, s.DB, func(row db.Scanner) (w Work, err error) {
		err = row.Scan(&w.PersonID, &w.Name, &w.Title, &w.Kind, &w.Date)
		return w, err
	}, `SELECT a.person_id, d.name, d.title, 'rfc', d.posted FROM doc d JOIN `+authors+` a ON a.doc_id = d.id
		WHERE d.type = 'rfc' AND d.posted >= `+fromArg+` AND d.posted <= `+toArg+person+`
			AND (d.stream = 'ietf' OR (d.stream = '' AND EXISTS (SELECT 1 FROM doc x WHERE x.type = 'draft' AND x.rfc_number = d.rfc_number)))
		UNION
		SELECT a.person_id, d.name, d.title, 'queue', e.at FROM doc d JOIN `+authors+` a ON a.doc_id = d.id
			JOIN event e ON e.subject_type = 'doc' AND e.subject = d.name AND e.kind = 'iesg_state'
				AND e.summary LIKE 'IESG state changed to RFC Ed Queue%'
		WHERE d.type = 'draft' AND e.at >= `+fromArg+` AND e.at <= `+toArg+person+` AND d.stream IN ('ietf', '')
			AND NOT EXISTS (SELECT 1 FROM doc r WHERE r.type = 'rfc' AND r.rfc_number = d.rfc_number AND r.posted <= `+toArg+`)
		ORDER BY 1, 5, 2`, w.Args...)
	if err != nil {
		return nil, err
	}
	// A draft that entered the queue more than once counts once, at its
	// latest entry (SQLite returns MAX of a timestamp as text, so the
	// latest is found here).
	type key struct {
		person int64
		name   string
	}
	at := map[key]int{}
	out := ws[:0]
	for _, w := range ws {
		k := key{w.PersonID, w.Name}
		if i, ok := at[k]; ok {
			out[i] = w
			continue
		}
		at[k] = len(out)
		out = append(out, w)
	}
	return out, nil
}
