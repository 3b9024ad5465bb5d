package meetings

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// Material is a document of a group's sessions at a meeting: its agenda,
// minutes, a slide deck, chat log or recording, named as the Datatracker
// names them (agenda-125-tls, slides-125-tls-intro). Its content is the
// latest revision's.
type Material struct {
	ID        int64
	Name      string
	Type      string // a Kind
	MeetingID int64
	Meeting   string // number
	GroupID   int64
	Group     string // acronym
	Title     string
	Rev       string // the latest revision
	State     string // active, deleted
	Order     int
	Created   time.Time
	Updated   time.Time
	// Of the latest revision:
	Format   string
	Filename string
	Size     int
	URL      string // a recording's link
}

// Revision is one revision of a material.
type Revision struct {
	Rev      string
	Format   string
	Filename string
	Size     int
	URL      string
	ByID     int64
	By       string
	Created  time.Time
}

const materialCols = `x.id, x.name, x.type, x.meeting_id, m.number, x.group_id, g.acronym, x.title, x.rev, x.state, x.ord, x.created, x.updated,
	r.format, r.filename, r.size, r.url`

const materialFrom = ` FROM material x JOIN meeting m ON m.id = x.meeting_id JOIN group_ref g ON g.id = x.group_id
	JOIN material_rev r ON r.material_id = x.id AND r.rev = x.rev `

func scanMaterial(row db.Scanner) (x Material, err error) {
	err = row.Scan(&x.ID, &x.Name, &x.Type, &x.MeetingID, &x.Meeting, &x.GroupID, &x.Group, &x.Title, &x.Rev, &x.State, &x.Order,
		&x.Created, &x.Updated, &x.Format, &x.Filename, &x.Size, &x.URL)
	return x, err
}

// materialPrefixRE recognises a material's name, so /doc/{name}/ can show
// it.
var materialPrefixRE = regexp.MustCompile(`^(agenda|minutes|slides|chatlog|recording)-[a-z0-9]`)

// IsMaterialName reports whether name is shaped like a material's.
func IsMaterialName(name string) bool { return materialPrefixRE.MatchString(strings.ToLower(name)) }

// MaterialName is the name of a group's agenda, minutes or chat log at a
// meeting; slides and recordings add a slug.
func MaterialName(kind, number, acronym, slug string) string {
	n := kind + "-" + strings.ToLower(number) + "-" + strings.ToLower(acronym)
	if slug != "" {
		n += "-" + slug
	}
	return n
}

// Materials lists the active materials of a group at a meeting (groupID
// 0: of every group), by kind, order and name.
func (s *Service) Materials(ctx context.Context, meetingID, groupID int64) ([]Material, error) {
	q := `SELECT ` + materialCols + materialFrom + `WHERE x.meeting_id = $1 AND x.state = 'active'`
	args := []any{meetingID}
	if groupID != 0 {
		q += ` AND x.group_id = $2`
		args = append(args, groupID)
	}
	return db.Query(ctx, s.DB, scanMaterial, q+` ORDER BY g.acronym, CASE x.type WHEN 'agenda' THEN 0 WHEN 'minutes' THEN 1 WHEN 'slides' THEN 2
		WHEN 'chatlog' THEN 3 ELSE 4 END, x.ord, x.name`, args...)
}

// Material returns a material by name, deleted ones too.
func (s *Service) Material(ctx context.Context, name string) (Material, error) {
	return material(ctx, s.DB, name)
}

func material(ctx context.Context, q db.Querier, name string) (Material, error) {
	x, err := scanMaterial(q.QueryRowContext(ctx, `SELECT `+materialCols+materialFrom+`WHERE x.name = $1`, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return x, fail.New(fail.NotFound, "There are no meeting materials named %q.", name)
	}
	return x, err
}

// Revisions lists a material's revisions, latest first.
func (s *Service) Revisions(ctx context.Context, materialID int64) ([]Revision, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (r Revision, err error) {
		err = row.Scan(&r.Rev, &r.Format, &r.Filename, &r.Size, &r.URL, &r.ByID, &r.By, &r.Created)
		return r, err
	}, `SELECT r.rev, r.format, r.filename, r.size, r.url, COALESCE(r.by_id, 0), COALESCE(p.name, ''), r.created
		FROM material_rev r LEFT JOIN person_name p ON p.id = r.by_id WHERE r.material_id = $1 ORDER BY r.rev DESC`, materialID)
}

// Content returns a revision of a material ("" is the latest) with its
// bytes.
func (s *Service) Content(ctx context.Context, name, rev string) (Material, []byte, error) {
	x, err := s.Material(ctx, name)
	if err != nil {
		return x, nil, err
	}
	if rev == "" {
		rev = x.Rev
	}
	var b []byte
	err = s.DB.QueryRowContext(ctx, `SELECT format, filename, size, url, content FROM material_rev WHERE material_id = $1 AND rev = $2`, x.ID, rev).
		Scan(&x.Format, &x.Filename, &x.Size, &x.URL, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return x, nil, fail.New(fail.NotFound, "%s has no revision %s.", x.Name, rev)
	}
	x.Rev = rev
	return x, b, err
}

