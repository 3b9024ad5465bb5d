package archive

import (
	"strings"
	"testing"
)

func TestSnippetOf(t *testing.T) {
	q, _ := ParseQuery(`authenticate "version negotiation" from:bob`)
	body := "Hello all,\n\nShould  version negotiation be authenticated? " + strings.Repeat("word ", 40)
	got := snippetOf(q, "Subject", body)
	want := "Hello all, Should " + MarkStart + "version" + MarkEnd + " " + MarkStart + "negotiation" + MarkEnd + " be " +
		MarkStart + "authenticated" + MarkEnd + "? word word"
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "…") {
		t.Errorf("snippetOf = %q, want it to start %q and end with …", got, want)
	}
	if got := snippetOf(q, "Version talk", "nothing here"); got != MarkStart+"Version"+MarkEnd+" talk" {
		t.Errorf("subject fallback = %q", got)
	}
	if got := snippetOf(Query{Terms: []Term{{Field: "author", Words: []string{"bob"}}}}, "bob", "bob"); got != "" {
		t.Errorf("author-only query gave snippet %q", got)
	}
}
