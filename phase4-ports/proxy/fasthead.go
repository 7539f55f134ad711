package proxy

import (
	"bufio"
	"bytes"
	"errors"
)

// This file parses the head of an HTTP/1.1 message (its start line and
// header fields, RFC 9112 sections 2 to 5) for the fast path, where it
// lies in the connection's read buffer: every part is a slice of that
// buffer, so parsing copies and allocates nothing. The slices stay valid
// until the reader is read again.

var (
	// errUnusual marks a request the fast path leaves to net/http (see
	// fastpath.go): valid HTTP, perhaps, but outside the small subset
	// this parser accepts.
	errUnusual = errors.New("request left to net/http")
	// errHeadTooLarge means a head did not fit in the read buffer.
	errHeadTooLarge = errors.New("message head too large")
	// errMalformed means a backend's answer is not valid HTTP/1.1.
	errMalformed = errors.New("malformed http message")
	// errIncomplete means the buffer does not yet hold the whole head.
	errIncomplete = errors.New("incomplete message head")
)

// field is one header field line.
type field struct {
	name, value []byte
	line        []byte // the whole line with its CRLF, to pass it on as it is
	kind        fieldKind
}

// head is a parsed message head.
type head struct {
	start  [3][]byte // request: method, target, version; response: version, code, reason
	fields []field
	size   int // bytes of the head, its final empty line included
}

// readHead waits until br holds a whole head and parses it into h. It
// does not consume the head: the caller discards h.size bytes once done
// with its slices. more, if set, is called before each wait for more
// bytes after the first ones (to set a deadline for a slow sender).
func readHead(br *bufio.Reader, h *head, more func()) error {
	if _, err := br.Peek(1); err != nil {
		return err
	}
	for {
		buf, _ := br.Peek(br.Buffered())
		err := h.parse(buf)
		if err != errIncomplete {
			return err
		}
		if br.Buffered() == br.Size() {
			return errHeadTooLarge
		}
		if more != nil {
			more()
		}
		if _, err := br.Peek(br.Buffered() + 1); err != nil {
			return err
		}
	}
}

// parse splits buf into a start line and fields. Lines must end in CRLF;
// a bare LF, a folded line (obs-fold) or a field name that is not a
// token makes the head unusual.
func (h *head) parse(buf []byte) error {
	h.fields = h.fields[:0]
	line, _, rest, err := cutLine(buf)
	if err != nil {
		return err
	}
	var ok1, ok2 bool
	h.start[0], line, ok1 = bytes.Cut(line, []byte(" "))
	h.start[1], h.start[2], ok2 = bytes.Cut(line, []byte(" "))
	if !ok1 || (!ok2 && len(h.start[1]) != 3) { // a response may have no reason
		return errUnusual
	}

	for {
		var raw []byte
		line, raw, rest, err = cutLine(rest)
		if err != nil {
			return err
		}
		if len(line) == 0 {
			h.size = len(buf) - len(rest)
			return nil
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !isToken(name) || !validValue(value) {
			return errUnusual
		}
		value = bytes.Trim(value, " \t")
		h.fields = append(h.fields, field{name: name, value: value, line: raw,
			kind: kindOf(name)})
	}
}

// cutLine cuts the first CRLF-ended line off b: the line without its
// CRLF, then with it, then the rest.
func cutLine(b []byte) (line, raw, rest []byte, err error) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return nil, nil, nil, errIncomplete
	}
	if i == 0 || b[i-1] != '\r' {
		return nil, nil, nil, errUnusual
	}
	return b[:i-1], b[:i+1], b[i+1:], nil
}

// tokenChars marks the bytes allowed in a method or a field name, the
// "tchar" of RFC 9110 section 5.6.2.
var tokenChars = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range []byte("!#$%&'*+-.^_`|~") {
		t[c] = true
	}
	return t
}()

func isToken(b []byte) bool {
	for _, c := range b {
		if !tokenChars[c] {
			return false
		}
	}
	return len(b) > 0
}

// validValue refuses control characters other than tab in a field
// value, as net/http does (RFC 9110 section 5.5).
func validValue(b []byte) bool {
	for _, c := range b {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// fieldKind is what the fast path does with a header field.
type fieldKind uint8

const (
	plainField        fieldKind = iota // passed on as it is
	hopField                           // hop-by-hop: dropped (RFC 9110 section 7.6.1)
	connectionField                    // Connection: read, then dropped
	lengthField                        // Content-Length
	chunkedField                       // Transfer-Encoding
	hostField                          // Host
	forwardedField                     // Forwarded, X-Forwarded-Host, -Proto: replaced
	forwardedForField                  // X-Forwarded-For: appended to
	unusualField                       // Upgrade, Expect: the request goes to net/http
)

// fieldKinds names the fields that are not plain, in lower case.
var fieldKinds = map[string]fieldKind{
	"connection":          connectionField,
	"keep-alive":          hopField,
	"proxy-connection":    hopField,
	"proxy-authenticate":  hopField,
	"proxy-authorization": hopField,
	"te":                  hopField,
	"content-length":      lengthField,
	"transfer-encoding":   chunkedField,
	"host":                hostField,
	"forwarded":           forwardedField,
	"x-forwarded-host":    forwardedField,
	"x-forwarded-proto":   forwardedField,
	"x-forwarded-for":     forwardedForField,
	"upgrade":             unusualField,
	"expect":              unusualField,
}

// kindOf looks a field name up in fieldKinds. Lower-casing into an array
// on the stack and indexing the map with string(b) allocates nothing.
func kindOf(name []byte) fieldKind {
	var lower [24]byte
	if len(name) > len(lower) {
		return plainField
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return fieldKinds[string(lower[:len(name)])]
}
