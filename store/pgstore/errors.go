package pgstore

import (
	"context"
	"errors"
	"strings"

	"github.com/engage-org/engage/core"
	"github.com/jackc/pgx/v5/pgconn"
)

// SQLSTATE codes pgstore acts on.
const (
	codeSerialization = "40001" // serialization_failure: run the transaction again
	codeDeadlock      = "40P01" // deadlock_detected: likewise
)

// conflict reports whether err is a serialization failure or a deadlock: the
// transaction was rolled back and may be run again.
func conflict(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeSerialization || pe.Code == codeDeadlock)
}

// statementFailed reports whether the server refused a statement for another reason
// than a conflict or the connection ending: the transaction was rolled back, and
// running it again as it is would fail again.
func statementFailed(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && !conflict(err) && !connectionLost(err)
}

// connectionLost reports whether err is the connection failing rather than the
// server refusing a statement: a network error, or the server ending the session
// (connection exceptions, class 08; shutdown or restart, 57P01-57P03; any FATAL).
// A canceled or timed-out context is not.
func connectionLost(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P0") || pe.Severity == "FATAL"
	}
	return true
}

// storeErr turns a driver error into the engine's error: the caller's own
// cancellation passes through as it is, anything else is core.CodeInternal with the
// cause wrapped (the driver's types stay inside this package's callers' logs only).
func storeErr(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return cerr
	}
	return internal(op, err)
}

func internal(op string, err error) error {
	return core.Internal("pgstore: "+op, err)
}
