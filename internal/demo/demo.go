// Package demo loads a believable standards body into an empty database:
// the real IETF areas, working groups and research groups of the Datatracker's
// 2013 group list (groups.json, derived from the corpus so the binary never
// reads ../shared at run time), and invented people who chair them, direct
// the areas and sit on the IESG and IAB.
package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/people"
	"hum/internal/record"
)

//go:embed groups.json
var groupsJSON []byte

type corpusGroup struct {
	Acronym       string `json:"acronym"`
	Name          string `json:"name"`
	Type          string `json:"type"`
	Parent        string `json:"parent"`
	ListEmail     string `json:"list_email"`
	ListSubscribe string `json:"list_subscribe"`
	ListArchive   string `json:"list_archive"`
	Comments      string `json:"comments"`
}

// Password is the password of every demo login.
const Password = "hum-demo-password"

// Login is a demo account worth trying.
type Login struct {
	Email, What string
}

// loginBio starts the biography of each demo login; Logins finds them by it.
const loginBio = "Demo login: "

// Logins lists the demo accounts that can log in.
func Logins(ctx context.Context, d *db.DB) ([]Login, error) {
	return db.Query(ctx, d, func(row db.Scanner) (Login, error) {
		var l Login
		err := row.Scan(&l.Email, &l.What)
		l.What = strings.TrimPrefix(l.What, loginBio)
		return l, err
	}, `SELECT e.address, p.biography FROM person p JOIN email e ON e.person_id = p.id AND e.is_primary
		WHERE p.password_hash <> '' AND p.biography LIKE $1 ORDER BY p.id`, loginBio+"%")
}

