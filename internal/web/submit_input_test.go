package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"testing"
	"time"
)

// postTXT sends content as the txt file of an API submission.
func (c *client) postTXT(name string, content []byte) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("user", "kesara@fq.nz")
	fw, _ := mw.CreateFormFile("txt", name)
	fw.Write(content)
	mw.Close()
	res, err := c.c.Post(c.srv.URL+"/api/submission", mw.FormDataContentType(), &body)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestSubmissionOddText: a text file whose header lines start with a tab
// or a carriage return once made the parser panic (500). Whatever the
// text, the answer is the author's fault (4xx), never the server's.
func TestSubmissionOddText(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, _ := newDocSite(t, &now)
	c := s.client()
	for _, in := range []string{"\t0", "\r0", "\t\tJune 2021\n", "", " \n\t\n", "\x00"} {
		code, body := c.postTXT("draft-x-y-00.txt", []byte(in))
		if code < 400 || code >= 500 {
			t.Errorf("txt %q: %d %s, want 4xx", in, code, body)
		}
	}
}