// Upload is a file, or a recording's link, for a group's materials at a
// meeting.
type Upload struct {
	Kind     string
	Title    string // of slides and recordings; others are titled for their kind
	Filename string
	Content  []byte
	URL      string // a recording
	// Name, when set, is the material this revises (a slide deck);
	// agendas, minutes and chat logs have one name per group and meeting.
	Name string
}

// MayManageMaterials reports whether by may upload and revise a group's
// materials at all: its chairs, secretaries and delegates, its AD and
// the secretariat (the Datatracker's matman roles of a WG). The windows
// (R29) and final proceedings narrow it further.
func MayManageMaterials(by groups.Actor, g groups.Group) bool {
	return by.Secretariat() || by.LeadsGroup(g.ID) || by.AD(g)
}

// forbidMaterials is the refusal of someone who may not change g's
// materials.
func forbidMaterials(g string) error {
	return fail.New(fail.Forbidden, "Only the chairs, secretaries and delegates of %s, its AD and the secretariat may change its materials.", g)
}

// Upload adds a material, or a revision of one, to a group's materials at
// a meeting, after checking its content and the windows (R29); a refused
// upload changes nothing.
func (s *Service) Upload(ctx context.Context, by groups.Actor, number, acronym string, u Upload, why string) (x Material, err error) {
	defer fail.Wrap(&err, "meetings.Upload(%q, %q, %q)", number, acronym, u.Kind)
	var format string
	if u.Kind == KindRecording {
		if u.URL, err = checkURL(u.URL); err != nil {
			return x, err
		}
		format, u.Content, u.Filename = FormatURL, []byte{}, ""
	} else if format, err = Sniff(u.Kind, u.Filename, u.Content); err != nil {
		return x, err
	}
	u.Title = strings.TrimSpace(u.Title)
	if len(u.Title) > 200 {
		return x, fail.Field("title", "A title is at most 200 characters.")
	}
	var name string
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		m, g, err := s.sessionsOf(ctx, tx, number, acronym)
		if err != nil {
			return err
		}
		if !MayManageMaterials(by, g) {
			return forbidMaterials(g.Acronym)
		}
		name, err = s.store(ctx, tx, by, m, g, u, format, why)
		return err
	})
	if err != nil {
		return x, err
	}
	return s.Material(ctx, name)
}

