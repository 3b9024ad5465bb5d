package meetings_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

func TestUploadAndRevise(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	chair := e.as("chair-tls@example.org")
	x, err := e.m.Upload(e.ctx, chair, "125", "tls", meetings.Upload{Kind: meetings.KindMinutes, Filename: "minutes.md",
		Content: []byte("# Minutes\n\nWe discussed draft-ietf-tls-esni.\n")}, "first cut")
	if err != nil {
		t.Fatal(err)
	}
	if x.Name != "minutes-125-tls" || x.Rev != "00" || x.Format != meetings.FormatMarkdown || x.Title != "Minutes for tls at IETF 125" {
		t.Errorf("material = %+v", x)
	}
	if _, err := e.m.Upload(e.ctx, chair, "125", "tls", meetings.Upload{Kind: meetings.KindMinutes, Filename: "minutes.txt",
		Content: []byte("Minutes, corrected.\n")}, ""); err != nil {
		t.Fatal(err)
	}
	x, b, err := e.m.Content(e.ctx, "minutes-125-tls", "")
	if err != nil || x.Rev != "01" || x.Format != meetings.FormatText || string(b) != "Minutes, corrected.\n" {
		t.Errorf("latest = %+v %q %v", x, b, err)
	}
	if _, b, _ := e.m.Content(e.ctx, "minutes-125-tls", "00"); !strings.Contains(string(b), "# Minutes") {
		t.Errorf("revision 00 = %q", b)
	}
	revs, _ := e.m.Revisions(e.ctx, x.ID)
	if len(revs) != 2 || revs[0].Rev != "01" || revs[0].By != "Chris Chair" {
		t.Errorf("revisions = %+v", revs)
	}
	// Two slide decks with the same title get distinct names; a PPTX
	// counts as slides.
	for _, f := range []struct{ name string }{{"intro.pdf"}, {"intro.pptx"}} {
		content := []byte("%PDF-1.7\n...")
		if strings.HasSuffix(f.name, ".pptx") {
			content = pptx()
		}
		if _, err := e.m.Upload(e.ctx, chair, "125", "tls", meetings.Upload{Kind: meetings.KindSlides, Title: "Chairs' intro", Filename: f.name, Content: content}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.m.Upload(e.ctx, e.as("sec@example.org"), "125", "tls", meetings.Upload{Kind: meetings.KindRecording, Title: "Video", URL: "https://www.example.org/v/125-tls"}, ""); err != nil {
		t.Fatal(err)
	}
	xs, _ := e.m.Materials(e.ctx, e.meeting.ID, 0)
	var names []string
	for _, x := range xs {
		names = append(names, x.Name+"-"+x.Rev+" "+x.Format)
	}
	want := []string{"minutes-125-tls-01 txt", "slides-125-tls-chairs-intro-00 pdf", "slides-125-tls-chairs-intro-2-00 pptx", "recording-125-tls-video-00 url"}
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("materials (-want +got):\n%s", d)
	}
	evs, _ := e.groupEvents("tls")
	if evs[0] != "material_uploaded" || evs[3] != "material_revised" {
		t.Errorf("tls's history = %v", evs)
	}
	// The same content again is no revision.
	before := e.state()
	if _, err := e.m.Upload(e.ctx, chair, "125", "tls", meetings.Upload{Kind: meetings.KindMinutes, Filename: "m.txt", Content: []byte("Minutes, corrected.\n")}, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("an unchanged revision: %v, want invalid", err)
	}
	if e.state() != before {
		t.Error("an unchanged revision changed something")
	}
}

// TestUploadRefusals: a malformed, mislabelled or oversized file, or one
// from someone who may not, is refused with why, and changes nothing.
func TestUploadRefusals(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	chair := e.as("chair-tls@example.org")
	docx := zipOf("[Content_Types].xml", "word/document.xml")
	for _, tc := range []struct {
		what string
		by   string
		acr  string
		u    meetings.Upload
		kind fail.Kind
		says string
	}{
		{"slides.pdf that is a ZIP", "chair-tls", "tls", meetings.Upload{Kind: "slides", Title: "x", Filename: "slides.pdf", Content: docx}, fail.Invalid, "ZIP archive, not a PowerPoint"},
		{"slides.pptx that is text", "chair-tls", "tls", meetings.Upload{Kind: "slides", Title: "x", Filename: "slides.pptx", Content: []byte("hello")}, fail.Invalid, "named as PowerPoint (PPTX), but its content is text"},
		{"slides.pdf that is a PPTX", "chair-tls", "tls", meetings.Upload{Kind: "slides", Title: "x", Filename: "slides.pdf", Content: pptx()}, fail.Invalid, "named as PDF, but its content is a PowerPoint"},
		{"a broken ZIP", "chair-tls", "tls", meetings.Upload{Kind: "slides", Title: "x", Filename: "s.pptx", Content: []byte("PK\x03\x04garbage")}, fail.Invalid, "not a readable one"},
		{"minutes with NUL bytes", "chair-tls", "tls", meetings.Upload{Kind: "minutes", Filename: "m.md", Content: []byte("a\x00b")}, fail.Invalid, "NUL"},
		{"minutes not in UTF-8", "chair-tls", "tls", meetings.Upload{Kind: "minutes", Filename: "m.txt", Content: []byte("caf\xe9")}, fail.Invalid, "UTF-8"},
		{"minutes as a PDF", "chair-tls", "tls", meetings.Upload{Kind: "minutes", Filename: "m.pdf", Content: []byte("%PDF-1.4")}, fail.Invalid, "Minutes may be Markdown, plain text, HTML"},
		{"oversized minutes", "chair-tls", "tls", meetings.Upload{Kind: "minutes", Filename: "m.md", Content: []byte(strings.Repeat("a", meetings.MaxSize["minutes"]+1))}, fail.Invalid, "may be at most 2.0 MiB"},
		{"an empty agenda", "chair-tls", "tls", meetings.Upload{Kind: "agenda", Filename: "a.md"}, fail.Invalid, "empty"},
		{"an unknown kind", "chair-tls", "tls", meetings.Upload{Kind: "bluesheets", Filename: "a.txt", Content: []byte("x")}, fail.Invalid, "not a kind"},
		{"a javascript: recording", "sec", "tls", meetings.Upload{Kind: "recording", URL: "javascript:alert(1)"}, fail.Invalid, "https://"},
		{"a participant", "pat", "tls", meetings.Upload{Kind: "minutes", Filename: "m.md", Content: []byte("x")}, fail.Forbidden, "chairs"},
		{"another group's chair", "chair-quic", "tls", meetings.Upload{Kind: "minutes", Filename: "m.md", Content: []byte("x")}, fail.Forbidden, "chairs"},
		{"a group without a session", "sec", "httpbis", meetings.Upload{Kind: "minutes", Filename: "m.md", Content: []byte("x")}, fail.NotFound, "no session"},
		{"revising another group's material", "chair-tls", "tls", meetings.Upload{Kind: "slides", Name: "slides-125-quic-x", Filename: "s.pdf", Content: []byte("%PDF-")}, fail.NotFound, "no meeting materials"},
	} {
		before := e.state()
		_, err := e.m.Upload(e.ctx, e.as(tc.by+"@example.org"), "125", tc.acr, tc.u, "")
		if fail.KindOf(err) != tc.kind || err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want %s saying %q", tc.what, err, tc.kind, tc.says)
		}
		if e.state() != before {
			t.Errorf("%s changed something: %s → %s", tc.what, before, e.state())
		}
	}
	_ = chair
}

