package lists

import (
	"context"
	"testing"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

func (e *env) archivePublic(list string) bool {
	e.t.Helper()
	var pub bool
	if err := e.db.QueryRow(`SELECT archive_public FROM list WHERE name = $1`, list).Scan(&pub); err != nil {
		e.t.Fatal(err)
	}
	return pub
}

// TestR19WGArchiveCannotBeMadePrivate: a WG's archive is public (RFC
// 2418 section 2.2): neither its chair nor the secretariat may make it
// private, and the refusal names R19 and changes nothing; a list that is
// not a WG's may still be private.
func TestR19WGArchiveCannotBeMadePrivate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	chair := e.as(record.Actor{ID: e.chair.ID, Name: e.chair.Name})
	secr := e.body.Add("sec@example.org", "Sam Secretariat")
	e.body.Grant("secretariat", "secr", secr.ID, "sec@example.org")
	sec := e.as(record.Actor{ID: secr.ID, Name: secr.Name})
	private := Settings{Description: "HTTP", ArchivePublic: false, PostPolicy: PostSubscribers, MaxBytes: 1 << 20}
	before := e.count(`SELECT COUNT(*) FROM event`)
	for _, by := range []groups.Actor{chair, sec} {
		err := e.lists.Configure(ctx, by, "httpbis", private)
		fe, ok := fail.As(err)
		if !ok || fe.Rule != "R19" || fe.Kind != fail.Forbidden || fe.Field != "archive_public" {
			t.Errorf("%s makes httpbis's archive private: %v, want a refusal naming R19", by.Name, err)
		}
	}
	if !e.archivePublic("httpbis") || e.count(`SELECT COUNT(*) FROM event`) != before {
		t.Fatal("a refused change changed something")
	}
	if err := e.lists.Configure(ctx, sec, "ietf", Settings{Description: "General", PostPolicy: PostSubscribers, MaxBytes: 1 << 20}); err != nil {
		t.Errorf("the secretariat makes a standalone list's archive private: %v", err)
	}
	if e.archivePublic("ietf") {
		t.Error("ietf's archive is still public")
	}
	// A WG's list an older hum let be private was made public once, by
	// migration 0033 (db's TestMigration0033KeepsEndedRolesAndPublishesWGArchives).
}

// TestLastCallListTakesAnyone: last-call@ exists on every hum and takes
// a comment from someone who is not subscribed, archived.
func TestLastCallListTakesAnyone(t *testing.T) {
	e := newEnv(t)
	l, err := e.lists.Get(context.Background(), "last-call")
	if err != nil || l.PostPolicy != PostAnyone || !l.ArchivePublic {
		t.Fatalf("last-call: %+v %v", l, err)
	}
	msg := "From: ann@example.org\nTo: last-call@hum.test\nSubject: Re: Last Call: <draft-ietf-httpbis-cache-03.txt>\nMessage-ID: <c1@example.org>\n\nSection 4 is unclear.\n"
	if err := e.send("ann@example.org", []string{"last-call@hum.test"}, msg); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = 'last-call' AND p.state = 'accepted' AND p.archive_id IS NOT NULL`); n != 1 {
		t.Errorf("%d comments accepted and archived", n)
	}
}
