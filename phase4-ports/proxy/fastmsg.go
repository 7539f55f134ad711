package proxy

import (
	"bufio"
	"bytes"
	"strconv"
)

// This file reads what the fast path needs out of a parsed head (its
// framing and the fields it must change) and writes the head it passes
// on, with the hop-by-hop fields dropped and the X-Forwarded ones set, as
// httputil.ReverseProxy does on the net/http path.

// noBody is the length of a message that has no body.
const noBody = -1

// request is a client's request as the fast path sees it.
type request struct {
	head
	host, path []byte // path: the target without its query
	length     int64  // Content-Length, or noBody
	chunked    bool   // Transfer-Encoding: chunked
	close      bool   // the client asked to close after the answer
	isHead     bool   // HEAD: the answer has no body, whatever it says
}

// parse checks that r is a request the fast path handles: an
// HTTP/1.1 request for a path on this server, with one Host, framed by
// Content-Length or chunked, without Upgrade, Expect or a Connection
// field naming anything else than close or keep-alive. Anything else
// is errUnusual, and net/http serves it.
func (r *request) parse() error {
	method, target := r.start[0], r.start[1]
	if !bytes.Equal(r.start[2], []byte("HTTP/1.1")) || !isToken(method) ||
		string(method) == "CONNECT" || len(target) == 0 || target[0] != '/' {
		return errUnusual
	}
	r.path, _, _ = bytes.Cut(target, []byte("?"))
	for _, c := range target {
		// Routes match the decoded path, which only net/http decodes.
		if c <= ' ' || c == 0x7f || c == '%' {
			return errUnusual
		}
	}
	r.isHead = string(method) == "HEAD"
	r.host, r.length, r.chunked, r.close = nil, noBody, false, false

	for _, f := range r.fields {
		var err error
		switch f.kind {
		case unusualField:
			return errUnusual
		case hostField:
			if r.host != nil {
				return errUnusual
			}
			r.host = f.value
		case lengthField:
			if r.length != noBody {
				return errUnusual
			}
			if r.length, err = parseLength(f.value); err != nil {
				return errUnusual
			}
		case chunkedField:
			if r.chunked || !bytes.EqualFold(f.value, []byte("chunked")) {
				return errUnusual
			}
			r.chunked = true
		case connectionField:
			if r.close, err = connectionClose(f.value, true); err != nil {
				return err
			}
		}
	}
	if r.host == nil || (r.chunked && r.length != noBody) {
		return errUnusual
	}
	return nil
}

// hasBody reports whether the request has a body to pass on.
func (r *request) hasBody() bool { return r.chunked || r.length > 0 }

// replayable reports whether the request may be sent again on a fresh
// connection when a pooled one turned out to be closed: it has no body
// and its method is safe to repeat, as net/http's Transport decides.
func (r *request) replayable() bool {
	switch string(r.start[0]) {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return !r.hasBody()
	}
	return false
}

// writeHead writes the request head for a backend: the start line and
// the client's fields, without the hop-by-hop ones, then the
// X-Forwarded fields (clientIP appended to the chain the client brought,
// as nginx's $proxy_add_x_forwarded_for does; proto is "http" or
// "https").
func (r *request) writeHead(w *bufio.Writer, clientIP, proto string) {
	w.Write(r.start[0])
	w.WriteByte(' ')
	w.Write(r.start[1])
	w.WriteString(" HTTP/1.1\r\n")
	for _, f := range r.fields {
		switch f.kind {
		case plainField, hostField, lengthField, chunkedField:
			w.Write(f.line)
		}
	}
	w.WriteString("X-Forwarded-For: ")
	for _, f := range r.fields {
		if f.kind == forwardedForField && len(f.value) > 0 {
			w.Write(f.value)
			w.WriteString(", ")
		}
	}
	w.WriteString(clientIP)
	w.WriteString("\r\nX-Forwarded-Host: ")
	w.Write(r.host)
	w.WriteString("\r\nX-Forwarded-Proto: ")
	w.WriteString(proto)
	w.WriteString("\r\n\r\n")
}