// TestR29MaterialsWindows: new materials until 26 days after the
// meeting's start, corrections until 50, then only the secretariat.
func TestR29MaterialsWindows(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	chair, sec := e.as("chair-tls@example.org"), e.as("sec@example.org")
	up := func(by string, kind, content string) error {
		_, err := e.m.Upload(e.ctx, e.as(by), "125", "tls", meetings.Upload{Kind: kind, Title: "t", Filename: "f.md", Content: []byte(content)}, "")
		return err
	}
	e.day(26) // 2026-04-09, the last day for new materials
	if err := up("chair-tls@example.org", "minutes", "v0"); err != nil {
		t.Fatalf("minutes on the last day of the window: %v", err)
	}
	e.day(27)
	before := e.state()
	err := up("chair-tls@example.org", "slides", "new deck")
	if f, ok := fail.As(err); !ok || f.Rule != "R29" || !strings.Contains(f.Message, "2026-04-09") || !strings.Contains(f.Message, "2026-05-03") {
		t.Errorf("new slides 27 days after the start: %v, want R29 naming the dates", err)
	}
	if e.state() != before {
		t.Error("an R29 refusal changed something")
	}
	if err := up("chair-tls@example.org", "minutes", "v1"); err != nil {
		t.Errorf("a correction 27 days after the start: %v", err)
	}
	e.day(50)
	if err := up("chair-tls@example.org", "minutes", "v2"); err != nil {
		t.Errorf("a correction on the last day: %v", err)
	}
	e.day(51)
	before = e.state()
	if err := up("chair-tls@example.org", "minutes", "v3"); err == nil || !strings.Contains(err.Error(), "R29") {
		t.Errorf("a correction 51 days after the start: %v, want R29", err)
	}
	if e.state() != before {
		t.Error("an R29 refusal changed something")
	}
	if err := up("sec@example.org", "minutes", "v3"); err != nil {
		t.Errorf("the secretariat after the windows: %v", err)
	}
	if err := up("sec@example.org", "slides", "late deck"); err != nil {
		t.Errorf("the secretariat adding slides after the windows: %v", err)
	}
	_, _ = chair, sec
}

