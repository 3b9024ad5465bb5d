package scheduler

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"hum/internal/fail"
)

// The placement file (hum schedule --json, and --pin) is a JSON list of
// {"group", "session_index", "start", "room"}: session_index counts from
// 0 among the group's sessions in request order, start is the slot's
// start in the meeting's local time (YYYY-MM-DDTHH:MM), room the room's
// name. A session over two consecutive slots appears twice.

// Pin is one entry of a placement file: one session in one slot.
type Pin struct {
	Group        string `json:"group"`
	SessionIndex int    `json:"session_index"`
	Start        string `json:"start"` // local time, StartLayout
	Room         string `json:"room"`
}

// StartLayout is how a placement file writes a slot's start.
const StartLayout = "2006-01-02T15:04"

// maxPins bounds a placement file: a meeting has a few hundred slots.
const maxPins = 100_000

// Pins lists a placement as a placement file's entries, by start, room,
// group and index.
func Pins(p *Problem, pl Placement) ([]Pin, error) {
	sess := map[int64]Session{}
	for _, s := range p.Sessions {
		sess[s.ID] = s
	}
	slots := map[int64]Slot{}
	for _, t := range p.Slots {
		slots[t.ID] = t
	}
	zone := zoneOf(p)
	var out []Pin
	for id, ts := range pl {
		s, ok := sess[id]
		if !ok {
			return nil, fmt.Errorf("the placement places session %d, which the problem does not hold", id)
		}
		for _, t := range ts {
			sl, ok := slots[t]
			if !ok {
				return nil, fmt.Errorf("the placement puts %s in slot %d, which the problem does not hold", s.Group, t)
			}
			out = append(out, Pin{Group: s.Group, SessionIndex: s.Index, Start: sl.Start.In(zone).Format(StartLayout), Room: sl.Room})
		}
	}
	slices.SortFunc(out, func(a, b Pin) int {
		return cmp.Or(strings.Compare(a.Start, b.Start), strings.Compare(a.Room, b.Room), strings.Compare(a.Group, b.Group), a.SessionIndex-b.SessionIndex)
	})
	return out, nil
}

// WriteJSON writes a placement as a placement file, one entry a line, in
// the order of Pins: the same placement gives the same bytes.
func WriteJSON(w io.Writer, p *Problem, pl Placement) error {
	pins, err := Pins(p, pl)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("[")
	for i, pin := range pins {
		line, err := json.Marshal(pin)
		if err != nil {
			return err
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  ")
		b.Write(line)
	}
	if len(pins) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err = w.Write(b.Bytes())
	return err
}

// DecodePins reads a placement file's entries. Every field must be
// there and no other; anything else is refused with what was wrong.
func DecodePins(r io.Reader) ([]Pin, error) {
	type entry struct {
		Group        *string `json:"group"`
		SessionIndex *int    `json:"session_index"`
		Start        *string `json:"start"`
		Room         *string `json:"room"`
	}
	dec := json.NewDecoder(io.LimitReader(r, 64<<20))
	dec.DisallowUnknownFields()
	var es []entry
	if err := dec.Decode(&es); err != nil {
		return nil, fail.New(fail.Invalid, "The placement file is not a JSON list of {\"group\", \"session_index\", \"start\", \"room\"}: %v.", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fail.New(fail.Invalid, "The placement file has more after its list; it holds one JSON list.")
	}
	if len(es) > maxPins {
		return nil, fail.New(fail.Invalid, "The placement file has %d entries; a meeting has far fewer slots.", len(es))
	}
	out := make([]Pin, len(es))
	for i, e := range es {
		var missing []string
		if e.Group == nil {
			missing = append(missing, "group")
		}
		if e.SessionIndex == nil {
			missing = append(missing, "session_index")
		}
		if e.Start == nil {
			missing = append(missing, "start")
		}
		if e.Room == nil {
			missing = append(missing, "room")
		}
		if len(missing) > 0 {
			return nil, fail.New(fail.Invalid, "Entry %d of the placement file lacks %s.", i+1, strings.Join(missing, ", "))
		}
		out[i] = Pin{Group: *e.Group, SessionIndex: *e.SessionIndex, Start: *e.Start, Room: *e.Room}
	}
	return out, nil
}

// ResolvePins turns a placement file's entries into a placement of p's
// sessions and slots. It refuses, naming the entry: a session p does
// not hold (group and index), a slot p does not hold (start and room), a
// slot given twice (two sessions in one slot, or one twice), and a start
// that is not YYYY-MM-DDTHH:MM.
func ResolvePins(p *Problem, pins []Pin) (Placement, error) {
	zone := zoneOf(p)
	type sessKey struct {
		group string
		index int
	}
	sessions := map[sessKey]int64{}
	for _, s := range p.Sessions {
		sessions[sessKey{s.Group, s.Index}] = s.ID
	}
	// Slots by start and room; where a room has two slots at one start
	// (a double-booked room), the file cannot tell them apart, and the
	// first by id is the one it means.
	slots := map[string]Slot{}
	for _, t := range p.Slots {
		k := t.Start.In(zone).Format(StartLayout) + "\x00" + t.Room
		if o, ok := slots[k]; !ok || t.ID < o.ID {
			slots[k] = t
		}
	}
	out := Placement{}
	taken := map[int64]int{} // slot → entry
	for i, pin := range pins {
		n := i + 1
		if _, err := time.ParseInLocation(StartLayout, pin.Start, zone); err != nil {
			return nil, fail.New(fail.Invalid, "Entry %d of the placement file starts at %q, which is not a local time written YYYY-MM-DDTHH:MM.", n, pin.Start)
		}
		id, ok := sessions[sessKey{pin.Group, pin.SessionIndex}]
		if !ok {
			return nil, fail.New(fail.Invalid, "Entry %d of the placement file names session %d of %q, which IETF %s does not have to schedule.", n, pin.SessionIndex, pin.Group, p.Meeting)
		}
		t, ok := slots[pin.Start+"\x00"+pin.Room]
		if !ok {
			return nil, fail.New(fail.Invalid, "Entry %d of the placement file names a slot at %s in %q, which IETF %s does not have.", n, pin.Start, pin.Room, p.Meeting)
		}
		if j, ok := taken[t.ID]; ok {
			return nil, fail.New(fail.Invalid, "Entries %d and %d of the placement file both put a session in %s at %s; a slot holds one session.", j, n, pin.Room, pin.Start)
		}
		taken[t.ID] = n
		out[id] = append(out[id], t.ID)
	}
	starts := map[int64]time.Time{}
	for _, t := range p.Slots {
		starts[t.ID] = t.Start
	}
	for _, ts := range out {
		slices.SortFunc(ts, func(a, b int64) int { return starts[a].Compare(starts[b]) })
	}
	return out, nil
}

// ReadPins reads a placement file and resolves it against p.
func ReadPins(r io.Reader, p *Problem) (Placement, error) {
	pins, err := DecodePins(r)
	if err != nil {
		return nil, err
	}
	return ResolvePins(p, pins)
}

func zoneOf(p *Problem) *time.Location {
	if p.Zone == nil {
		return time.UTC
	}
	return p.Zone
}
