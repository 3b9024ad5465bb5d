package web

import (
	"net/http"

	"hum/internal/jobs"
)

// adminJobs shows the secretariat this process's periodic jobs: when each
// last ran, how long it took, how it ended, and when it runs next. Each
// hum process runs its own; behind a load balancer this page shows the
// process that answered.
func (s *Server) adminJobs(w http.ResponseWriter, r *http.Request) error {
	if err := s.needSecretariat(r, "see the background jobs"); err != nil {
		return err
	}
	return s.show(w, "admin_jobs.html", adminJobsPage{s.page(r, "Background jobs"), s.Jobs.Jobs()})
}

// adminJobsPage is the model of admin_jobs.html.
type adminJobsPage struct {
	Page
	Jobs []jobs.Status
}
