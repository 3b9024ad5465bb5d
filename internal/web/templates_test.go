package web

import (
	"testing"

	"github.com/jba/templatecheck"

	"hum/internal/groups"
)

// pageModels is the Go type each page template is executed with (see the
// s.show calls): templatecheck follows every field, method and function
// the templates use through these types.
var pageModels = map[string]any{
	// Accounts.
	"account_create.html":  form[noData]{},
	"account_confirm.html": form[string]{},
	"login.html":           form[string]{},
	"reset.html":           form[noData]{},
	"reset_confirm.html":   form[string]{},
	"password.html":        form[noData]{},
	"profile.html":         form[profileData]{},
	"email_confirm.html":   form[string]{},
	"apikeys.html":         form[keysData]{},
	"notice.html":          noticePage{},
	"person.html":          personPage{},

	// Groups.
	"wg.html":            areasPage{},
	"area.html":          areasPage{},
	"rg.html":            rgPage{},
	"group_about.html":   aboutPage{},
	"group_history.html": groupHistoryPage{},
	"group_edit.html":    form[groupEditData]{},
	"group_create.html":  form[[]groups.Group]{},
	"charter.html":       form[charterData]{},
	"charter_rev.html":   charterRevPage{},

	// Charters as documents: chartering (R13).
	"charter_doc.html":     charterDocPage{},
	"charter_history.html": charterHistoryPage{},
	"charter_ballot.html":  charterBallotPage{},

	// Documents and submission.
	"doc_main.html":    docPage{},
	"doc_search.html":  searchPage{},
	"doc_history.html": docHistoryPage{},
	"doc_diff.html":    docDiffPage{},
	"doc_edit.html":    docEditPage{},
	"doc_notify.html":  docNotifyPage{},
	"track.html":       trackPageModel{},
	"doc_writeup.html": docWriteupPage{},
	"doc_ballot.html":  ballotPage{},

	// The IESG.
	"iesg_agenda.html":    iesgAgendaPage{},
	"iesg_discusses.html": iesgDiscussesPage{},
	"doc_ad.html":         docsForADPage{},
	"telechat_dates.html": telechatDatesPage{},
	"submit_form.html":    submitPage{},
	"submit_status.html":  submitPage{},

	// Mailing lists and the archive.
	"list_index.html":       listIndexPage{},
	"list_info.html":        listPage{},
	"list_settings.html":    listPage{},
	"list_unsubscribe.html": listUnsubscribePage{},
	"list_confirm.html":     listConfirmPage{},
	"list_moderation.html":  listModerationPage{},
	"list_held.html":        listHeldPage{},
	"list_subscribers.html": listSubscribersPage{},
	"list_deliveries.html":  listDeliveriesPage{},
	"arch_index.html":       archIndexPage{},
	"arch_browse.html":      archBrowsePage{},
	"arch_msg.html":         archMessagePage{},
	"arch_search.html":      archSearchPage{},

	// Meetings: the index, a meeting's page and its agenda.
	"meeting_index.html":    meetingIndexPage{},
	"meeting_home.html":     meetingHomePage{},
	"meeting_upcoming.html": meetingUpcomingPage{},
	"agenda.html":           agendaPage{},

	// The rest.
	"index.html":          indexPage{},
	"outbox.html":         outboxPage{},
	"admin_jobs.html":     adminJobsPage{},
	"outbox_message.html": outboxMessagePage{},
	"error.html":          errorPage{},

	// Interims and important dates.
	"interim_request.html": form[interimFormData]{},
	"interim.html":         interimPage{},
	"important_dates.html": datesPage{},
}

// TestTemplatesTypeCheck checks every page template, with the layout,
// against the type it is executed with, so that a field, method or
// function a template names but its model lacks fails here rather than
// on a page at run time.
func TestTemplatesTypeCheck(t *testing.T) {
	ts, err := parseTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	for name, tp := range ts.pages {
		model, ok := pageModels[name]
		if !ok {
			t.Errorf("%s: no model in pageModels; add the type it is executed with", name)
			continue
		}
		err := templatecheck.CheckHTML(tp, model)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name := range pageModels {
		if _, ok := ts.pages[name]; !ok {
			t.Errorf("pageModels names %s, which is not a template", name)
		}
	}
	if len(ts.pages) < 40 {
		t.Errorf("only %d page templates parsed", len(ts.pages))
	}
}
