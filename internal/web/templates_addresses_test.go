package web

// The models of the aliases' and the list conduct's pages (issue 14),
// registered apart from pageModels' table so parallel work merges
// cleanly.
func init() {
	for name, model := range map[string]any{
		"doc_email.html": emailPage{},
		"conduct.html":   conductPageModel{},
	} {
		pageModels[name] = model
	}
}
