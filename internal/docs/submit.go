package docs

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/docs/draft"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
	"hum/internal/secrets"
)

// Upload is what an author sends: an XML and/or a text file.
type Upload struct {
	XML, TXT         []byte
	XMLName, TXTName string // file names as uploaded
	Replaces         string // optional, comma-separated draft names
}

// Submitter is who sends an upload. A logged-in person has PersonID and
// their confirmed addresses in Emails; an API caller only gives an
// address ("user") and is not trusted to be anyone until confirmed.
type Submitter struct {
	groups.Actor          // who, with their roles; zero for someone without an account
	Email        string   // the address they submit as
	Emails       []string // every address of their account
}

func (w Submitter) actor() record.Actor {
	if w.ID == 0 {
		return record.Actor{Name: w.Email}
	}
	return w.Actor.Actor
}

// Submission is an upload on its way to becoming a revision.
type Submission struct {
	ID        int64
	Name      string
	Rev       string
	Title     string
	State     string // auth, grp-appr, posted, cancel
	Meta      Meta
	Replaces  []string
	Submitter string
	Created   time.Time
	Updated   time.Time
	HasXML    bool
	HasTXT    bool
}

// Meta is what was read from the files, kept so posting needs no re-parse.
type Meta struct {
	Abstract   string            `json:"abstract"`
	Authors    []Author          `json:"authors"`
	DocDate    string            `json:"date"`
	Pages      int               `json:"pages"`
	StdLevel   string            `json:"std_level,omitempty"`
	Stream     string            `json:"stream,omitempty"`
	Obsoletes  []int             `json:"obsoletes,omitempty"`
	Updates    []int             `json:"updates,omitempty"`
	References []draft.Reference `json:"references,omitempty"`
	Format     string            `json:"format"`
}

// SubmissionStates name the states of a submission, Datatracker slugs.
var SubmissionStates = []Name{
	{"auth", "Awaiting submitter authentication"},
	{"grp-appr", "Awaiting approval from previous version authors or group chair"},
	{"posted", "Posted"},
	{"cancel", "Cancelled"},
}

// SubmissionStateName is the display name of a submission state.
func SubmissionStateName(s string) string { return nameOr(SubmissionStates, s, s) }

// ruleOf names, in words an author understands, the rule behind a code.
func ruleOf(c draft.Code) string {
	s := string(c)
	switch {
	case strings.HasPrefix(s, "name-"):
		return "Name rule"
	case strings.HasPrefix(s, "rev-"), c == draft.CodeReplaced:
		return "Revision rule"
	case strings.HasPrefix(s, "date-"):
		return "Date rule"
	case strings.HasPrefix(s, "xml-"):
		return "XML rule"
	case c == draft.CodeGroupUnknown:
		return "Group rule"
	case c == draft.CodeTooLarge:
		return "Size limit"
	case c == draft.CodeNotUTF8:
		return "Encoding rule"
	case c == draft.CodeTitleMissing, c == draft.CodeAbstractMiss, c == draft.CodeAuthorMissing, c == draft.CodeEmailMissing:
		return "Required content"
	}
	return "File rule"
}

// reject turns the draft package's problems into a refused submission:
// a fail.Error whose Problems each carry a stable code and the rule in
// plain words. Nothing was stored, and no revision was used up.
func reject(err error) error {
	var v verdict
	v.add(err)
	return v.result()
}

// verdict collects every rule a submission breaks, so that one answer
// lists them all, as the Datatracker's does, rather than one per attempt.
type verdict struct {
	problems []*fail.Error
	err      error // not the author's fault (a bug, an I/O failure); it wins
}

// add takes the draft package's problems. An error that holds none, or an
// internal one, is kept as the verdict's failure instead.
func (v *verdict) add(err error) {
	if err == nil || v.err != nil {
		return
	}
	ps := draft.Problems(err)
	if len(ps) == 0 {
		v.err = err
		return
	}
	for _, p := range ps {
		if p.Code == draft.CodeInternal {
			v.err = err
			return
		}
	}
	for _, p := range ps {
		msg := ruleOf(p.Code) + ": " + p.Msg
		if p.Line > 0 {
			msg += fmt.Sprintf(" (%s, line %d)", p.Arg, p.Line)
		}
		v.problems = append(v.problems, fail.Problem(string(p.Code), ruleOf(p.Code), msg+"."))
	}
}

// rule adds a problem found outside the draft package.
func (v *verdict) rule(code, rule, format string, args ...any) {
	v.problems = append(v.problems, fail.Problem(code, rule, rule+": "+fmt.Sprintf(format, args...)))
}

