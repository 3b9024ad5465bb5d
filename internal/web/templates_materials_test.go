package web

// The materials' pages, registered here rather than in pageModels'
// literal so that parts built side by side merge cleanly.
func init() {
	pageModels["session.html"] = sessionPage{}
	pageModels["material_view.html"] = materialViewPage{}
	pageModels["material_doc.html"] = materialDocPage{}
	pageModels["slides_proposal.html"] = proposalPage{}
	pageModels["proceedings.html"] = proceedingsPage{}
}
