package web

// The models of the appeals' pages, registered apart from pageModels'
// table so parallel work merges cleanly.
func init() {
	for name, model := range map[string]any{
		"appeal_list.html": appealListPage{},
		"appeal_new.html":  form[appealFormData]{},
		"appeal.html":      appealPage{},
	} {
		pageModels[name] = model
	}
}
