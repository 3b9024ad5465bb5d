package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hum/internal/charters"
	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/record"
)

// The demo's BOF, made with the groups: an invented acronym, so no real
// group's list or charter is touched.
const (
	bofAcronym = "newidea"
	bofName    = "A New Idea"
)

// BOFCharter is the demo BOF's charter document.
const BOFCharter = "charter-ietf-" + bofAcronym

const bofCharterText = `The New Idea (newidea) working group will specify how the new idea is
carried between implementations, so that two of them written from the
specification interoperate.

The work items are:

1. A protocol specification, for the Standards Track.
2. An applicability statement, as Informational.

Extensions of the protocol are out of scope until both documents are
published; taking them on needs a recharter.

(This charter is invented for the demo.)`

// chartering runs after the lists: the demo BOF's charter was proposed by
// the Applications Area Director nine days ago, went to internal review
// the same day, and has the AD's YES, so a visitor logged in as that AD
// may send it to external review at once (R13's week is over) and take it
// on to the IESG's approval a week later. Its mail to people is dropped,
// as the documents' is (demoMail); its announcements reach hum's lists.
func (l *loader) chartering(ctx context.Context, d *db.DB, opt Options) error {
	if opt.Charters == nil {
		return nil
	}
	var t time.Time
	clockDB := &db.DB{DB: d.DB, Dialect: d.Dialect, Now: func() time.Time { return t }}
	cs := &charters.Service{DB: clockDB, Groups: opt.Charters.Groups, Lists: opt.Charters.Lists,
		Mail: demoMail{next: opt.Charters.Mail, domain: opt.Charters.Domain}, BaseURL: opt.Charters.BaseURL, Domain: opt.Charters.Domain}
	ad, err := l.loginWithRole(ctx, "app", "ad", "Applications Area Director")
	if err != nil {
		return err
	}
	steps := []struct {
		ago  time.Duration
		what string
		do   func() error
	}{
		{9 * 24 * time.Hour, "proposed", func() error {
			_, err := cs.Submit(ctx, ad, BOFCharter, bofCharterText, "Proposed after the BOF's session")
			return err
		}},
		{9*24*time.Hour - 2*time.Hour, "internal review", func() error {
			return cs.SetState(ctx, ad, BOFCharter, charters.Internal, "Ready for the IESG and the IAB")
		}},
		{8 * 24 * time.Hour, "the AD's position", func() error {
			return cs.SetPosition(ctx, ad, BOFCharter, charters.PositionChange{Pos: charters.PosYes, Comment: "The BOF showed energy and people to do the work."})
		}},
	}
	for _, s := range steps {
		t = l.now.Add(-s.ago)
		if err := s.do(); err != nil {
			return fmt.Errorf("demo chartering, %s: %w", s.what, err)
		}
	}
	return nil
}

// loginWithRole is the demo login described by what, holding role in
// acronym, acting.
func (l *loader) loginWithRole(ctx context.Context, acronym, role, what string) (groups.Actor, error) {
	rs, _, err := l.gs.Roles(ctx, groups.RoleFilter{Acronym: acronym, Name: role})
	if err != nil {
		return groups.Actor{}, err
	}
	for _, r := range rs {
		for _, lg := range l.logins {
			if lg.Email == r.Email && strings.HasPrefix(lg.What, what) {
				return l.gs.ActorOf(ctx, record.Actor{ID: r.PersonID, Name: r.PersonName})
			}
		}
	}
	return groups.Actor{}, fmt.Errorf("demo: no login %q holds %s of %s", what, role, acronym)
}