// Loaded reports whether the database already holds groups, in which case
// the demo is not loaded again.
func Loaded(ctx context.Context, d *db.DB) (bool, error) {
	var n int
	err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM grp`).Scan(&n)
	return n > 0, err
}

// Load fills an empty database in one transaction, then the mailing lists,
// archives and documents in opts, and returns the logins to show on the front page.
func Load(ctx context.Context, d *db.DB, ps *people.Service, gs *groups.Service, opts ...Options) ([]Login, error) {
	var cg []corpusGroup
	if err := json.Unmarshal(groupsJSON, &cg); err != nil {
		return nil, err
	}
	l := &loader{ps: ps, gs: gs, rng: rand.New(rand.NewPCG(83, 2012)), now: d.Now()}
	err := d.Write(ctx, func(tx *db.Tx) error {
		ctx := db.WithTx(ctx, tx)
		return l.load(ctx, cg)
	})
	for _, opt := range opts {
		if err == nil {
			err = l.mailingLists(ctx, opt) // after the commit: see lists.go
		}
		if err == nil {
			err = l.documents(ctx, d, opt) // after the lists: see documents.go
		}
		if err == nil {
			err = l.meetingsDemo(ctx, d, opt) // after the documents its agendas name
		}
		if err == nil {
			err = l.chartering(ctx, d, opt) // after the lists: see charters.go
		}
		if err == nil {
			err = l.nomcomDemo(ctx, d, opt) // after the meetings, its attendance
		}
	}
	if err == nil {
		err = d.Analyze(ctx) // a body loaded in one go: see db.Analyze
	}
	return l.logins, err
}

type loader struct {
	ps     *people.Service
	gs     *groups.Service
	rng    *rand.Rand
	now    time.Time
	used   map[string]bool
	logins []Login
	err    error
}

var by = record.Actor{Name: "(Demo loader)"}

// operator is the demo loader acting on groups, as the site's operator.
var operator = groups.Operator(by)

func (l *loader) load(ctx context.Context, cg []corpusGroup) error {
	l.used = map[string]bool{}
	bodies := []groups.NewGroup{
		{Acronym: "ietf", Name: "IETF", Type: "ietf"},
		{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg", Parent: "ietf", ListEmail: "iesg@ietf.example"},
		{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab", Parent: "ietf", ListEmail: "iab@iab.example"},
		{Acronym: "irtf", Name: "Internet Research Task Force", Type: "irtf"},
		{Acronym: "isoc", Name: "Internet Society", Type: "isoc"},
		{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
	}
	for _, b := range bodies {
		l.group(ctx, b)
	}
	for i := range cg {
		// The groups' list addresses are real; the demo's copies are
		// moved to reserved domains so that no demo mail reaches them.
		c := &cg[i]
		c.ListEmail, c.ListSubscribe, c.Comments = reserveAddrs(c.ListEmail), reserveAddrs(c.ListSubscribe), reserveAddrs(c.Comments)
	}
	for _, c := range cg {
		parent := c.Parent
		if c.Type == "area" {
			parent = "iesg"
		}
		l.group(ctx, groups.NewGroup{Acronym: c.Acronym, Name: c.Name, Type: c.Type, State: "active", Parent: parent,
			ListEmail: c.ListEmail, Historic: true})
		if c.ListSubscribe != "" || c.ListArchive != "" || c.Comments != "" {
			l.check(l.gs.Update(ctx, operator, c.Acronym, groups.Changes{ListSubscribe: &c.ListSubscribe, ListArchive: &c.ListArchive, Comments: &c.Comments}, "From the Datatracker's group list"))
		}
	}
	// A BOF of the Applications Area, to be chartered (charters.go).
	l.group(ctx, groups.NewGroup{Acronym: bofAcronym, Name: bofName, Type: "wg", State: "bof", Parent: "app",
		Description: "A BOF held to see whether there is a working group in the new idea. Its charter is in chartering (R13)."})
	if l.err != nil {
		return l.err
	}
	l.staff(ctx)
	for _, c := range cg {
		switch c.Type {
		case "area":
			l.role(ctx, c.Acronym, "ad", l.person(ctx))
			l.role(ctx, c.Acronym, "ad", l.person(ctx))
		case "wg", "rg":
			l.workingGroup(ctx, c)
		}
	}
	return l.err
}

func (l *loader) check(err error) {
	if err != nil && l.err == nil {
		l.err = err
	}
}

func (l *loader) group(ctx context.Context, n groups.NewGroup) {
	_, err := l.gs.Create(ctx, operator, n, "")
	l.check(err)
}

// staff seats the IETF Chair, the secretariat, the IAB and the IRTF
// Chair, and makes the demo logins.
func (l *loader) staff(ctx context.Context) {
	chair := l.login(ctx, "IETF Chair (also General Area AD, IESG chair, IAB member)")
	l.role(ctx, "ietf", "chair", chair) // brings gen AD, IESG chair and IAB member (R42, R43)
	sec := l.login(ctx, "Secretariat: can do anything, reads the outbox")
	l.role(ctx, "secretariat", "secr", sec)
	l.role(ctx, "secretariat", "secr", l.person(ctx))
	l.role(ctx, "iab", "chair", l.person(ctx))
	for range 10 {
		l.role(ctx, "iab", "member", l.person(ctx))
	}
	irtf := l.person(ctx)
	l.role(ctx, "irtf", "chair", irtf)
	l.role(ctx, "iab", "exofficio", irtf)
	l.role(ctx, "isoc", "ceo", l.person(ctx))
	ad := l.login(ctx, "Applications Area Director: charters, chairs, milestones of app WGs")
	l.role(ctx, "app", "ad", ad)
	wgchair := l.login(ctx, "httpbis chair: milestones and secretaries of httpbis")
	l.role(ctx, "httpbis", "chair", wgchair)
	l.login(ctx, "Participant: no roles")
}

func (l *loader) workingGroup(ctx context.Context, c corpusGroup) {
	if c.Acronym != "httpbis" || l.rng.IntN(2) == 0 {
		l.role(ctx, c.Acronym, "chair", l.person(ctx))
	}
	if l.rng.IntN(3) > 0 {
		l.role(ctx, c.Acronym, "chair", l.person(ctx))
	}
	if l.rng.IntN(4) == 0 {
		l.role(ctx, c.Acronym, "secr", l.person(ctx))
	}
	kind := map[string]string{"wg": "working group", "rg": "research group"}[c.Type]
	text := fmt.Sprintf("The %s (%s) %s develops and maintains specifications within its scope, as agreed with its responsible Area Director.\n\n"+
		"Work items:\n\n1. Maintain and clarify the existing %s specifications, based on implementation experience.\n"+
		"2. Document operational considerations and security properties of deployed %s protocols.\n"+
		"3. Evaluate proposals for extensions; new work requires a recharter.\n\n"+
		"The group works on its mailing list%s; decisions made at meetings are confirmed on the list.\n\n"+
		"(This charter text is invented for the demo; the group's name and acronym are real.)",
		c.Name, c.Acronym, kind, c.Acronym, c.Acronym, listPhrase(c.ListEmail))
	_, err := l.gs.ReviseCharter(ctx, operator, c.Acronym, text, "Initial charter")
	l.check(err)
	// The milestones name no document: the drafts they would name do
	// not exist, and a link must lead somewhere. The groups with demo
	// drafts get a milestone that links to one (documents.go).
	y := l.now.Year()
	ms := []struct{ desc, due string }{
		{"Submit " + c.Acronym + " protocol specification to the IESG as Proposed Standard", fmt.Sprintf("%d-%02d", y, 1+l.rng.IntN(12))},
		{"Submit operational considerations to the IESG as Informational", fmt.Sprintf("%d-%02d", y+1, 1+l.rng.IntN(12))},
	}
	for _, m := range ms {
		l.check(l.gs.AddMilestone(ctx, operator, c.Acronym, m.desc, m.due, nil, ""))
	}
}

func listPhrase(addr string) string {
	if addr == "" {
		return ""
	}
	return " (" + addr + ")"
}

func (l *loader) role(ctx context.Context, acronym, role string, p people.Person) {
	if p.ID == 0 {
		return
	}
	l.check(l.gs.Grant(ctx, operator, acronym, role, p.ID, p.Email, ""))
}

var (
	first = strings.Fields(`Ada Aiko Alejandro Amara Anders Anil Ayşe Bao Beatriz Bjørn Camille Carlos Chen Chiara Dario Dmitri Elena Emeka Farah Felix
		Gabriel Hana Hiroshi Ines Ingrid Ivan Jae Jana Jonas Kai Kamala Karin Kwame Lars Leila Lucía Mads Malik Mariam Mateo Mei Mikko Nadia Naveen
		Nia Nikolai Noor Olga Omar Paolo Priya Rafael Ravi Rosa Sakura Samir Sara Sean Sofia Tariq Thandiwe Tomás Ulla Valentina Wei Yara Yusuf Zanele Zoltan`)
	last = strings.Fields(`Abebe Andersen Bauer Becker Bianchi Castillo Chowdhury Costa Dubois Eriksson Fischer Fontaine García Haddad Hansen Hoffmann Ibrahim Ito
		Jansen Kaur Kim Kowalski Kumar Laine Larsen Lefebvre Lindqvist Mahlangu Martins Mendes Moreau Murphy Nakamura Nguyen Novak Okafor Olsen Park
		Pereira Petrov Quispe Rahman Rossi Sato Schmidt Silva Singh Suzuki Tanaka Takahashi Tremblay Van Dijk Virtanen Wagner Wang Weber Yilmaz Zhang`)
)

// person invents someone with a unique name and address.
func (l *loader) person(ctx context.Context) people.Person {
	for {
		f, s := first[l.rng.IntN(len(first))], last[l.rng.IntN(len(last))]
		name := f + " " + s
		if l.used[name] {
			continue
		}
		l.used[name] = true
		email := strings.ToLower(asciiFold(f)+"."+strings.ReplaceAll(asciiFold(s), " ", "")) + "@example.org"
		p, err := l.ps.Add(ctx, by, email, name)
		l.check(err)
		return p
	}
}

// login invents someone who can log in with the demo password.
func (l *loader) login(ctx context.Context, what string) people.Person {
	p := l.person(ctx)
	if p.ID != 0 {
		l.check(l.ps.SetPassword(ctx, by, p.ID, Password))
		l.check(l.ps.UpdateProfile(ctx, p.ID, p.Name, loginBio+what, false))
		l.logins = append(l.logins, Login{Email: p.Email, What: what})
	}
	return p
}

var fold = strings.NewReplacer("ş", "s", "ø", "o", "í", "i", "á", "a", "é", "e", "ç", "c", "ü", "u", "ö", "o")

func asciiFold(s string) string { return fold.Replace(s) }
