package draft

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDatatrackerTemplates fills the Datatracker's own submission test
// files the way its tests do and expects them to pass every rule here;
// unfilled, they must be refused with a clear code.
func TestDatatrackerTemplates(t *testing.T) {
	today := Date{2025, time.June, 15}
	fill := strings.NewReplacer(
		"%(name)s", "draft-testing-tests-00", "%(title)s", "Testing Tests",
		"%(author)s", "Author Name", "%(asciiAuthor)s", "Author Name", "%(initials)s", "A.",
		"%(surname)s", "Name", "%(asciiSurname)s", "Name", "%(email)s", "author@example.com",
		"%(year)s", "2025", "%(month)s", "June", "%(day)s", "15",
		"%(expiration)s", "December 17, 2025", "%(group)s", "none",
	)
	for _, tc := range []struct {
		file     string
		unfilled []Code // what Validate says about the raw template
	}{
		// "%(initials)s %(surname)s" is not a person's name, so no author.
		{"test_submission.txt", []Code{CodeNameMissing, CodeDateMissing, CodeAuthorMissing}},
		{"test_submission.nonascii", []Code{CodeNameMissing, CodeDateMissing, CodeAuthorMissing}},
		// This one prints "A. Name" literally: an author without an email.
		{"test_submission_invalid_yang.txt", []Code{CodeNameMissing, CodeDateMissing, CodeEmailMissing}},
		{"test_submission_no_org_or_address.txt", []Code{CodeNameMissing, CodeDateMissing, CodeAuthorMissing}},
		{"test_submission.xml", []Code{CodeNameFormat, CodeRevFormat, CodeNameMismatch, CodeDateMissing, CodeEmailMissing}},
		{"test_submission_no_org_or_address.xml", []Code{CodeNameFormat, CodeRevFormat, CodeNameMismatch, CodeDateMissing, CodeEmailMissing}},
		{"test_submission_v2_country_only.xml", []Code{CodeNameFormat, CodeRevFormat, CodeNameMismatch, CodeDateMissing, CodeEmailMissing}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(corpusPath(t, "drafts/datatracker-templates/"+tc.file))
			if err != nil {
				t.Fatal(err)
			}
			upload := "draft-testing-tests-00.xml"
			if !strings.HasSuffix(tc.file, ".xml") {
				upload = "draft-testing-tests-00.txt"
			}
			check := Check{FileName: upload, Today: today}
			d, err := Parse(upload, strings.NewReader(fill.Replace(string(raw))), Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Validate(check); err != nil {
				t.Errorf("filled template: %v", err)
			}
			if d.Name != "draft-testing-tests" || d.Rev != "00" || d.Title != "Testing Tests" {
				t.Errorf("filled template: name %q rev %q title %q", d.Name, d.Rev, d.Title)
			}
			d, err = Parse(upload, strings.NewReader(string(raw)), Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.unfilled, Codes(d.Validate(check))); diff != "" {
				t.Errorf("unfilled template codes (-want +got):\n%s", diff)
			}
		})
	}
}
