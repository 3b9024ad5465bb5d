package web

import (
	"io/fs"
	"net/http"
)

// routes lists every route, one table per area of the site.
func (s *Server) routes() {
	static, _ := fs.Sub(files, "static")
	fileServer := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	s.mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	}))
	s.publicGet("/", s.index)

	// Accounts, as in the Datatracker's /accounts/.
	s.handle("GET /accounts/create/", s.createForm)
	s.handle("POST /accounts/create/", s.createStart)
	s.handle("GET /accounts/create/confirm/{token}/", s.createConfirmForm)
	s.handle("POST /accounts/create/confirm/{token}/", s.createFinish)
	s.handle("GET /accounts/login/", s.loginForm)
	s.handle("POST /accounts/login/", s.loginPost)
	s.handle("POST /accounts/logout/", s.logout)
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

	// Groups.
	s.publicGet("/wg/", s.wgList)
	s.publicGet("/rg/", s.rgList)
	s.publicGet("/area/", s.areaList)
	s.handle("GET /group/create/", s.groupCreateForm)
	s.handle("POST /group/create/", s.groupCreate)
	s.handle("GET /group/{acronym}/", s.groupRedirect)
	s.publicGet("/group/{acronym}/about/", s.groupAbout)
	s.publicGet("/group/{acronym}/history/", s.groupHistory)
	s.handle("GET /group/{acronym}/edit/", s.groupEditForm)
	s.handle("POST /group/{acronym}/edit/", s.groupEdit)
	s.publicGet("/group/{acronym}/charter/", s.charter)
	s.handle("POST /group/{acronym}/charter/", s.charterPost)
	s.publicGet("/group/{acronym}/charter/{rev}/", s.charterRev)
	s.handle("POST /group/{acronym}/milestones/", s.milestoneAdd)
	s.handle("POST /group/{acronym}/milestones/{id}/", s.milestoneChange)
	s.handle("POST /group/{acronym}/roles/", s.roleGrant)
	s.handle("POST /group/{acronym}/roles/{id}/revoke/", s.roleRevoke)
	s.publicGet("/feed/group-changes/{acronym}/", s.groupFeed)

	// JSON in the Datatracker's list shape.
	s.publicGet("/api/v1/group/group/", s.apiGroups)
	s.publicGet("/api/v1/group/group/{id}/", s.apiGroup)
	s.publicGet("/api/v1/group/role/", s.apiRoles)
	s.publicGet("/api/v1/group/role/{id}/", s.apiRole)
	s.publicGet("/api/v1/person/person/", s.apiPeople)
	s.publicGet("/api/v1/person/person/{id}/", s.apiPerson)
	s.handle("GET /api/v1/person/me/", s.apiMe)

	s.archiveRoutes()
	s.listRoutes()
	s.docRoutes()

	// The secretariat's view of mail that has not gone out.
	s.handle("GET /admin/outbox/", s.outbox)
	s.handle("GET /admin/outbox/{id}/", s.outboxMessage)
	s.handle("GET /admin/jobs/", s.adminJobs)
}
