package web

// accountRoutes lists the accounts' routes, as in the Datatracker's
// /accounts/, and the public page of each person.
func (s *Server) accountRoutes() {
	s.handle("GET /accounts/create/", s.createForm)
	s.handle("POST /accounts/create/", s.createStart)
	s.handle("GET /accounts/create/confirm/{token}/", s.createConfirmForm)
	s.handle("POST /accounts/create/confirm/{token}/", s.createFinish)
	s.handle("GET /accounts/login/", s.loginForm)
	s.handle("POST /accounts/login/", s.loginPost)
	s.handle("POST /accounts/logout/", s.logout)
	s.handle("POST /accounts/logout/everywhere/", s.logoutEverywhere)
	s.handle("GET /accounts/reset/", s.resetForm)
	s.handle("POST /accounts/reset/", s.resetStart)
	s.handle("GET /accounts/reset/confirm/{token}/", s.resetConfirmForm)
	s.handle("POST /accounts/reset/confirm/{token}/", s.resetFinish)
	s.handle("GET /accounts/password/", s.passwordForm)
	s.handle("POST /accounts/password/", s.passwordPost)
	s.handle("GET /accounts/profile/", s.profile)
	s.handle("POST /accounts/profile/", s.profilePost)
	s.handle("POST /accounts/email/add/", s.emailAdd)
	s.handle("GET /accounts/email/confirm/{token}/", s.emailConfirmForm)
	s.handle("POST /accounts/email/confirm/{token}/", s.emailConfirm)
	s.handle("POST /accounts/email/primary/", s.emailPrimary)
	s.handle("POST /accounts/email/remove/", s.emailRemove)
	s.handle("GET /accounts/apikey/", s.apiKeys)
	s.handle("POST /accounts/apikey/", s.apiKeyAdd)
	s.handle("POST /accounts/apikey/{id}/revoke/", s.apiKeyRevoke)
	s.publicGet("/person/{email}/", s.person)
}
