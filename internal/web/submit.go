package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"hum/internal/docs"
	"hum/internal/docs/draft"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/people"
	"hum/internal/record"
)

// maxUpload bounds a whole submission request: an XML and a text file at
// the parser's limit each, plus the form fields.
const maxUpload = 2*draft.DefaultMaxSize + 1<<20

// readUpload reads the multipart form: files "xml" and "txt" and the
// optional "replaces". A file over the parser's limit is reported by the
// parser, with its rule, rather than cut off here.
func readUpload(w http.ResponseWriter, r *http.Request) (docs.Upload, error) {
	var u docs.Upload
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return u, fail.Join(fail.Invalid, []*fail.Error{fail.Problem(string(draft.CodeTooLarge), "Size limit", "Size limit: the upload is larger than the limit of "+strconv.Itoa(maxUpload)+" bytes.")},
				"The upload is larger than %d bytes.", maxUpload)
		}
		return u, fail.New(fail.Invalid, "Send the draft as multipart/form-data, with the file in the field \"xml\" or \"txt\".")
	}
	read := func(field string) ([]byte, string, error) {
		f, h, err := r.FormFile(field)
		if errors.Is(err, http.ErrMissingFile) {
			return nil, "", nil
		}
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, draft.DefaultMaxSize+1))
		return b, h.Filename, err
	}
	var err error
	if u.XML, u.XMLName, err = read("xml"); err != nil {
		return u, err
	}
	if u.TXT, u.TXTName, err = read("txt"); err != nil {
		return u, err
	}
	u.Replaces = r.FormValue("replaces")
	return u, nil
}

// submitter is who sends an upload: the logged-in person, the owner of
// an API key, or only an address.
func (s *Server) submitter(r *http.Request, p *people.Person, email string) (docs.Submitter, error) {
	if p == nil {
		return docs.Submitter{Email: strings.TrimSpace(email)}, nil
	}
	a, err := s.powers(r.Context(), p)
	if err != nil {
		return docs.Submitter{}, err
	}
	w := docs.Submitter{Actor: a, Email: p.Email}
	w.Emails, err = s.People.Addresses(r.Context(), p.ID)
	return w, err
}

