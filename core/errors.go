package core

import (
	"errors"
	"fmt"
)

// Code classifies an error. Codes are stable strings: they are logged, counted in
// metrics and mapped to user-facing text by the prompts package.
type Code string

// The error codes of the engine.
const (
	CodeInvalid     Code = "invalid"     // the input is malformed or breaks a rule
	CodeNotFound    Code = "not_found"   // the thing named does not exist (in this community)
	CodeConflict    Code = "conflict"    // the state forbids it now (closed, sold out, already done)
	CodeForbidden   Code = "forbidden"   // the member's role does not allow it
	CodeUnavailable Code = "unavailable" // transient: rate limits, platform or model outage
	CodeInternal    Code = "internal"    // a bug or a broken store; details go to the log only
)

// Error is the engine's error. Msg is a message key for the prompts catalog (or, for
// CodeInternal, empty); Args are the values that key's template shows. Op names the
// operation and Err wraps a cause.
type Error struct {
	Code Code
	Msg  string         // prompts key, e.g. "err.no_project"; safe to show
	Args map[string]any // template data for Msg
	Op   string
	Err  error
}

// Error implements error.
func (e *Error) Error() string {
	s := string(e.Code)
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an error of code whose user-facing message is the prompts key msg,
// with args given as alternating name, value pairs ("id", "P3").
func Errorf(code Code, msg string, args ...any) *Error {
	e := &Error{Code: code, Msg: msg}
	if len(args) > 0 {
		e.Args = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			e.Args[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	return e
}

// Internal wraps an unexpected error as CodeInternal, naming the operation.
func Internal(op string, err error) *Error {
	return &Error{Code: CodeInternal, Op: op, Err: err}
}

// ErrorCode returns the code of err: "" for nil, the Code of a *Error in the chain,
// and CodeInternal for anything else.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the prompts key and arguments of err, or ("", nil) when err
// carries none (then the generic internal-error text is shown).
func ErrorMessage(err error) (string, map[string]any) {
	var e *Error
	if errors.As(err, &e) && e.Code != CodeInternal {
		return e.Msg, e.Args
	}
	return "", nil
}