// result is nil when nothing was found, the failure when there was one,
// and otherwise one refusal carrying every problem.
func (v *verdict) result() error {
	if v.err != nil {
		return v.err
	}
	if len(v.problems) == 0 {
		return nil
	}
	msgs := make([]string, len(v.problems))
	for i, p := range v.problems {
		msgs[i] = p.Message
	}
	return fail.Join(fail.Invalid, v.problems, "The submission was not accepted: %s", strings.Join(msgs, " "))
}

// resolver finds referenced documents among hum's own.
type resolver struct {
	ctx context.Context
	q   db.Querier
}

// Resolve describes a referenced RFC or draft from hum's own records:
// title, front-page authors, date and sub-series, as a bibxml entry would.
func (r resolver) Resolve(doc string) (draft.Resolved, bool) {
	var x draft.Resolved
	var id int64
	err := r.q.QueryRowContext(r.ctx, `SELECT id, title, doc_date FROM doc WHERE name = $1`, doc).Scan(&id, &x.Title, &x.Date)
	if err != nil {
		return x, false
	}
	as, err := authors(r.ctx, r.q, id)
	if err != nil {
		return x, false
	}
	for _, a := range as {
		x.Authors = append(x.Authors, a.Name)
	}
	series, err := db.Query(r.ctx, r.q, db.Scalar[string], `SELECT series FROM doc_series WHERE doc_id = $1 ORDER BY series`, id)
	if err != nil {
		return x, false
	}
	for _, s := range series { // "bcp14" is shown "BCP 14"
		if i := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' }); i > 0 {
			x.Series = append(x.Series, strings.ToUpper(s[:i])+" "+s[i:])
		}
	}
	return x, true
}

// read parses and validates the upload against every rule that needs no
// stored data, adding each problem to v. With both files, the XML gives
// the metadata and the text must name the same draft and revision; when
// one file cannot be read the other still is, so its problems are found
// too. It returns nil when neither file could be read.
func (s *Service) read(ctx context.Context, u Upload, today draft.Date, v *verdict) *draft.Draft {
	if len(u.XML) == 0 && len(u.TXT) == 0 {
		v.rule("no-file", "File rule", "upload the draft as an .xml (RFCXML) file, a .txt file, or both")
		return nil
	}
	opt := draft.Options{Today: today, Resolver: resolver{ctx, s.DB}}
	var d, t *draft.Draft
	if len(u.XML) > 0 {
		localEntities(u.XML, v)
		x, err := draft.Parse(fileName(u.XMLName, ".xml"), bytes.NewReader(u.XML), opt)
		if err != nil {
			v.add(err)
		} else {
			v.add(x.Validate(draft.Check{FileName: checkable(u.XMLName, ".xml"), Today: today}))
			d = x
		}
	}
	if len(u.TXT) > 0 {
		x, err := draft.Parse(fileName(u.TXTName, ".txt"), bytes.NewReader(u.TXT), opt)
		if err != nil {
			v.add(err)
		} else {
			if d == nil {
				v.add(x.Validate(draft.Check{FileName: checkable(u.TXTName, ".txt"), Today: today}))
				d = x
			}
			t = x
		}
	}
	if t != nil && d != t && (t.Name != d.Name || t.Rev != d.Rev) {
		v.rule(string(draft.CodeNameMismatch), "Name rule",
			"the XML file is %s-%s but the text file is %s-%s; upload two renderings of the same revision", d.Name, d.Rev, t.Name, t.Rev)
	}
	if d != nil && d.Pages == 0 && t != nil {
		d.Pages = t.Pages
	}
	return d
}

var externalEntity = regexp.MustCompile(`<!ENTITY\s+(?:%\s+)?([^\s"'>]+)\s+(?:SYSTEM|PUBLIC\s+(?:"[^"]*"|'[^']*'))\s+(?:"([^"]*)"|'([^']*)')`)

// localEntities refuses an external entity that names anything but an
// http(s) address. The parser never reads such files (they would come out
// empty), but an author who wrote one meant to include something, and an
// attacker meant to read hum's disk (XXE): both deserve a clear no.
func localEntities(xml []byte, v *verdict) {
	head := xml
	if i := bytes.Index(head, []byte("<rfc")); i > 0 {
		head = head[:i]
	}
	for _, m := range externalEntity.FindAllSubmatch(head, -1) {
		uri := string(m[2]) + string(m[3])
		if !strings.HasPrefix(uri, "https://") && !strings.HasPrefix(uri, "http://") {
			v.rule("xml-local-entity", "XML rule",
				"the entity %q points at %q, a file on the server; hum never reads its own files into a draft. Refer to references by an https address (such as https://bib.ietf.org/...) or put them in the XML", m[1], uri)
		}
	}
}

