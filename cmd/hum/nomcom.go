package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/nomcom"
)

// nomcomEligible is `hum nomcom eligible`: everyone eligible for a
// year's NomCom on a day (its call for volunteers unless --date says
// otherwise), by each path, with the evidence (R45-R47, R50), and who
// of them may not volunteer (R48).
func nomcomEligible(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("nomcom eligible")
	year := fs.Int("year", 0, "the NomCom's year (default: the latest NomCom)")
	date := fs.String("date", "", "the day eligibility is judged on, YYYY-MM-DD (default: the NomCom's call for volunteers, or today)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("nomcom eligible takes flags only (got %q)", fs.Args())
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if *year == 0 && *date == "" {
		if *year, err = latestNomCom(ctx, a.NomCom); err != nil {
			return err
		}
	}
	var day time.Time
	why := "the day given"
	if *date != "" {
		if day, err = time.Parse(time.DateOnly, *date); err != nil {
			return fmt.Errorf("--date %q: write it as YYYY-MM-DD", *date)
		}
	} else {
		n, err := a.NomCom.Get(ctx, *year)
		if err != nil {
			return err
		}
		day, why = n.CallDate, "the day of the call for volunteers"
		if day.IsZero() {
			now := a.DB.Now().UTC()
			day, why = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), "today; the call for volunteers is not open yet"
		}
	}
	r, err := a.NomCom.Eligible(ctx, day)
	if err != nil {
		return err
	}
	title := "NomCom eligibility"
	if *year != 0 {
		title = fmt.Sprintf("NomCom %d: eligibility", *year)
	}
	fmt.Fprintf(out, "%s on %s (%s)\n", title, day.Format(time.DateOnly), why)
	var ms []string
	for _, m := range r.Meetings {
		ms = append(ms, fmt.Sprintf("IETF %s (%s)", m.Number, m.Date.Format(time.DateOnly)))
	}
	if len(ms) == 0 {
		ms = []string{"none"}
	}
	fmt.Fprintf(out, "The last five IETF meetings (R50): %s\n", strings.Join(ms, ", "))
	fmt.Fprintf(out, "%d eligible: %d by R45 (three of the last five meetings), %d by R46 (WG chair or secretary in three years), %d by R47 (two IETF-stream RFCs in five years)\n\n",
		len(r.People), r.Count(nomcom.PathAttendance), r.Count(nomcom.PathService), r.Count(nomcom.PathAuthorship))
	for _, e := range r.People {
		fmt.Fprintf(out, "%s [%s]\n", e.Name, strings.Join(e.Paths, " "))
		for _, line := range e.Explain() {
			if strings.Contains(line, " not met") {
				continue
			}
			fmt.Fprintf(out, "  %s\n", line)
		}
		for _, a := range e.Attendance {
			if a.Counts {
				fmt.Fprintf(out, "    IETF %s: registered %s%s, %d session(s) on the blue sheets\n", a.Meeting.Number, a.Type, map[bool]string{true: ", checked in"}[a.CheckedIn], a.Sessions)
			}
		}
		for _, o := range e.Offices {
			to := "now"
			if !o.To.IsZero() {
				to = o.To.Format(time.DateOnly)
			}
			from := "before the record"
			if !o.From.IsZero() {
				from = o.From.Format(time.DateOnly)
			}
			fmt.Fprintf(out, "    %s of %s, %s to %s\n", groups.RoleName(o.Role), o.Acronym, from, to)
		}
		for _, w := range e.Works {
			fmt.Fprintf(out, "    %s (%s, %s)\n", w.Name, map[string]string{"rfc": "published", "queue": "in the RFC Editor queue"}[w.Kind], w.Date.Format(time.DateOnly))
		}
	}
	return nil
}

// nomcomSelect is `hum nomcom select`: the selection of a year's NomCom
// computed again from its published pool and sources (RFC 3797, R49),
// step by step; with --value, from those values instead, changing
// nothing. It says whether the result is the one hum seated, and fails
// when a recorded selection does not match.
func nomcomSelect(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("nomcom select")
	year := fs.Int("year", 0, "the NomCom's year (default: the latest NomCom that has published its pool)")
	var values multiFlag
	fs.Var(&values, "value", "a random source's value, once per source in their order (default: the values entered)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("nomcom select takes --year Y [--value V ...], and flags only (got %q)", fs.Args())
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if *year == 0 {
		ns, err := a.NomCom.List(ctx)
		if err != nil {
			return err
		}
		for _, n := range ns {
			if n.State == nomcom.Pool || n.State == nomcom.Selected {
				*year = n.Year
				break
			}
		}
		if *year == 0 {
			return fmt.Errorf("no NomCom has published its pool yet")
		}
	}
	c, err := a.NomCom.Compute(ctx, *year, values)
	if err != nil {
		if fe, ok := fail.As(err); ok {
			return fmt.Errorf("%s", fe.Error())
		}
		return err
	}
	fmt.Fprint(out, a.NomCom.ResultText(c))
	switch {
	case values != nil:
		fmt.Fprintln(out, "\nComputed from the values given; nothing was recorded.")
	case c.Recorded:
		fmt.Fprintln(out, "\nThis is the selection hum recorded and seated.")
	default:
		return fmt.Errorf("the computation from the published inputs does not match the seats hum recorded")
	}
	return nil
}

// latestNomCom is the year of the latest NomCom.
func latestNomCom(ctx context.Context, s *nomcom.Service) (int, error) {
	ns, err := s.List(ctx)
	if err != nil {
		return 0, err
	}
	if len(ns) == 0 {
		return 0, fmt.Errorf("there is no NomCom yet; give --date YYYY-MM-DD")
	}
	return ns[0].Year, nil
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
