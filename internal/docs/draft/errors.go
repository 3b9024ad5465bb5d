package draft

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable name for a rule. Codes are part of the
// API: the web layer and the JSON submission API show them to authors and
// tools, so never rename one.
type Code string

// Codes for problems found while reading a file.
const (
	CodeTooLarge      Code = "too-large"        // upload bigger than Options.MaxSize
	CodeNotUTF8       Code = "not-utf8"         // text is not valid UTF-8
	CodeUnknownFormat Code = "unknown-format"   // neither .xml nor .txt
	CodeXMLSyntax     Code = "xml-syntax"       // not well-formed XML
	CodeXMLTooDeep    Code = "xml-too-deep"     // elements nested deeper than Options.MaxDepth
	CodeXMLEntity     Code = "xml-entity"       // entity declaration we refuse (nested, too big, parameter)
	CodeXMLNotRFC     Code = "xml-not-rfc"      // root element is not <rfc>
	CodeTextNoHeader  Code = "txt-no-header"    // plain text without a recognisable first page
	CodeInternal      Code = "internal"         // a bug or an I/O failure, not the author's fault
	CodeNameMissing   Code = "name-missing"     // no draft name found in the document
	CodeNameFormat    Code = "name-format"      // name has characters or shape outside the rule
	CodeNameTooLong   Code = "name-too-long"    // name longer than 50 characters
	CodeNameDashes    Code = "name-double-dash" // name contains "--"
	CodeNameParts     Code = "name-too-few-parts"
	CodeRevFormat     Code = "rev-format"    // revision is not two digits
	CodeNameMismatch  Code = "name-mismatch" // name inside differs from the uploaded file name
	CodeDateMissing   Code = "date-missing"
	CodeDateRange     Code = "date-out-of-range"
	CodeTitleMissing  Code = "title-missing"
	CodeAbstractMiss  Code = "abstract-missing"
	CodeAuthorMissing Code = "author-missing"
	CodeEmailMissing  Code = "author-email-missing"
	CodeRevNotFirst   Code = "rev-not-first"  // a new draft must start at -00
	CodeRevNotNext    Code = "rev-not-next"   // revision skips ahead
	CodeRevReused     Code = "rev-reused"     // revision already posted (or older)
	CodeReplaced      Code = "draft-replaced" // replaced drafts cannot get new revisions
	CodeGroupUnknown  Code = "group-unknown"  // draft-ietf-{wg} / draft-irtf-{rg} names no known group
)

// Error is the one error type of this package, and of rfcindex: a file
// hum reads that breaks its format. Msg is written for a first-time
// author; Code is for programs; Op and Arg say where it came from so a
// log line tells the whole story.
type Error struct {
	Code Code
	Op   string // operation, e.g. "draft.Parse"
	Arg  string // its argument, e.g. the file name
	Line int    // 1-based line in the file, 0 when unknown
	Msg  string
	Err  error // underlying cause, if any
}

func (e *Error) Error() string {
	s := e.Op
	if e.Arg != "" {
		s += fmt.Sprintf("(%q)", e.Arg)
	}
	if e.Line > 0 {
		s += fmt.Sprintf(": line %d", e.Line)
	}
	s += ": " + e.Msg + " [" + string(e.Code) + "]"
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of the first *Error in err's tree, or "" when
// there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Problems flattens err (which may be an errors.Join of several) into the
// list of rule violations it holds, in order.
func Problems(err error) []*Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && e == err {
		return []*Error{e}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, x := range j.Unwrap() {
			out = append(out, Problems(x)...)
		}
		return out
	}
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return nil
}

// Codes lists the codes of Problems(err), handy in tests and JSON replies.
func Codes(err error) []Code {
	var out []Code
	for _, p := range Problems(err) {
		out = append(out, p.Code)
	}
	return out
}

func problem(code Code, op, arg, format string, a ...any) *Error {
	return &Error{Code: code, Op: op, Arg: arg, Msg: fmt.Sprintf(format, a...)}
}
