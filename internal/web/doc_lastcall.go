package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"hum/internal/archive"
	"hum/internal/docs"
)

// lastCallComments are the comments a draft's IETF Last Call received:
// the messages to last-call@ whose subject names the draft, dated within
// its Last Call, so the AD reads them in one place.
type lastCallComments struct {
	List     string // the list's address
	From, To time.Time
	Messages []archive.Summary
	Hide     bool // name the senders only (hum serve --hide-addresses)
}

// maxLastCallComments bounds the messages a document's page lists.
const maxLastCallComments = 200

// lastCallModel fills p.LastCall for a draft that went to Last Call.
func (s *Server) lastCallModel(ctx context.Context, w http.ResponseWriter, r *http.Request, p *docPage) error {
	if p.Doc.Type != "draft" {
		return nil
	}
	from, to, ok, err := s.Docs.LastCallWindow(ctx, p.Doc)
	if err != nil || !ok {
		return err
	}
	hidden, err := s.archHidden(w, r)
	if err != nil || slices.Contains(hidden, docs.LastCallList) {
		return err // a private last-call archive: nothing to show this reader
	}
	ms, err := s.Archive.Mentioning(ctx, docs.LastCallList, p.Doc.Name, from, to, maxLastCallComments)
	if err != nil {
		return err
	}
	p.LastCall = &lastCallComments{List: docs.LastCallList + "@" + s.Lists.Domain, From: from, To: to, Messages: ms, Hide: s.hideAddresses(p.Page)}
	return nil
}
