package demo

import (
	"regexp"
	"strings"
	"testing"
)

// addrRE finds the addresses in a column that may hold several, or text.
var addrRE = regexp.MustCompile(`[A-Za-z0-9._%+=-]+@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)`)

// TestDemoAddressesReserved loads the demo with its lists and documents
// and checks every address it stored, in people, groups, roles, lists,
// documents and the queued outbox, is at a domain reserved for
// examples (RFC 2606, RFC 6761), so no demo mail can reach anyone.
func TestDemoAddressesReserved(t *testing.T) {
	dm := loadDemo(t, true)
	for _, q := range []string{
		`SELECT address FROM email`,
		`SELECT email FROM token`,
		`SELECT list_email FROM grp`,
		`SELECT list_subscribe FROM grp`,
		`SELECT comments FROM grp`,
		`SELECT email FROM role`,
		`SELECT text FROM charter_rev`,
		`SELECT summary FROM event`,
		`SELECT address FROM list_allowed`,
		`SELECT address FROM subscription`,
		`SELECT address FROM list_pending`,
		`SELECT mail_from FROM list_post`,
		`SELECT address FROM delivery`,
		`SELECT email FROM doc_author`,
		`SELECT submitter FROM submission`,
		`SELECT mail_from FROM outbox`,
		`SELECT rcpt_to FROM outbox`,
	} {
		rows, err := dm.d.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		bad := map[string]bool{}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			for _, m := range addrRE.FindAllStringSubmatch(s, -1) {
				if !Reserved(m[1]) {
					bad[m[0]] = true
				}
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
			var some []string
			for a := range bad {
				if len(some) < 5 {
					some = append(some, a)
				}
			}
			t.Errorf("%s: %d addresses at real domains, e.g. %s", q, len(bad), strings.Join(some, ", "))
		}
	}
}

func TestReserved(t *testing.T) {
	for d, want := range map[string]bool{
		"example.org": true, "EXAMPLE.com": true, "lists.example.net": true, "hum.test": true,
		"w3.example": true, "demo.invalid": true, "localhost": true, "a.localhost": true,
		"ietf.org": false, "w3.org": false, "example.org.evil.com": false, "notexample.org": false, "": false,
	} {
		if got := Reserved(d); got != want {
			t.Errorf("Reserved(%q) = %v, want %v", d, got, want)
		}
	}
}
