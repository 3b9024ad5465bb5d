package scheduler_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/scheduler"
)

var update = flag.Bool("update", false, "write testdata/ietf83-official.json again from the imported corpus")

const officialJSON = "testdata/ietf83-official.json"

// TestOfficialJSON writes IETF 83's official schedule as a placement
// file. It is kept in testdata (the fuzz target's seed) and must match
// what WriteJSON writes today. Read back, the file is refused for the
// rooms the official schedule double-booked; without those, it reads
// back as the placement it was written from.
func TestOfficialJSON(t *testing.T) {
	e := newEnv83(t)
	sc, err := e.s.Score(e.ctx, "83", "mtg:83")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := scheduler.WriteJSON(&b, sc.Problem, sc.Placement); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(officialJSON, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kept, err := os.ReadFile(officialJSON)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(kept, b.Bytes()) {
		t.Errorf("%s differs from what WriteJSON writes now; run go test -run TestOfficialJSON -update", officialJSON)
	}
	lines := strings.Split(b.String(), "\n")
	if lines[0] != "[" || lines[1] != `  {"group":"tictoc","session_index":0,"start":"2012-03-26T09:00","room":"212/213"},` {
		t.Errorf("the file begins %q", lines[:2])
	}
	// 132 sessions, five of them over two slots.
	if n := strings.Count(b.String(), `"group"`); n != 137 {
		t.Errorf("%d entries, want 137", n)
	}

	_, err = scheduler.ReadPins(bytes.NewReader(b.Bytes()), sc.Problem)
	if fail.KindOf(err) != fail.Invalid || !strings.Contains(err.Error(), "a slot holds one session") {
		t.Errorf("reading the official schedule with its double-booked rooms: %v", err)
	}
	pins, err := scheduler.DecodePins(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// Leave out the sessions in double-booked rooms: the file cannot say
	// which of two slots at one start in one room each was in.
	at := map[string]int{}
	for _, p := range pins {
		at[p.Start+" "+p.Room]++
	}
	var single []scheduler.Pin
	dropped := map[string]bool{}
	for _, p := range pins {
		if at[p.Start+" "+p.Room] > 1 {
			dropped[p.Group] = true
			continue
		}
		single = append(single, p)
	}
	if len(dropped) != 6 {
		t.Errorf("dropped %v, want the six sessions in the three double-booked rooms", dropped)
	}
	back, err := scheduler.ResolvePins(sc.Problem, single)
	if err != nil {
		t.Fatal(err)
	}
	want := scheduler.Placement{}
	for _, s := range sc.Problem.Sessions {
		if ts, ok := sc.Placement[s.ID]; ok && !dropped[s.Group] {
			want[s.ID] = ts
		}
	}
	if d := cmp.Diff(want, back); d != "" {
		t.Errorf("read back (-written +read):\n%s", d)
	}
}

// small is a problem of two rooms, two slots a day for two days, and
// three groups, one of which asks for two sessions.
func small() *scheduler.Problem {
	zone, _ := time.LoadLocation("Europe/Paris")
	p := &scheduler.Problem{Meeting: "200", Zone: zone}
	id := int64(1)
	for day := range 2 {
		for _, h := range []int{9, 13} {
			for _, room := range []string{"Salon A", "Salon B"} {
				p.Slots = append(p.Slots, scheduler.Slot{ID: id, Room: room, Capacity: 100,
					Start: time.Date(2030, 3, 18+day, h, 0, 0, 0, zone), Duration: 2 * time.Hour})
				id++
			}
		}
	}
	p.Sessions = []scheduler.Session{{ID: 10, Group: "quic"}, {ID: 11, Group: "tls"}, {ID: 12, Group: "tls", Index: 1}}
	return p
}

func TestReadPins(t *testing.T) {
	p := small()
	pl, err := scheduler.ReadPins(strings.NewReader(`[
		{"group": "tls", "session_index": 1, "start": "2030-03-19T09:00", "room": "Salon B"},
		{"group": "quic", "session_index": 0, "start": "2030-03-18T13:00", "room": "Salon A"},
		{"group": "quic", "session_index": 0, "start": "2030-03-18T09:00", "room": "Salon A"}]`), p)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(scheduler.Placement{10: {1, 3}, 12: {6}}, pl); d != "" {
		t.Errorf("placement (-want +got):\n%s", d)
	}
	var b bytes.Buffer
	if err := scheduler.WriteJSON(&b, p, pl); err != nil {
		t.Fatal(err)
	}
	want := `[
  {"group":"quic","session_index":0,"start":"2030-03-18T09:00","room":"Salon A"},
  {"group":"quic","session_index":0,"start":"2030-03-18T13:00","room":"Salon A"},
  {"group":"tls","session_index":1,"start":"2030-03-19T09:00","room":"Salon B"}
]
`
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("WriteJSON (-want +got):\n%s", d)
	}
	if err := scheduler.WriteJSON(&b, p, scheduler.Placement{99: {1}}); err == nil {
		t.Errorf("WriteJSON of a session the problem lacks: no error")
	}
	b.Reset()
	if err := scheduler.WriteJSON(&b, p, nil); err != nil || b.String() != "[]\n" {
		t.Errorf("WriteJSON of nothing: %q, %v", b.String(), err)
	}

	for _, c := range []struct{ name, in, want string }{
		{"not JSON", `[{"group": `, "not a JSON list"},
		{"an object", `{"group": "tls"}`, "not a JSON list"},
		{"two lists", `[] []`, "more after its list"},
		{"unknown field", `[{"group": "tls", "session_index": 0, "start": "2030-03-18T09:00", "room": "Salon A", "pinned": true}]`, `unknown field "pinned"`},
		{"missing fields", `[{"group": "tls", "room": "Salon A"}]`, "Entry 1 of the placement file lacks session_index, start"},
		{"unknown group", `[{"group": "nope", "session_index": 0, "start": "2030-03-18T09:00", "room": "Salon A"}]`, `names session 0 of "nope", which IETF 200 does not have`},
		{"unknown index", `[{"group": "tls", "session_index": 2, "start": "2030-03-18T09:00", "room": "Salon A"}]`, `session 2 of "tls"`},
		{"unknown room", `[{"group": "tls", "session_index": 0, "start": "2030-03-18T09:00", "room": "Salon C"}]`, `a slot at 2030-03-18T09:00 in "Salon C"`},
		{"unknown time", `[{"group": "tls", "session_index": 0, "start": "2030-03-18T10:00", "room": "Salon A"}]`, `a slot at 2030-03-18T10:00`},
		{"bad start", `[{"group": "tls", "session_index": 0, "start": "18/03/2030 09:00", "room": "Salon A"}]`, "YYYY-MM-DDTHH:MM"},
		{"two sessions in one slot", `[{"group": "tls", "session_index": 0, "start": "2030-03-18T09:00", "room": "Salon A"},
			{"group": "quic", "session_index": 0, "start": "2030-03-18T09:00", "room": "Salon A"}]`, "Entries 1 and 2 of the placement file both put a session in Salon A at 2030-03-18T09:00"},
		{"one session twice in a slot", `[{"group": "tls", "session_index": 0, "start": "2030-03-18T09:00", "room": "Salon A"},
			{"group": "tls", "session_index": 0, "start": "2030-03-18T09:00", "room": "Salon A"}]`, "a slot holds one session"},
	} {
		_, err := scheduler.ReadPins(strings.NewReader(c.in), p)
		if fail.KindOf(err) != fail.Invalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want invalid saying %q", c.name, err, c.want)
		}
	}
}

