package web

// The models of the NomCom's pages, registered apart from pageModels'
// table so parallel work merges cleanly.
func init() {
	for name, model := range map[string]any{
		"nomcom_index.html":       nomcomIndexPage{},
		"nomcom_bodies.html":      nomcomBodiesPage{},
		"nomcom_home.html":        nomcomHomePage{},
		"nomcom_eligibility.html": nomcomEligibilityPage{},
		"nomcom_person.html":      nomcomPersonPage{},
		"nomcom_volunteer.html":   nomcomVolunteerPage{},
		"nomcom_volunteers.html":  nomcomVolunteersPage{},
		"nomcom_selection.html":   nomcomSelectionPage{},
		"nomcom_position.html":    nomcomPositionPage{},
		"nomcom_private.html":     nomcomPrivatePage{},
	} {
		pageModels[name] = model
	}
}