// problemJSON is one broken rule in the API's reply to a refused
// submission, for people (Message) and programs (Code).
type problemJSON struct {
	Code    string `json:"code"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// rejection is err as a refused submission (an error that lists its
// problems), or nil.
func rejection(err error) *fail.Error {
	if fe, ok := fail.As(err); ok && len(fe.Problems) > 0 {
		return fe
	}
	return nil
}

type submitReply struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Rev       string `json:"rev"`
	StatusURL string `json:"status_url"`
}

// apiSubmit is POST /api/submission, as i-d-template's `make upload`
// calls it: curl -F user=EMAIL -F xml=@draft.xml. An X-API-Key makes the
// caller a known person (an author's upload then posts at once), as does
// a form field apikey, read once the upload is parsed within its limits.
func (s *Server) apiSubmit(w http.ResponseWriter, r *http.Request) error {
	var p *people.Person
	if r.Header.Get("X-API-Key") != "" || r.URL.Query().Has("apikey") {
		u, err := s.apiUser(r)
		if err != nil {
			return err
		}
		p = &u
	}
	u, err := readUpload(w, r)
	if err == nil && p == nil && r.PostFormValue("apikey") != "" {
		who, err := s.apiUser(r)
		if err != nil {
			return err
		}
		p = &who
	}
	if err == nil && p == nil && strings.TrimSpace(r.FormValue("user")) == "" {
		err = &fail.Error{Kind: fail.Invalid, Field: "user", Message: "Give your email address in the field \"user\".",
			Problems: []*fail.Error{fail.Problem("user-missing", "Submitter", "Submitter: give your email address in the field \"user\", so hum can reach you about this submission.")}}
	}
	var sub docs.Submission
	if err == nil {
		var who docs.Submitter
		if who, err = s.submitter(r, p, r.FormValue("user")); err == nil {
			sub, err = s.Docs.Submit(r.Context(), u, who)
		}
	}
	if rej := rejection(err); rej != nil {
		var msgs []string
		var ps []problemJSON
		for _, p := range rej.Problems {
			msgs = append(msgs, p.Message)
			ps = append(ps, problemJSON{p.Code, p.Rule, p.Message})
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": rej.Message, "messages": msgs, "problems": ps})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, submitReply{sub.ID, sub.Name, sub.Rev, s.BaseURL + "/api/submission/" + strconv.FormatInt(sub.ID, 10) + "/status"})
	return nil
}

func (s *Server) submission(r *http.Request) (docs.Submission, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return docs.Submission{}, fail.New(fail.NotFound, "There is no submission %q.", r.PathValue("id"))
	}
	return s.Docs.GetSubmission(r.Context(), id)
}

func (s *Server) apiSubmissionStatus(w http.ResponseWriter, r *http.Request) error {
	sub, err := s.submission(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"id": sub.ID, "state": sub.State, "state_desc": docs.SubmissionStateName(sub.State)})
}

type submitPage struct {
	Page
	Err *fail.Error
	Rej *fail.Error // a refused submission, with its Problems
	// Address is what an anonymous submitter typed as theirs; it must
	// not be called User, which would hide Page.User from the layout.
	Address string
	Sub     docs.Submission
	// What the viewer may do on a status page.
	MayApprove, MayCancel, Force bool
	Secret                       string
}

func (s *Server) submitForm(w http.ResponseWriter, r *http.Request) error {
	return s.show(w, "submit_form.html", submitPage{Page: s.page(r, "Submit an Internet-Draft")})
}

func (s *Server) submitPost(w http.ResponseWriter, r *http.Request) error {
	p := s.user(r)
	u, err := readUpload(w, r)
	var sub docs.Submission
	if err == nil {
		if p == nil && strings.TrimSpace(r.FormValue("user")) == "" {
			err = fail.Field("user", "Give your email address, so hum can reach you about this submission (or log in).")
		} else {
			var who docs.Submitter
			if who, err = s.submitter(r, p, r.FormValue("user")); err == nil {
				sub, err = s.Docs.Submit(r.Context(), u, who)
			}
		}
	}
	if err != nil {
		pg := submitPage{Page: s.page(r, "Submit an Internet-Draft"), Address: r.FormValue("user")}
		if rej := rejection(err); rej != nil {
			pg.Rej = rej
		} else if fe, ok := fail.As(err); ok && fe.Kind != fail.Internal {
			pg.Err = fe
		} else {
			return err
		}
		w.WriteHeader(http.StatusBadRequest)
		return s.show(w, "submit_form.html", pg)
	}
	return redirect(w, r, "/submit/status/"+strconv.FormatInt(sub.ID, 10)+"/")
}

func (s *Server) submitStatus(w http.ResponseWriter, r *http.Request) error {
	sub, err := s.submission(r)
	if err != nil {
		return err
	}
	pg := submitPage{Page: s.page(r, "Submission "+sub.Name+"-"+sub.Rev), Sub: sub}
	if p := s.user(r); p != nil && (sub.State == "auth" || sub.State == "grp-appr") {
		pw, err := s.powers(r.Context(), p)
		if err != nil {
			return err
		}
		pg.MayApprove = s.Docs.MayApprove(r.Context(), sub, pw)
		pg.Force = pw.Secretariat() && sub.State == "auth"
		pg.MayCancel = pg.MayApprove
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "submit_status.html", pg)
}

// submitAction is a chair's approval or the secretariat's force-post or
// cancel, from the status page.
func (s *Server) submitAction(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	sub, err := s.submission(r)
	if err != nil {
		return err
	}
	switch r.PostFormValue("action") {
	case "approve":
		err = s.Docs.Approve(r.Context(), sub.ID, by)
	case "cancel":
		err = s.Docs.Cancel(r.Context(), sub.ID, by, "")
	default:
		err = fail.New(fail.Invalid, "Choose approve or cancel.")
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/submit/status/"+strconv.FormatInt(sub.ID, 10)+"/")
}

func (s *Server) submitConfirmForm(w http.ResponseWriter, r *http.Request) error {
	sub, err := s.submission(r)
	if err != nil {
		return err
	}
	ok, err := s.Docs.CheckSecret(r.Context(), sub.ID, r.PathValue("secret"))
	if err != nil {
		return err
	}
	if !ok {
		return fail.New(fail.NotFound, "This confirmation link is not valid (any more). If the submission was cancelled or posted, its status page says so.")
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.show(w, "submit_status.html", submitPage{Page: s.page(r, "Confirm "+sub.Name+"-"+sub.Rev), Sub: sub, Secret: r.PathValue("secret")})
}

func (s *Server) submitConfirm(w http.ResponseWriter, r *http.Request) error {
	sub, err := s.submission(r)
	if err != nil {
		return err
	}
	secret := r.PathValue("secret")
	if r.PostFormValue("action") == "cancel" {
		a := record.Actor{Name: "submitter of " + sub.Name}
		if u := s.user(r); u != nil {
			a = actor(u)
		}
		err = s.Docs.Cancel(r.Context(), sub.ID, groups.Actor{Actor: a}, secret) // the secret, not a role, allows it
	} else {
		err = s.Docs.Confirm(r.Context(), sub.ID, secret)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/submit/status/"+strconv.FormatInt(sub.ID, 10)+"/")
}
