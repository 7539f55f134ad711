package registry

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Authenticator decides whether a request may use the API. Authorize
// returns nil to let it through; an error is sent to the client as is
// (use ErrUnauthorized and ErrDenied).
type Authenticator interface {
	// Authorize checks r's credentials for repository name ("" for the
	// version check of /v2/) and for writing (push, delete) or only
	// reading (pull). It returns the user name for the access log.
	Authorize(r *http.Request, name string, write bool) (user string, err error)
}

// The answers of an Authenticator.
var (
	// ErrUnauthorized: no valid credentials; the client should log in
	// (401 UNAUTHORIZED with a WWW-Authenticate challenge).
	ErrUnauthorized = errors.New("authentication required")
	// ErrDenied: valid credentials without the right to do this
	// (403 DENIED).
	ErrDenied = errors.New("access denied")
)

// BasicAuth checks HTTP basic credentials (RFC 7617) against a table of
// users with bcrypt password hashes. Every user may read; users marked
// Write may also push and delete. Use it only over TLS, since basic
// credentials travel in every request.
type BasicAuth struct {
	Users map[string]User
}

// User is one account of BasicAuth.
type User struct {
	// Hash is the bcrypt hash of the password.
	Hash []byte
	// Write lets the user push and delete, not only pull.
	Write bool
}

var _ Authenticator = (*BasicAuth)(nil)

// Authorize implements Authenticator.
func (a *BasicAuth) Authorize(r *http.Request, _ string, write bool) (string, error) {
	name, password, ok := r.BasicAuth()
	if !ok {
		return "", ErrUnauthorized
	}
	u, known := a.Users[name]
	if !known || bcrypt.CompareHashAndPassword(u.Hash, []byte(password)) != nil {
		return "", ErrUnauthorized
	}
	if write && !u.Write {
		return name, ErrDenied
	}
	return name, nil
}

// LoadUsers reads a users file, one account a line as htpasswd writes
// them ("name:bcrypt-hash"), optionally followed by ":rw" for a user who
// may push. Lines starting with "#" are comments.
func LoadUsers(path string) (*BasicAuth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	defer f.Close()
	a := &BasicAuth{Users: map[string]User{}}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		parts := strings.Split(text, ":")
		if len(parts) < 2 || len(parts) > 3 || parts[0] == "" {
			return nil, fmt.Errorf("load users: %s:%d: want name:hash[:rw]", path, line)
		}
		if _, err := bcrypt.Cost([]byte(parts[1])); err != nil {
			return nil, fmt.Errorf("load users: %s:%d: %w", path, line, err)
		}
		a.Users[parts[0]] = User{Hash: []byte(parts[1]), Write: len(parts) == 3 && parts[2] == "rw"}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	return a, nil
}

// authorize runs the server's Authenticator, if it has one, for res.
func (s *Server) authorize(r *http.Request, res resource) error {
	if s.Auth == nil {
		return nil
	}
	write := r.Method != http.MethodGet && r.Method != http.MethodHead
	user, err := s.Auth.Authorize(r, res.name, write)
	infoOf(r).user = user
	switch {
	case errors.Is(err, ErrDenied):
		return fail(codeDenied, err)
	case err != nil:
		return fail(codeUnauthorized, err)
	}
	return nil
}
