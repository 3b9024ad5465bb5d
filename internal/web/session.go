package web

import (
	"context"
	"database/sql"
	"errors"
	"hum/internal/jobs"
	"net/http"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/people"
	"hum/internal/record"
)

// sessionStore keeps scs sessions in the database, so several hum
// processes behind a load balancer share them. scs dates a session's
// expiry by the host's clock, so the store compares it with that clock,
// not the database's, which tests move.
type sessionStore struct{ db *db.DB }

func (s *sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM web_session WHERE token = $1 AND expiry > $2`, token, time.Now().UTC()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return b, err == nil, err
}

func (s *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO web_session (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UTC())
	return err
}

func (s *sessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

func (s *sessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM web_session WHERE token = $1`, token)
	return err
}

// Jobs is the web's periodic work, for the job runner.
func Jobs(d *db.DB) []jobs.Job {
	return []jobs.Job{{Name: "session sweep", Every: time.Hour, Run: func(ctx context.Context) error { return Sweep(ctx, d) }}}
}

// Sweep removes expired sessions.
func Sweep(ctx context.Context, d *db.DB) error {
	_, err := d.ExecContext(ctx, `DELETE FROM web_session WHERE expiry < $1`, time.Now().UTC())
	return err
}

// A session holds the person's id and the SessionGen it was started in.
const (
	sessionPerson = "person_id"
	sessionGen    = "session_gen"
)

// user returns the logged-in person, or nil.
func (s *Server) user(r *http.Request) *people.Person {
	id := s.sessions.GetInt64(r.Context(), sessionPerson)
	if id == 0 {
		return nil
	}
	// A page asks for the user more than once (the header, then the
	// handler's checks); every change to a person is an event, so the
	// version-validated cache answers all but the first.
	v, err := s.cache.get(r.Context(), s.versions, "person", id, func() (any, error) {
		return s.People.ByID(r.Context(), id)
	})
	if err != nil {
		return nil
	}
	p := v.(people.Person)
	// A new password, a reset or "log out everywhere" moved the
	// generation on: this session has ended. The check is on every
	// load, so a session an in-flight request writes back after the
	// change is as dead as the rest.
	if s.sessions.GetInt64(r.Context(), sessionGen) != p.SessionGen {
		return nil
	}
	return &p
}

// login starts a session for p, with a fresh token against fixation.
func (s *Server) login(r *http.Request, p people.Person) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionPerson, p.ID)
	s.sessions.Put(r.Context(), sessionGen, p.SessionGen)
	return nil
}

// need returns the logged-in person and what they may do, or an error
// that sends them to log in.
func (s *Server) need(r *http.Request) (*people.Person, groups.Actor, error) {
	u := s.user(r)
	if u == nil {
		return nil, groups.Actor{}, fail.New(fail.Unauthorized, "Please log in first.")
	}
	a, err := s.powers(r.Context(), u)
	return u, a, err
}

// powers is u acting, with their roles (groups.ActorOf), cached until the
// record changes.
func (s *Server) powers(ctx context.Context, u *people.Person) (groups.Actor, error) {
	v, err := s.cache.get(ctx, s.versions, "powers", u.ID, func() (any, error) {
		return s.Groups.ActorOf(ctx, actor(u))
	})
	if err != nil {
		return groups.Actor{}, err
	}
	return v.(groups.Actor), nil
}

func actor(u *people.Person) record.Actor {
	return record.Actor{ID: u.ID, Name: u.Name}
}

// flash keeps a one-time message for the next page.
func (s *Server) flash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), "flash", msg)
}