func TestFinalizeClosesMaterials(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	e.day(2)
	if err := e.m.Finalize(e.ctx, e.as("chair-tls@example.org"), "125", ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a chair finalizing: %v, want forbidden", err)
	}
	if err := e.m.Finalize(e.ctx, e.as("sec@example.org"), "125", "all in"); err != nil {
		t.Fatal(err)
	}
	if m, _ := e.m.Get(e.ctx, "125"); !m.ProceedingsFinal {
		t.Error("proceedings not final")
	}
	if err := e.m.Finalize(e.ctx, e.as("sec@example.org"), "125", ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("finalizing twice: %v, want conflict", err)
	}
	before := e.state()
	if _, err := e.m.Upload(e.ctx, e.as("chair-tls@example.org"), "125", "tls", meetings.Upload{Kind: "minutes", Filename: "m.md", Content: []byte("x")}, ""); fail.KindOf(err) != fail.Forbidden || !strings.Contains(err.Error(), "final") {
		t.Errorf("a chair's upload after finalizing: %v, want forbidden", err)
	}
	if e.state() != before {
		t.Error("a refused upload changed something")
	}
	if _, err := e.m.Upload(e.ctx, e.as("sec@example.org"), "125", "tls", meetings.Upload{Kind: "minutes", Filename: "m.md", Content: []byte("x")}, ""); err != nil {
		t.Errorf("the secretariat after finalizing: %v", err)
	}
}

