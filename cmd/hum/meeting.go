package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// meetingAdd is `hum meeting add`: an IETF meeting with its rooms and the
// usual grid of session slots in every room, as the secretariat.
func meetingAdd(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("meeting add")
	var n meetings.NewMeeting
	fs.StringVar(&n.Number, "number", "", "the meeting's number, e.g. 125")
	fs.StringVar(&n.City, "city", "", "city")
	fs.StringVar(&n.Country, "country", "", "two-letter ISO 3166 country code, e.g. FR")
	fs.StringVar(&n.TimeZone, "tz", "", "IANA time zone, e.g. Europe/Paris")
	fs.StringVar(&n.Date, "date", "", "first day, YYYY-MM-DD")
	fs.IntVar(&n.Days, "days", 6, "how many days")
	fs.StringVar(&n.VenueName, "venue", "", "venue name")
	fs.Func("room", `a room as "Name:capacity" (repeat for each room; without any, the usual eight)`, func(v string) error {
		r, err := parseRoom(v)
		n.Rooms = append(n.Rooms, r)
		return err
	})
	why := fs.String("why", "", "why, for the record")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: meeting add takes only flags", fs.Args())
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	m, err := a.Meetings.Create(ctx, groups.Operator(admin()), n, *why)
	if err != nil {
		return withProblems(err)
	}
	rooms, err := a.Meetings.Rooms(ctx, m.ID)
	if err != nil {
		return err
	}
	slots, err := a.Meetings.Timeslots(ctx, m.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created %s in %s, %s: %s to %s (%s)\n", m.Title(), m.City, m.Country,
		m.Date.Format("Mon 2006-01-02"), m.Day(m.Days-1).Format("Mon 2006-01-02"), m.TimeZone)
	var names []string
	for _, r := range rooms {
		names = append(names, fmt.Sprintf("%s (%d)", r.Name, r.Capacity))
	}
	fmt.Fprintf(out, "%d rooms: %s\n", len(rooms), strings.Join(names, ", "))
	byType := map[string]int{}
	for _, t := range slots {
		byType[t.Type]++
	}
	var kinds []string
	for k := range byType {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var counts []string
	for _, k := range kinds {
		counts = append(counts, fmt.Sprintf("%d %s", byType[k], k))
	}
	fmt.Fprintf(out, "%d timeslots: %s\n", len(slots), strings.Join(counts, ", "))
	return nil
}

// withProblems spells out each problem of a refusal that has several,
// one a line, as a form shows them beside their fields.
func withProblems(err error) error {
	f, ok := fail.As(err)
	if !ok || len(f.Problems) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(f.Message)
	for _, p := range f.Problems {
		b.WriteString("\n  ")
		if flag := map[string]string{"time_zone": "tz", "rooms": "room"}[p.Field]; flag != "" {
			b.WriteString("--" + flag + ": ")
		} else if p.Field != "" {
			b.WriteString("--" + p.Field + ": ")
		}
		b.WriteString(p.Error())
	}
	return errors.New(b.String())
}

// parseRoom reads "Name:capacity"; the name may hold colons itself.
func parseRoom(v string) (meetings.NewRoom, error) {
	i := strings.LastIndexByte(v, ':')
	if i <= 0 {
		return meetings.NewRoom{}, fmt.Errorf("a room is \"Name:capacity\", such as \"Salon A:200\"; got %q", v)
	}
	c, err := strconv.Atoi(strings.TrimSpace(v[i+1:]))
	if err != nil {
		return meetings.NewRoom{}, fmt.Errorf("room %q: the capacity %q is not a whole number", v[:i], v[i+1:])
	}
	return meetings.NewRoom{Name: strings.TrimSpace(v[:i]), Capacity: c}, nil
}

// importMeeting is `hum import meeting --number N DIR`: a past meeting
// from the Datatracker's fixtures in DIR (meetingN.json, constraintN.json),
// with the group list they name (../groups/workinggroups-2013.json beside
// DIR, or --groups). The service does the work, in one transaction.
func importMeeting(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("import meeting")
	number := fs.String("number", "", "the meeting's number, e.g. 83")
	groupList := fs.String("groups", "", "the Datatracker's group list (default: groups/workinggroups-2013.json in DIR's parent or grandparent, as in the corpus)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *number == "" {
		return fmt.Errorf("import meeting takes --number N and one DIR holding meetingN.json and constraintN.json (flags go before it)")
	}
	dir := fs.Arg(0)
	if *groupList == "" {
		*groupList = defaultGroupList(dir)
	}
	in := meetings.DatatrackerImport{Number: *number}
	for _, f := range []string{filepath.Join(dir, "meeting"+*number+".json"), filepath.Join(dir, "constraint"+*number+".json"), *groupList} {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		in.Fixtures = append(in.Fixtures, b)
	}
	start := time.Now()
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	sum, err := a.Meetings.ImportDatatracker(ctx, groups.Operator(admin()), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s (%v)\n", sum, time.Since(start).Round(time.Millisecond))
	if len(sum.GroupsCreated) > 0 {
		fmt.Fprintf(out, "groups created: %s\n", strings.Join(sum.GroupsCreated, " "))
	}
	return nil
}

// defaultGroupList finds the corpus's group list beside the meetings:
// DIR is corpus/meetings/ietf83, the list corpus/groups/...; a DIR one
// level shallower finds it too.
func defaultGroupList(dir string) string {
	for _, up := range []string{"..", filepath.Join("..", "..")} {
		p := filepath.Join(dir, up, "groups", "workinggroups-2013.json")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join(dir, "..", "..", "groups", "workinggroups-2013.json")
}
