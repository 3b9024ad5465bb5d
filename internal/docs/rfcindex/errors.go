package rfcindex

import (
	"errors"
	"fmt"
)

// Code is a stable name for what went wrong.
type Code string

const (
	CodeRead      Code = "read"      // the input could not be read
	CodeMalformed Code = "malformed" // an entry does not follow the index format
)

// Error is the one error type of this package.
type Error struct {
	Code Code
	Op   string // e.g. "rfcindex.Scan"
	Line int    // 1-based line of the entry start, 0 when unknown
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	s := e.Op
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

// ErrorCode returns the code of the first *Error in err's chain.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
