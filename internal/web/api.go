package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"hum/internal/fail"
	"hum/internal/people"
)

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, fail.New(fail.NotFound, "%q is not an id.", r.PathValue("id"))
	}
	return id, nil
}

// apiPerson is what /api/v1/person/me/ tells a script of its key's
// owner, with their address (person/person itself is opendata's).
type apiPerson struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	ASCII       string  `json:"ascii"`
	Biography   string  `json:"biography"`
	Time        string  `json:"time"`
	Email       *string `json:"email"`
	ResourceURI string  `json:"resource_uri"`
}

func toAPIPerson(p people.Person) apiPerson {
	a := apiPerson{ID: p.ID, Name: p.Name, ASCII: p.ASCIIName, Biography: p.Biography, Time: isoTime(p.Created),
		ResourceURI: fmt.Sprintf("/api/v1/person/person/%d/", p.ID)}
	if p.ShowEmail && p.Email != "" {
		a.Email = &p.Email
	}
	return a
}

// apiUser authenticates a script by its personal API key, sent as the
// X-API-Key header or, on a POST, the form field apikey (as the
// Datatracker's API takes it). A key in the query string is refused even
// beside a good one: URLs land in server and proxy logs and in browser
// history, so the caller must hear that this key has leaked.
func (s *Server) apiUser(r *http.Request) (people.Person, error) {
	if r.URL.Query().Has("apikey") {
		return people.Person{}, fail.New(fail.Unauthorized, "API keys are not accepted in the URL's query string, where logs keep them: send the key as the X-API-Key header, or as the apikey field of a POST form. Revoke this key at /accounts/apikey/ and make a new one.")
	}
	key := r.Header.Get("X-API-Key")
	if key == "" && r.Method == http.MethodPost {
		key = r.PostFormValue("apikey")
	}
	if key == "" {
		return people.Person{}, fail.New(fail.Unauthorized, "This call needs a personal API key, sent as the X-API-Key header or the apikey field of a POST form (never in the query string). Make one at /accounts/apikey/.")
	}
	return s.People.ByAPIKey(r.Context(), key)
}

// apiMe tells a script whose key it holds, with the owner's address.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	p, err := s.apiUser(r)
	if err != nil {
		return err
	}
	a := toAPIPerson(p)
	a.Email = &p.Email
	w.Header().Set("Cache-Control", "private, no-store")
	return writeJSON(w, http.StatusOK, a)
}
