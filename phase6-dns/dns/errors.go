package dns

import "errors"

// The categories of error this package returns. Callers test for them
// with errors.Is; the HTTP API maps them to status codes in one place
// (statusOf in api.go).
var (
	// ErrInvalid marks a record, name or address that cannot be served.
	ErrInvalid = errors.New("invalid")
	// ErrNotFound marks a record that is not registered.
	ErrNotFound = errors.New("not found")
	// ErrUpstream marks a forwarded query that no upstream answered; the
	// handler turns it into SERVFAIL (RFC 1035 section 4.1.1, RCODE 2).
	ErrUpstream = errors.New("no upstream answered")
)
