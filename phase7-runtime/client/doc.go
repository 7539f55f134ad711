// Package client is the Go client of shibafud's API, over its unix
// socket or, with TLS and a client certificate (TLSConfig), over TCP.
// The shibafu CLI is built on it, and so is the PaaS of phase 8.
// Errors keep the API's categories (api.ErrNotFound, ...) so callers can
// test them with errors.Is; a daemon that cannot be reached gives
// api.ErrUnavailable with a message that says what to do.
package client
