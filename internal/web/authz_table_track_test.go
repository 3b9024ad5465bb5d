package web

// The matrix's rows for following documents and groups (package notices).

func init() { authzProbes = append(authzProbes, trackProbes...) }

var trackProbes = []authzProbe{
	// Anyone logged in tracks what they like; it is theirs alone.
	{route: "POST /accounts/track/", what: "track httpbis, each change", path: static("/accounts/track/"),
		form: values("type", "group", "name", "httpbis", "mode", "each"), ok: everyLogin, shared: true, target: count("follow")},
	// The notify list is changed by those who choose the shepherd: the
	// WG's chairs, the responsible AD, the secretariat.
	withSetup(authzProbe{route: "POST /doc/{name}/edit/notify/", what: "add to the notify list", path: static("/doc/" + wgDoc + "/edit/notify/"),
		form: values("notify", victim)}, (*authzFixture).wgDraft, []string{"chair", "ad", "secretariat"}, count("doc_notify")),
}
