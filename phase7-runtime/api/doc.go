// Package api is the contract between shibafud and its clients: the
// versioned REST routes under /v1, the JSON types they carry, the framing
// of streamed output, and the few error categories with the HTTP status
// each one travels as.
//
// The daemon (package server) and the Go client (package client) both
// import it, so a route or a field is defined exactly once. Nothing here
// does I/O.
package api