// TestRenderIsSafe: Markdown and HTML minutes lose scripts, event
// handlers and remote content, and keep links.
func TestRenderIsSafe(t *testing.T) {
	md := "# Minutes\n\n<script>alert(1)</script>\n\n[the draft](https://datatracker.example/doc/x/) " +
		"[bad](javascript:alert(1))\n\n![tracker](https://evil.example/pixel.png)\n\n<img src=x onerror=alert(1)>\n\n" +
		"<iframe src=\"https://evil.example/\"></iframe><p onclick=\"x()\" style=\"background:url(https://evil.example/)\">hi</p>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	html := `<html><head><link rel="stylesheet" href="https://evil.example/s.css"><style>body{}</style></head><body>
<script src="https://evil.example/x.js"></script><a href="javascript:alert(1)">bad</a><img src="https://evil.example/p.png" alt="p">
<object data="https://evil.example/o"></object><svg onload="alert(1)"></svg><form action="https://evil.example/"><input name=q></form>
<p onclick="x()" style="background:url(https://evil.example/)">hi</p><a href="https://datatracker.example/">ok</a></body></html>`
	for _, out := range []string{string(meetings.Render("md", []byte(md))), string(meetings.Render("html", []byte(html)))} {
		low := strings.ToLower(out)
		for _, bad := range []string{"<script", "alert(1)</", "onerror", "onclick", "javascript:", "evil.example", "<iframe", "style="} {
			if strings.Contains(low, bad) {
				t.Errorf("rendered output holds %q:\n%s", bad, out)
			}
		}
	}
	out := string(meetings.Render("md", []byte(md)))
	for _, good := range []string{`<h1>Minutes</h1>`, `href="https://datatracker.example/doc/x/"`, `rel="nofollow noreferrer"`, "<table>", "<td>1</td>"} {
		if !strings.Contains(out, good) {
			t.Errorf("rendered Markdown lacks %q:\n%s", good, out)
		}
	}
	if got := string(meetings.Render("txt", []byte("<b>x</b>"))); !strings.Contains(got, "&lt;b&gt;") {
		t.Errorf("text is not escaped: %s", got)
	}
}

func TestDraftNames(t *testing.T) {
	got := meetings.DraftNames([]byte("1. draft-ietf-tls-esni-22 (Chris)\n2. Draft-IETF-tls-esni again\n3. draft-foo-bar.txt and draft-x"))
	if d := cmp.Diff([]string{"draft-ietf-tls-esni", "draft-foo-bar"}, got); d != "" {
		t.Errorf("names (-want +got):\n%s", d)
	}
}

// TestMaterialsWhoMay: a group's chairs, its AD and the secretariat
// manage its materials and decide on proposed slides (the Datatracker's
// matman roles of a WG), an AD of another area does not; the chairs and
// the secretariat send the session report to the AD (R24); and a
// material or proposal is acted on only through its own meeting and
// group.
func TestMaterialsWhoMay(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	e.day(1)
	ad, otherAD, chair := e.as("ad-sec@example.org"), e.as("ad-wit@example.org"), e.as("chair-tls@example.org")
	up := func(by groups.Actor, content string) (meetings.Material, error) {
		return e.m.Upload(e.ctx, by, "125", "tls", meetings.Upload{Kind: "slides", Title: "Deck " + content, Filename: "d.md", Content: []byte(content)}, "")
	}
	before := e.state()
	if _, err := up(otherAD, "x"); fail.KindOf(err) != fail.Forbidden || !strings.Contains(err.Error(), "its AD") {
		t.Errorf("another area's AD uploading: %v, want forbidden", err)
	}
	if e.state() != before {
		t.Error("a refused upload changed something")
	}
	x, err := up(ad, "status")
	if err != nil {
		t.Fatalf("the group's AD uploading: %v", err)
	}

	before = e.state()
	for _, tc := range []struct {
		what, number, acronym string
		by                    groups.Actor
		kind                  fail.Kind
	}{
		{"another area's AD", "125", "tls", otherAD, fail.Forbidden},
		{"through quic's session", "125", "quic", chair, fail.NotFound},
		{"through another meeting", "126", "tls", chair, fail.NotFound},
	} {
		if err := e.m.Remove(e.ctx, tc.by, tc.number, tc.acronym, x.Name, ""); fail.KindOf(err) != tc.kind {
			t.Errorf("removing %s: %v, want %s", tc.what, err, tc.kind)
		}
	}
	if e.state() != before {
		t.Error("a refused removal changed something")
	}
	if err := e.m.Remove(e.ctx, ad, "125", "tls", x.Name, ""); err != nil {
		t.Errorf("the group's AD removing: %v", err)
	}

	p, err := e.m.ProposeSlides(e.ctx, e.as("pat@example.org"), "125", "tls", "ECH status", "ech.pdf", []byte("%PDF-1.7 ech"))
	if err != nil {
		t.Fatal(err)
	}
	before = e.state()
	if err := e.m.DecideSlides(e.ctx, otherAD, "125", p, true, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("another area's AD deciding: %v, want forbidden", err)
	}
	if err := e.m.DecideSlides(e.ctx, chair, "126", p, true, ""); fail.KindOf(err) != fail.NotFound {
		t.Errorf("deciding through another meeting: %v, want not found", err)
	}
	if e.state() != before {
		t.Error("a refused decision changed something")
	}
	if err := e.m.DecideSlides(e.ctx, ad, "125", p, true, ""); err != nil {
		t.Errorf("the group's AD deciding: %v", err)
	}

	before = e.state()
	if err := e.m.SendReport(e.ctx, ad, "125", "tls", "We met."); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("the AD sending the report to themselves: %v, want forbidden", err)
	}
	if e.state() != before {
		t.Error("a refused report changed something")
	}
	if err := e.m.SendReport(e.ctx, chair, "125", "tls", "We met."); err != nil {
		t.Errorf("the chair's report: %v", err)
	}
}