// FuzzReadPins reads placement files against the problem their seed
// describes (its sessions and slots), starting from IETF 83's official
// schedule. Whatever it reads must be refused as invalid, or be a
// placement of that problem's sessions, one session a slot, which
// WriteJSON writes and ReadPins reads back the same.
func FuzzReadPins(f *testing.F) {
	seed, err := os.ReadFile(filepath.FromSlash(officialJSON))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`[{"group": "6man", "session_index": 0, "start": "2012-03-27T09:00", "room": "Maillot"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	pins, err := scheduler.DecodePins(bytes.NewReader(seed))
	if err != nil {
		f.Fatal(err)
	}
	p := problemOf(f, pins)
	f.Fuzz(func(t *testing.T, in []byte) {
		pl, err := scheduler.ReadPins(bytes.NewReader(in), p)
		if err != nil {
			if fail.KindOf(err) != fail.Invalid {
				t.Fatalf("refused with %v (%s), not as invalid", err, fail.KindOf(err))
			}
			return
		}
		used := map[int64]bool{}
		for _, ts := range pl {
			for _, id := range ts {
				if used[id] {
					t.Fatalf("slot %d given twice in %v", id, pl)
				}
				used[id] = true
			}
		}
		var b bytes.Buffer
		if err := scheduler.WriteJSON(&b, p, pl); err != nil {
			t.Fatal(err)
		}
		back, err := scheduler.ReadPins(&b, p)
		if err != nil {
			t.Fatalf("reading back what WriteJSON wrote: %v", err)
		}
		if d := cmp.Diff(pl, back); d != "" {
			t.Fatalf("read back (-first +second):\n%s", d)
		}
	})
}

// problemOf makes the problem a placement file speaks of: a session for
// each group and index it names, an hour's slot for each start and room.
func problemOf(t testing.TB, pins []scheduler.Pin) *scheduler.Problem {
	zone, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	p := &scheduler.Problem{Meeting: "83", Zone: zone}
	sessions, slots := map[string]bool{}, map[string]bool{}
	for _, pin := range pins {
		if k := pin.Group + " " + string(rune('0'+pin.SessionIndex)); !sessions[k] {
			sessions[k] = true
			p.Sessions = append(p.Sessions, scheduler.Session{ID: int64(len(p.Sessions) + 1), Group: pin.Group, Index: pin.SessionIndex})
		}
		if k := pin.Start + " " + pin.Room; !slots[k] {
			slots[k] = true
			start, err := time.ParseInLocation(scheduler.StartLayout, pin.Start, zone)
			if err != nil {
				t.Fatal(err)
			}
			p.Slots = append(p.Slots, scheduler.Slot{ID: int64(len(p.Slots) + 1), Room: pin.Room, Capacity: 100, Start: start, Duration: time.Hour})
		}
	}
	return p
}