// fileName gives the parser a name with the right extension, whatever
// the upload was called, so the format follows the form field.
func fileName(name, ext string) string {
	if strings.HasSuffix(strings.ToLower(name), ext) {
		return name
	}
	return strings.TrimSuffix(name, ".") + ext
}

// checkable returns the name to hold against the document's own name:
// only an upload named like a draft (draft-...) is held to it, so a tool
// that sends "draft.xml" or stdin is not refused for its temp-file name.
func checkable(name, ext string) string {
	base := strings.ToLower(name)
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if !strings.HasPrefix(base, "draft-") || !strings.HasSuffix(base, ext) {
		return ""
	}
	return base
}

// Submit checks an upload and stores it as a submission. Depending on who
// sends it, it is posted at once (a logged-in author; a WG chair for the
// group's -00), waits for a WG chair's approval (draft-ietf-{wg}-...-00),
// or waits for an author to confirm by the mailed link. For a revision
// after the first, the authors are those of the previous revision
// (approversOf), not those the upload names.
func (s *Service) Submit(ctx context.Context, u Upload, who Submitter) (sub Submission, err error) {
	defer fail.Wrap(&err, "docs.Submit(%q)", who.Email)
	now := s.DB.Now().UTC()
	if err := s.checkCutoff(ctx, now, who); err != nil {
		return sub, err
	}
	var v verdict
	d := s.read(ctx, u, draft.DateOf(now), &v)
	if d == nil || v.err != nil {
		return sub, v.result()
	}
	meta := Meta{Abstract: d.Abstract, DocDate: d.Date.Complete(draft.DateOf(now)).String(), Pages: d.Pages,
		StdLevel: levelOfCategory(d.Category), Stream: d.Stream, Obsoletes: d.Obsoletes, Updates: d.Updates,
		References: d.References, Format: string(d.Format)}
	for _, a := range d.Authors {
		meta.Authors = append(meta.Authors, Author{Name: a.Name, ASCIIName: a.ASCIIName, Organization: a.Organization, Email: strings.ToLower(a.Email)})
	}
	replaces := parseReplaces(u.Replaces, d.Name, &v)
	sub = Submission{Name: d.Name, Rev: d.Rev, Title: d.Title, Meta: meta, Replaces: replaces,
		Submitter: strings.ToLower(who.Email), HasXML: len(u.XML) > 0, HasTXT: len(u.TXT) > 0}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		g, err := s.checkStored(ctx, tx, sub, &v)
		if err != nil {
			return err
		}
		if err := v.result(); err != nil {
			return err
		}
		if err := s.checkPending(ctx, tx, sub.Name); err != nil {
			return err
		}
		ok, err := s.approversOf(ctx, tx, sub)
		if err != nil {
			return err
		}
		sub.State = "auth"
		switch {
		case g.ID != 0 && sub.Rev == "00" && !(who.Secretariat() || who.Leads(g)):
			sub.State = "grp-appr"
		case g.ID != 0 && sub.Rev == "00":
			sub.State = "posted"
		case ok.include(who):
			sub.State = "posted"
		}
		secret, hash := "", ""
		if sub.State == "auth" {
			secret, hash = secrets.New()
		}
		if err := insertSubmission(ctx, tx, &sub, u, who, hash); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, who.actor(), "doc", sub.Name, "submission_uploaded",
			fmt.Sprintf("Submission %d of %s-%s uploaded by %s", sub.ID, sub.Name, sub.Rev, who.actor()), ""); err != nil {
			return err
		}
		switch sub.State {
		case "posted":
			return s.post(ctx, tx, sub, who.actor(), g)
		case "grp-appr":
			return s.askChairs(ctx, tx, sub, g)
		}
		return s.askAuthors(ctx, tx, sub, ok, secret)
	})
	return sub, err
}

// parseReplaces reads the Replaces field, adding a problem to v for each
// name that cannot be replaced; only good names are returned.
func parseReplaces(field, self string, v *verdict) []string {
	var out []string
	for _, f := range strings.FieldsFunc(field, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		n := BaseName(f)
		switch {
		case n == self:
			v.rule("replaces-self", "Replaces rule", "a draft cannot replace itself")
		case draft.CheckName(n) != nil:
			v.rule("replaces-name", "Replaces rule", "%q is not a draft name", f)
		case !slices.Contains(out, n):
			out = append(out, n)
		}
	}
	return out
}

