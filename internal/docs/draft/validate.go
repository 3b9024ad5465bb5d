package draft

import (
	"errors"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Check holds the facts Validate compares the document with.
type Check struct {
	FileName string // uploaded file name; "" skips the name-match rule
	Today    Date   // the server's date; zero skips the date rule
}

// MaxDateSkew is how far the document date may be from today, in days,
// to allow for time zones and for authors finishing late at night.
const MaxDateSkew = 3

// Validate applies every submission rule that needs no stored data and
// returns all violations at once (joined), so an author can fix them in
// one go. Use Problems or Codes to list them.
func (d *Draft) Validate(c Check) (err error) {
	const op = "draft.Validate"
	var errs []error
	add := func(e error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	add(CheckName(d.Name))
	if d.Name != "" {
		add(CheckRev(d.Rev))
	}
	if c.FileName != "" && d.Name != "" {
		add(CheckFileName(c.FileName, d.Name, d.Rev))
	}
	if !c.Today.IsZero() {
		add(CheckDate(d.Date, c.Today))
	}
	add(d.checkContent())
	for _, e := range Problems(errors.Join(errs...)) {
		if e.Op == "" {
			e.Op, e.Arg = op, d.Name
		}
	}
	return errors.Join(errs...)
}

func (d *Draft) checkContent() error {
	var errs []error
	if strings.TrimSpace(d.Title) == "" {
		errs = append(errs, problem(CodeTitleMissing, "", "", "the document has no title"))
	}
	if strings.TrimSpace(d.Abstract) == "" {
		errs = append(errs, problem(CodeAbstractMiss, "", "", "the document has no abstract; every Internet-Draft needs one"))
	}
	if len(d.Authors) == 0 {
		errs = append(errs, problem(CodeAuthorMissing, "", "", "the document lists no authors"))
	}
	for _, a := range d.Authors {
		if !strings.Contains(a.Email, "@") {
			errs = append(errs, problem(CodeEmailMissing, "", "",
				"author %q has no email address; give one for each author so they can be reached", authorLabel(a)))
		}
	}
	return errors.Join(errs...)
}

func authorLabel(a Author) string {
	if a.Name != "" {
		return a.Name
	}
	return strings.TrimSpace(a.Initials + " " + a.Surname)
}

const maxNameLen = 50

var nameRule = regexp.MustCompile(`^draft-[a-z][-a-z0-9]{0,43}$`)

// CheckName applies the naming rules for Internet-Drafts. The length rule
// is tested first so an over-long name gets the clearer message.
func CheckName(name string) error {
	const op = "draft.CheckName"
	switch {
	case name == "":
		return problem(CodeNameMissing, op, name, "no draft name found; set docName=\"draft-...-00\" on <rfc>, or print the name under the title")
	case len(name) > maxNameLen:
		return problem(CodeNameTooLong, op, name, "the draft name is %d characters; the limit is %d", len(name), maxNameLen)
	case !nameRule.MatchString(name):
		return problem(CodeNameFormat, op, name, "a draft name must start with \"draft-\" and use only lowercase letters a-z, digits and hyphens")
	case strings.Contains(name, "--"):
		return problem(CodeNameDashes, op, name, "a draft name must not contain two hyphens in a row")
	case len(strings.Split(name, "-")) < 3:
		return problem(CodeNameParts, op, name, "a draft name needs at least three parts, like draft-yourname-topic")
	}
	return nil
}

var revRule = regexp.MustCompile(`^[0-9]{2}$`)

// CheckRev requires a two-digit revision such as "00" or "13".
func CheckRev(rev string) error {
	if !revRule.MatchString(rev) {
		return problem(CodeRevFormat, "draft.CheckRev", rev,
			"the revision must be two digits (00 for a new draft), written after the name: draft-...-00")
	}
	return nil
}

// CheckFileName requires the uploaded file to be called name-rev.ext, as
// the Datatracker does, so the stored files match the document inside.
func CheckFileName(fileName, name, rev string) error {
	stem := strings.TrimSuffix(path.Base(fileName), path.Ext(fileName))
	want := name
	if rev != "" {
		want += "-" + rev
	}
	if stem != want {
		return problem(CodeNameMismatch, "draft.CheckFileName", fileName,
			"the file is named %q but the document says it is %q; rename the file or fix the name inside", stem, want)
	}
	return nil
}

// CheckDate requires the document date (completed as Date.Complete does)
// to be within MaxDateSkew days of today.
func CheckDate(date, today Date) error {
	const op = "draft.CheckDate"
	if date.IsZero() {
		return problem(CodeDateMissing, op, "", "the document has no date; give today's date")
	}
	got := date.Complete(today)
	diff := got.time().Sub(today.time()) / (24 * time.Hour)
	if diff > MaxDateSkew || diff < -MaxDateSkew {
		return problem(CodeDateRange, op, got.String(),
			"the document is dated %s but today is %s; the date must be within %d days of the day you submit", got, today, MaxDateSkew)
	}
	return nil
}

// CheckRevision applies the sequencing rules given what is stored: exists
// says whether the draft name is known, prevRev is its latest revision and
// replaced whether another draft has replaced it.
func CheckRevision(prevRev string, exists, replaced bool, rev string) error {
	const op = "draft.CheckRevision"
	if err := CheckRev(rev); err != nil {
		return err
	}
	if !exists {
		if rev != "00" {
			return problem(CodeRevNotFirst, op, rev, "this is a new draft, so its revision must be 00, not %s", rev)
		}
		return nil
	}
	if replaced {
		return problem(CodeReplaced, op, rev, "this draft has been replaced by another one and cannot get new revisions; submit under the new name")
	}
	prev, err := strconv.Atoi(prevRev)
	if err != nil {
		return &Error{Code: CodeInternal, Op: op, Arg: prevRev, Msg: "stored revision is not a number", Err: err}
	}
	n, _ := strconv.Atoi(rev)
	switch {
	case n <= prev:
		return problem(CodeRevReused, op, rev, "revision %s has already been posted; the next revision is %02d", rev, prev+1)
	case n != prev+1:
		return problem(CodeRevNotNext, op, rev, "the latest revision is %s, so this one must be %02d, not %s", prevRev, prev+1, rev)
	}
	return nil
}

// CheckGroup checks that a WG or RG named by a draft exists; known looks
// the acronym up in hum's records. Individual drafts always pass.
func CheckGroup(name string, known func(acronym string) bool) error {
	g := GroupOf(name)
	if g.Kind == GroupIndividual || known(g.Acronym) {
		return nil
	}
	kind := "working group"
	if g.Kind == GroupRG {
		kind = "research group"
	}
	return problem(CodeGroupUnknown, "draft.CheckGroup", name,
		"the name says this draft belongs to the %s %q, which does not exist; check the spelling or use draft-yourname-...", kind, g.Acronym)
}
