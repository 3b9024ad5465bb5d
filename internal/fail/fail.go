// Package fail is hum's one error type. Domain code says what kind of
// failure happened and, where an IETF process rule is behind it, which rule
// (an id from RULES.md such as "R12"). Each edge translates the kind once:
// an HTTP status in web, an SMTP reply code in the mail endpoint.
package fail

import (
	"errors"
	"fmt"
)

// Kind classifies a failure for the edges.
type Kind string

const (
	Invalid      Kind = "invalid"      // bad input; nothing was changed
	NotFound     Kind = "not_found"    // no such thing
	Conflict     Kind = "conflict"     // already exists, or the state forbids it
	Unauthorized Kind = "unauthorized" // not logged in, or bad credentials
	Forbidden    Kind = "forbidden"    // logged in, but the role does not allow it
	RateLimited  Kind = "rate_limited" // too many attempts; try later
	Internal     Kind = "internal"     // our fault
)

// Error is a failure a user can read. When one request breaks several
// rules at once (a submitted draft), Problems lists each of them, with a
// stable Code for programs, and Message sums them up.
type Error struct {
	Kind     Kind
	Rule     string // e.g. "R12", when a written process rule is behind it; a problem's rule in plain words ("Name rule")
	Field    string // the form field at fault, if any
	Code     string // a stable, machine-readable name, e.g. "name-format"; never renamed
	Message  string
	Problems []*Error // the several problems behind this one, if any
}

func (e *Error) Error() string {
	if e.Rule != "" {
		return e.Message + " (" + e.Rule + ")"
	}
	return e.Message
}

// New returns an error of kind k.
func New(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Field returns an Invalid error about one form field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Rule returns an error of kind k that cites process rule id.
func Rule(id string, k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Rule: id, Message: fmt.Sprintf(format, args...)}
}

// Problem returns one of several problems: an Invalid error with a
// stable code and the rule it breaks, in plain words.
func Problem(code, rule, message string) *Error {
	return &Error{Kind: Invalid, Code: code, Rule: rule, Message: message}
}

// Join returns an error of kind k that carries problems.
func Join(k Kind, problems []*Error, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...), Problems: problems}
}

// KindOf returns the kind of err, Internal for errors that are not ours.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns err as *Error, if it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Wrap adds the operation to an error that is not already a user-facing
// *Error, so a log line tells the whole story:
//
//	defer fail.Wrap(&err, "groups.Create(%q)", acronym)
func Wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	if _, ok := As(*errp); ok {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}