// response is a backend's answer as the fast path sees it.
type response struct {
	head
	code    int
	length  int64 // Content-Length, or noBody
	chunked bool
	reuse   bool // the backend keeps the connection open after it
}

// parse reads a response head's status and framing.
func (r *response) parse() error {
	version := r.start[0]
	code, err := strconv.Atoi(string(r.start[1])) // no allocation for a short string
	if err != nil || code < 100 || code > 999 || len(r.start[1]) != 3 {
		return errMalformed
	}
	r.code, r.length, r.chunked = code, noBody, false
	r.reuse = bytes.Equal(version, []byte("HTTP/1.1"))
	if !r.reuse && !bytes.Equal(version, []byte("HTTP/1.0")) {
		return errMalformed
	}

	for _, f := range r.fields {
		switch f.kind {
		case lengthField:
			n, err := parseLength(f.value)
			if err != nil || (r.length != noBody && n != r.length) {
				return errMalformed
			}
			r.length = n
		case chunkedField:
			if !bytes.EqualFold(f.value, []byte("chunked")) {
				return errMalformed
			}
			r.chunked = true
		case connectionField:
			if closing, _ := connectionClose(f.value, false); closing {
				r.reuse = false
			}
		}
	}
	return nil
}

// bodyless reports whether the response has no body whatever its fields
// say: to a HEAD request, and 1xx, 204 and 304 answers (RFC 9112
// section 6.3).
func (r *response) bodyless(req *request) bool {
	return req.isHead || r.code < 200 || r.code == 204 || r.code == 304
}

// closeDelimited reports whether the body runs until the backend closes
// the connection: neither chunked nor of a given length.
func (r *response) closeDelimited(req *request) bool {
	return !r.bodyless(req) && !r.chunked && r.length == noBody
}

// sets reports whether the route's Headers name the field of line.
func (ro *route) sets(line []byte) bool {
	if len(ro.Headers) == 0 {
		return false
	}
	name, _, _ := bytes.Cut(line, []byte(":"))
	for h := range ro.Headers {
		if bytes.EqualFold(name, []byte(h)) {
			return true
		}
	}
	return false
}

// writeHead writes the response head for the client: always HTTP/1.1,
// the backend's fields without the hop-by-hop ones and those the route
// ro (if any) sets, then ro's, and Connection: close if the client
// connection ends after this answer.
func (r *response) writeHead(w *bufio.Writer, closing bool, ro *route) {
	w.WriteString("HTTP/1.1 ")
	w.Write(r.start[1])
	w.WriteByte(' ')
	w.Write(r.start[2])
	w.WriteString("\r\n")
	for _, f := range r.fields {
		switch {
		case f.kind == lengthField && r.chunked:
			// Chunked framing wins over a length (RFC 9112 section 6.3).
		case f.kind == plainField && ro != nil && ro.sets(f.line):
			// Replaced by the route's own below.
		case f.kind == plainField, f.kind == lengthField, f.kind == chunkedField,
			f.kind == hostField, f.kind == forwardedField, f.kind == forwardedForField:
			w.Write(f.line)
		}
	}
	if ro != nil {
		w.Write(ro.extra)
	}
	if closing {
		w.WriteString("Connection: close\r\n")
	}
	w.WriteString("\r\n")
}

// parseLength reads a Content-Length: decimal digits only.
func parseLength(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 18 {
		return 0, errMalformed
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, errMalformed
		}
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

// connectionClose reads a Connection field: whether it says close. With
// strict, a token other than close or keep-alive is errUnusual: it would
// name further hop-by-hop fields, which net/http knows how to drop.
func connectionClose(v []byte, strict bool) (bool, error) {
	closing := false
	for tok := range bytes.SplitSeq(v, []byte(",")) {
		tok = bytes.Trim(tok, " \t")
		switch {
		case bytes.EqualFold(tok, []byte("close")):
			closing = true
		case bytes.EqualFold(tok, []byte("keep-alive")), len(tok) == 0:
		case strict:
			return false, errUnusual
		}
	}
	return closing, nil
}
