package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"hum/internal/demo"
	"hum/internal/docs"
)

// TestDemoDocumentPages starts "hum serve --demo" on a database holding
// the demo and reads the pages of the demo's documents as a visitor
// would, without a browser.
func TestDemoDocumentPages(t *testing.T) {
	smarthost, _ := startSMTP(t)
	base := startHumOnDemo(t, smarthost)
	for _, c := range []struct{ path, want string }{
		{"/doc/" + demo.DocInWGLastCall + "/", "In WG Last Call"},
		{"/doc/" + demo.DocInIESGEval + "/", "IESG Evaluation"},
		{"/doc/" + demo.DocInIESGEval + "/ballot/", "RFC 8200 does not allow"},
		{"/doc/" + demo.DocInIESGEval + "/", "IETF Last Call comments"},
		{"/doc/" + demo.DocInIESGEval + "/", "Re: Last Call: &lt;" + demo.DocInIESGEval + "-10.txt&gt;"},
		{"/doc/" + demo.DocInIESGEval + "/email/", demo.DocInIESGEval + ".ad@"},
		{"/doc/" + demo.DocInIESGEval + "/history/", "New revision 00 posted"},
		{"/doc/" + demo.DocPublished + "/", "rfc9999"},
		{"/doc/" + docs.RFCName(demo.DemoRFC) + "/", "Algorithm Identifiers for Ed25519"},
		{"/doc/rfc8200/", "Internet Protocol, Version 6 (IPv6) Specification"},
	} {
		resp, err := http.Get(base + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", c.path, resp.Status)
			continue
		}
		if !strings.Contains(string(body), c.want) {
			t.Errorf("GET %s: no %q on the page", c.path, c.want)
		}
	}
}