// checkStored applies the rules that need what hum holds, adding each
// problem to v: the revision sequence, the group named by the draft and
// the drafts it replaces. A name that breaks the naming rules (already
// reported) is not looked up. The error is for failures, not problems.
func (s *Service) checkStored(ctx context.Context, tx *db.Tx, sub Submission, v *verdict) (groups.Group, error) {
	var g groups.Group
	if draft.CheckName(sub.Name) != nil {
		return g, nil
	}
	var prev, state string
	err := tx.QueryRowContext(ctx, `SELECT rev, state FROM doc WHERE name = $1 AND type = 'draft'`, sub.Name).Scan(&prev, &state)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return g, err
	}
	switch {
	case state == "rfc":
		v.rule(string(draft.CodeRevReused), "Revision rule", "%s has been published as an RFC, so it cannot get new revisions", sub.Name)
	case draft.CheckRev(sub.Rev) == nil: // a malformed revision is Validate's to report
		v.add(draft.CheckRevision(prev, exists, state == "repl", sub.Rev))
	}
	if gr := draft.GroupOf(sub.Name); gr.Acronym != "" {
		var err error
		g, err = s.Groups.Get(ctx, gr.Acronym)
		switch {
		case fail.KindOf(err) == fail.NotFound || err == nil && g.Type != string(gr.Kind):
			v.add(draft.CheckGroup(sub.Name, func(string) bool { return false }))
		case err != nil:
			return g, err
		}
	}
	for _, r := range sub.Replaces {
		var rstate, rtype string
		err := tx.QueryRowContext(ctx, `SELECT state, type FROM doc WHERE name = $1`, r).Scan(&rstate, &rtype)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.rule("replaces-unknown", "Replaces rule", "%s is not a draft hum knows, so this draft cannot replace it", r)
		case err != nil:
			return g, err
		case rtype != "draft" || rstate == "rfc":
			v.rule("replaces-rfc", "Replaces rule", "%s has been published as an RFC; a draft cannot replace it (an RFC is obsoleted instead)", r)
		}
	}
	return g, nil
}

// checkPending refuses a second submission of a draft while one waits.
func (s *Service) checkPending(ctx context.Context, tx *db.Tx, name string) error {
	var pending int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM submission WHERE name = $1 AND state IN ('auth', 'grp-appr') ORDER BY id LIMIT 1`, name).Scan(&pending)
	if err == nil {
		return fail.Join(fail.Conflict, []*fail.Error{fail.Problem("pending", "One at a time", fmt.Sprintf("One at a time: submission %d of %s is still waiting for confirmation or approval; confirm or cancel it first.", pending, name))},
			"Submission %d of %s is still waiting for confirmation or approval. Confirm or cancel it first (its status page has a Cancel button).", pending, name)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

func insertSubmission(ctx context.Context, tx *db.Tx, sub *Submission, u Upload, who Submitter, hash string) error {
	meta, err := json.Marshal(sub.Meta)
	if err != nil {
		return err
	}
	var by sql.NullInt64
	if who.ID != 0 {
		by = sql.NullInt64{Int64: who.ID, Valid: true}
	}
	sub.Created, sub.Updated = tx.Now, tx.Now
	return tx.QueryRowContext(ctx, `INSERT INTO submission (name, rev, title, state, meta, replaces, submitter, submitter_id, token_hash, xml, txt, created, updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		sub.Name, sub.Rev, sub.Title, sub.State, string(meta), strings.Join(sub.Replaces, ","), sub.Submitter, by, hash,
		nilIfEmpty(u.XML), nilIfEmpty(u.TXT), tx.Now).Scan(&sub.ID)
}

func nilIfEmpty(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

const subCols = `id, name, rev, title, state, meta, replaces, submitter, created, updated, xml IS NOT NULL, txt IS NOT NULL`

func scanSubmission(row interface{ Scan(...any) error }) (Submission, error) {
	var sub Submission
	var meta, repl string
	err := row.Scan(&sub.ID, &sub.Name, &sub.Rev, &sub.Title, &sub.State, &meta, &repl, &sub.Submitter, &sub.Created, &sub.Updated, &sub.HasXML, &sub.HasTXT)
	if err != nil {
		return sub, err
	}
	if repl != "" {
		sub.Replaces = strings.Split(repl, ",")
	}
	return sub, json.Unmarshal([]byte(meta), &sub.Meta)
}

// GetSubmission returns one submission.
func (s *Service) GetSubmission(ctx context.Context, id int64) (Submission, error) {
	return s.getSubmission(ctx, s.DB, id)
}

func (s *Service) getSubmission(ctx context.Context, q db.Querier, id int64) (Submission, error) {
	sub, err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+subCols+` FROM submission WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fail.New(fail.NotFound, "There is no submission %d.", id)
	}
	return sub, err
}

// Pending lists submissions waiting for confirmation or approval, for
// the secretariat and chairs.
func (s *Service) Pending(ctx context.Context) ([]Submission, error) {
	return db.Query(ctx, s.DB, scanSubmission, `SELECT `+subCols+` FROM submission WHERE state IN ('auth', 'grp-appr') ORDER BY id`)
}
