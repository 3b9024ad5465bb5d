package web

// The models of registration, blue sheets, attendance numbers and the
// fellowship pages, registered apart from pageModels' table so parallel
// work on meetings merges cleanly.
func init() {
	for name, model := range map[string]any{
		"attend_register.html":   form[attendRegisterData]{},
		"attend_confirm.html":    form[attendConfirmData]{},
		"attend_attendees.html":  attendAttendeesPage{},
		"attend_session.html":    attendSheetPage{},
		"attend_summary.html":    attendSummaryPage{},
		"attend_group.html":      attendGroupPage{},
		"attend_fellowship.html": form[attendFellowData]{},
	} {
		pageModels[name] = model
	}
}
