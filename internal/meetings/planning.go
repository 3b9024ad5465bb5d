package meetings

import (
	"context"
	"database/sql"

	"hum/internal/db"
)

// Planning is what a scheduler reads of a meeting, whole: the rooms and
// timeslots, every session with the groups it is held jointly with,
// every constraint, the groups all of these name, and where the official
// schedule puts each session. Which sessions are the scheduler's to
// place is the scheduler's to say; this is the data, not the policy.
type Planning struct {
	Meeting     Meeting
	Rooms       []Room
	Slots       []Timeslot         // every timeslot, by start and room
	Sessions    []Session          // every session, by group and id
	Joint       map[int64][]string // session id → the groups it is held jointly with
	Constraints []SessionConstraint
	Groups      []PlanningGroup // every group a session, joint session or constraint names, by acronym
	Official    []Assignment    // the official schedule's, by time
}

// SessionConstraint is one row of a group's requests of the schedule:
// a conflict with a group (Target), a person who must be there
// (PersonID), times it cannot meet (TimeRanges, comma-separated slugs),
// how its sessions sit in time (TimeRelation), a group to meet next to
// (wg_adjacent, Target).
type SessionConstraint struct {
	Source       string // the group that asked
	Name         string // a ConstraintName slug
	Target       string
	PersonID     int64
	TimeRelation string
	TimeRanges   string
}

// PlanningGroup is what a scheduler knows of a group: what it is, its
// area, and its ADs. For a meeting imported from the Datatracker the ADs
// are the group's responsible ADs of the time, as Datatracker person ids
// (meeting_group_ad); otherwise they are hum's people who hold the ad
// role in the group, else in its parent. Either way they are only told
// apart from one another, never looked up.
type PlanningGroup struct {
	Acronym, Type, State string
	Parent               string // acronym
	ADs                  []int64
}

// Planning reads what scheduling meeting number needs.
func (s *Service) Planning(ctx context.Context, number string) (p Planning, err error) {
	if p.Meeting, err = s.Get(ctx, number); err != nil {
		return p, err
	}
	id := p.Meeting.ID
	if p.Rooms, err = s.Rooms(ctx, id); err != nil {
		return p, err
	}
	if p.Slots, err = s.Timeslots(ctx, id); err != nil {
		return p, err
	}
	if p.Sessions, err = db.Query(ctx, s.DB, scanSession, `SELECT `+sessionCols+sessionFrom+`WHERE s.meeting_id = $1 ORDER BY g.acronym, s.id`, id); err != nil {
		return p, err
	}
	if p.Joint, err = s.jointGroups(ctx, id); err != nil {
		return p, err
	}
	if p.Constraints, err = db.Query(ctx, s.DB, func(row db.Scanner) (c SessionConstraint, err error) {
		err = row.Scan(&c.Source, &c.Name, &c.Target, &c.PersonID, &c.TimeRelation, &c.TimeRanges)
		return c, err
	}, `SELECT g.acronym, c.name, COALESCE(t.acronym, ''), COALESCE(c.person_id, 0), c.time_relation, c.timeranges
		FROM session_constraint c JOIN group_ref g ON g.id = c.source_id LEFT JOIN group_ref t ON t.id = c.target_id
		WHERE c.meeting_id = $1 ORDER BY g.acronym, c.id`, id); err != nil {
		return p, err
	}
	if p.Groups, err = planningGroups(ctx, s.DB, id); err != nil {
		return p, err
	}
	if p.Meeting.ScheduleID != 0 {
		p.Official, _, err = s.AssignmentList(ctx, AssignmentFilter{ScheduleID: p.Meeting.ScheduleID})
	}
	return p, err
}

func planningGroups(ctx context.Context, q db.Querier, meetingID int64) ([]PlanningGroup, error) {
	gs, err := db.Query(ctx, q, func(row db.Scanner) (g PlanningGroup, err error) {
		err = row.Scan(&g.Acronym, &g.Type, &g.State, &g.Parent)
		return g, err
	}, `SELECT g.acronym, g.type, g.state, COALESCE(p.acronym, '') FROM group_ref g LEFT JOIN group_ref p ON p.id = g.parent_id
		WHERE g.id IN (SELECT group_id FROM session WHERE meeting_id = $1
			UNION SELECT source_id FROM session_constraint WHERE meeting_id = $1
			UNION SELECT target_id FROM session_constraint WHERE meeting_id = $1 AND target_id IS NOT NULL
			UNION SELECT j.group_id FROM session_joint_with_group j JOIN session s ON s.id = j.session_id WHERE s.meeting_id = $1)
		ORDER BY g.acronym`, meetingID)
	if err != nil {
		return nil, err
	}
	type holder struct {
		acronym string
		person  sql.NullInt64
	}
	scan := func(row db.Scanner) (h holder, err error) {
		err = row.Scan(&h.acronym, &h.person)
		return h, err
	}
	hs, err := db.Query(ctx, q, scan, `SELECT g.acronym, a.datatracker_person FROM meeting_group_ad a JOIN group_ref g ON g.id = a.group_id
		WHERE a.meeting_id = $1 ORDER BY g.acronym, a.datatracker_person`, meetingID)
	imported := len(hs) > 0
	if err == nil && !imported {
		hs, err = db.Query(ctx, q, scan, `SELECT acronym, person_id FROM role_holder WHERE role = 'ad' ORDER BY acronym, person_id`)
	}
	if err != nil {
		return nil, err
	}
	ads := map[string][]int64{}
	for _, h := range hs {
		if h.person.Valid {
			ads[h.acronym] = append(ads[h.acronym], h.person.Int64)
		}
	}
	for i := range gs {
		if gs[i].ADs = ads[gs[i].Acronym]; gs[i].ADs == nil && !imported {
			gs[i].ADs = ads[gs[i].Parent]
		}
	}
	return gs, nil
}