// store writes an upload already checked and allowed; approving proposed
// slides uses it too.
func (s *Service) store(ctx context.Context, tx *db.Tx, by groups.Actor, m Meeting, g groups.Group, u Upload, format, why string) (string, error) {
	old, name, err := existing(ctx, tx, m, g, u)
	if err != nil {
		return "", err
	}
	if err := checkWindow(m, by, tx.Now, old.ID == 0); err != nil {
		return "", err
	}
	rev, verb := "00", "Uploaded"
	if old.ID != 0 {
		var latest []byte
		if err := tx.QueryRowContext(ctx, `SELECT content FROM material_rev WHERE material_id = $1 AND rev = $2`, old.ID, old.Rev).Scan(&latest); err != nil {
			return "", err
		}
		if old.State == "active" && format == old.Format && bytes.Equal(latest, u.Content) && u.URL == old.URL && (u.Title == "" || u.Title == old.Title) {
			return "", fail.New(fail.Invalid, "This is the same as %s-%s; nothing changed.", old.Name, old.Rev)
		}
		var n int
		fmt.Sscanf(old.Rev, "%d", &n)
		rev, verb = fmt.Sprintf("%02d", n+1), "Revised"
		title := old.Title
		if u.Title != "" {
			title = u.Title
		}
		if _, err := tx.ExecContext(ctx, `UPDATE material SET rev = $1, title = $2, state = 'active', updated = $3 WHERE id = $4`, rev, title, tx.Now, old.ID); err != nil {
			return "", err
		}
	} else {
		title := u.Title
		if title == "" || u.Kind != KindSlides && u.Kind != KindRecording {
			title = fmt.Sprintf("%s for %s at %s", KindNames[u.Kind], g.Acronym, m.Title())
		}
		ord, err := db.Scalar[int](tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(ord), 0) + 1 FROM material WHERE meeting_id = $1 AND group_id = $2 AND type = $3`, m.ID, g.ID, u.Kind))
		if err != nil {
			return "", err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO material (name, type, meeting_id, group_id, title, rev, state, ord, created, updated)
			VALUES ($1, $2, $3, $4, $5, '00', 'active', $6, $7, $7) RETURNING id`, name, u.Kind, m.ID, g.ID, title, ord, tx.Now).Scan(&old.ID); err != nil {
			return "", err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO material_rev (material_id, rev, format, filename, size, content, url, by_id, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, old.ID, rev, format, u.Filename, len(u.Content), u.Content, u.URL,
		sql.NullInt64{Int64: by.ID, Valid: by.ID != 0}, tx.Now); err != nil {
		return "", err
	}
	what := FormatNames[format]
	if format != FormatURL {
		what += ", " + size(len(u.Content))
	}
	return name, s.changedMaterials(ctx, tx, by, m, g.Acronym, "material_"+strings.ToLower(verb),
		fmt.Sprintf("%s %s-%s (%s)", verb, name, rev, what), why)
}

// existing finds the material an upload revises, or the name a new one
// gets.
func existing(ctx context.Context, tx *db.Tx, m Meeting, g groups.Group, u Upload) (Material, string, error) {
	name := u.Name
	switch {
	case name != "":
		name = strings.ToLower(strings.TrimSpace(name))
		x, err := material(ctx, tx, name)
		if err != nil {
			return x, "", err
		}
		if x.MeetingID != m.ID || x.GroupID != g.ID || x.Type != u.Kind {
			return x, "", fail.Field("name", "%s is not %s's %s at %s.", name, g.Acronym, strings.ToLower(KindNames[u.Kind]), m.Title())
		}
		return x, name, nil
	case u.Kind == KindSlides || u.Kind == KindRecording:
		base := MaterialName(u.Kind, m.Number, g.Acronym, slug(u.Title))
		name = base
		for i := 2; ; i++ {
			n, err := db.Scalar[int](tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM material WHERE name = $1`, name))
			if err != nil || n == 0 {
				return Material{}, name, err
			}
			name = fmt.Sprintf("%s-%d", base, i)
		}
	}
	name = MaterialName(u.Kind, m.Number, g.Acronym, "")
	x, err := material(ctx, tx, name)
	if fail.KindOf(err) == fail.NotFound {
		return Material{}, name, nil
	}
	return x, name, err
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a name part from a title: lower case words joined by dashes,
// at most 40 characters.
func slug(title string) string {
	s := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	if s == "" {
		s = "1"
	}
	return s
}

// Remove takes a material of a group at a meeting off its session (the
// Datatracker marks it deleted); its revisions stay on record. A
// material of another group or meeting is not found there: a form on one
// session's page acts on that session's materials only.
func (s *Service) Remove(ctx context.Context, by groups.Actor, number, acronym, name, why string) (err error) {
	defer fail.Wrap(&err, "meetings.Remove(%q, %q, %q)", number, acronym, name)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		x, err := material(ctx, tx, name)
		if err != nil {
			return err
		}
		if x.Meeting != strings.ToLower(number) || x.Group != strings.ToLower(acronym) {
			return fail.New(fail.NotFound, "%s is not among the materials of %s at meeting %s.", x.Name, acronym, number)
		}
		g, err := s.Groups.Get(ctx, x.Group)
		if err != nil {
			return err
		}
		if !MayManageMaterials(by, g) {
			return forbidMaterials(x.Group)
		}
		if x.State != "active" {
			return fail.New(fail.Conflict, "%s is already removed.", x.Name)
		}
		m, err := get(ctx, tx, x.Meeting)
		if err != nil {
			return err
		}
		if err := checkWindow(m, by, tx.Now, false); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE material SET state = 'deleted', updated = $1 WHERE id = $2`, tx.Now, x.ID); err != nil {
			return err
		}
		return s.changedMaterials(ctx, tx, by, m, x.Group, "material_removed", "Removed "+x.Name, why)
	})
}

// sessionsOf loads a meeting and a group that has a session there (a
// request, scheduled or not, that is not withdrawn).
func (s *Service) sessionsOf(ctx context.Context, tx *db.Tx, number, acronym string) (Meeting, groups.Group, error) {
	m, err := get(ctx, tx, number)
	if err != nil {
		return m, groups.Group{}, err
	}
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return m, g, err
	}
	n, err := db.Scalar[int](tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM session WHERE meeting_id = $1 AND group_id = $2
		AND status NOT IN ('deleted', 'notmeet', 'canceled', 'disappr')`, m.ID, g.ID))
	if err == nil && n == 0 {
		err = fail.New(fail.NotFound, "%s has no session at %s.", g.Acronym, m.Title())
	}
	return m, g, err
}

// changedMaterials records a change to a group's materials on the
// group's record, naming the meeting, and marks the meeting changed.
func (s *Service) changedMaterials(ctx context.Context, tx *db.Tx, by groups.Actor, m Meeting, acronym, kind, summary, why string) error {
	return s.changedSession(ctx, tx, by, m, Session{Group: acronym}, kind, summary, why)
}
