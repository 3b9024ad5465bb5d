package rfcindex

import "hum/internal/docs/draft"

// Error is draft.Error, the one error type for a file hum reads that
// breaks its format: a stable code, the operation, the line and a
// message. The index is such a file, as a submitted draft is.
type Error = draft.Error

// Code is a stable name for what went wrong.
type Code = draft.Code

const (
	CodeRead      Code = "read"      // the input could not be read
	CodeMalformed Code = "malformed" // an entry does not follow the index format
)

// ErrorCode returns the code of the first *Error in err's chain.
func ErrorCode(err error) Code { return draft.ErrorCode(err) }
