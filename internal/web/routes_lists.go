package web

// listRoutes lists the mailing lists' routes, Mailman-like: a page per
// list with its subscribe form, and below it the moderators' pages.
func (s *Server) listRoutes() {
	s.publicGet("/list/", s.listIndex)
	s.publicGet("/list/{name}/", s.listInfo)
	s.handle("POST /list/{name}/subscribe/", s.listSubscribe)
	s.handle("POST /list/{name}/options/", s.listOptions)
	s.handle("POST /list/{name}/unsubscribe/", s.listUnsubscribeStart)
	// The List-Unsubscribe link of each copy. GET shows a button (mail
	// scanners follow links); POST unsubscribes, and is also the RFC 8058
	// one-click target: the token is the authentication.
	s.handle("GET /list/{name}/unsubscribe/{token}/", s.listUnsubscribeForm)
	s.handle("POST /list/{name}/unsubscribe/{token}/", s.listUnsubscribe)
	s.handle("GET /list/{name}/confirm/{token}/", s.listConfirmForm)
	s.handle("POST /list/{name}/confirm/{token}/", s.listConfirm)
	s.handle("GET /list/{name}/moderation/", s.listModeration)
	s.handle("GET /list/{name}/moderation/{id}/", s.listHeld)
	s.handle("POST /list/{name}/moderation/{id}/", s.listModerate)
	s.handle("GET /list/{name}/subscribers/", s.listSubscribers)
	s.handle("GET /list/{name}/settings/", s.listSettingsForm)
	s.handle("POST /list/{name}/settings/", s.listSettings)
	s.handle("POST /list/{name}/settings/moderators/", s.listModerators)
	// Copies waiting for the smarthost (all of them, without one) and
	// those that failed, per list for its moderators; the secretariat's
	// view of every list is under /admin/.
	s.handle("GET /list/{name}/deliveries/", s.listDeliveries)
}
