// Package tokens keeps the PaaS's API tokens. A token is 32 random
// bytes, given once to whoever makes it; the server keeps only its
// SHA-256 hash, in a JSON file under the state root. Whoever can write
// that file (root) can make tokens: `shibafu-paas token create` does it
// directly, with the server running or not, and the server sees the new
// token at its next request.
package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"shibafu.dev/phase0-runc/statefile"

	"shibafu.dev/phase8-paas/api"
)

// prefix starts every token, so that one pasted in the wrong place (a
// log, a commit) is easy to find and scan for.
const prefix = "sbf_"

// record is a token as the file keeps it.
type record struct {
	api.Token
	// Hash is the hex SHA-256 of the whole token.
	Hash string `json:"hash"`
}

// Store is the token file at Path. Its methods are safe for concurrent
// use, also by several processes.
type Store struct {
	Path string

	mu     sync.Mutex
	mtime  time.Time
	size   int64
	byHash map[string]api.Token
}

// Create makes a token called name, records its hash and returns the
// token itself, which is not kept anywhere.
func (s *Store) Create(name string) (string, api.Token, error) {
	if name == "" || len(name) > 64 || strings.ContainsAny(name, "\n\r\t") {
		return "", api.Token{}, api.WithCategory(api.ErrInvalid,
			fmt.Errorf("token name %q: want 1 to 64 characters on one line", name))
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	token := prefix + hex.EncodeToString(secret)
	hash := hashOf(token)
	t := api.Token{ID: hash[:12], Name: name, Created: time.Now().UTC().Truncate(time.Second)}
	err := s.update(func(rs []record) ([]record, error) {
		return append(rs, record{Token: t, Hash: hash}), nil
	})
	if err != nil {
		return "", api.Token{}, err
	}
	return token, t, nil
}

// List returns every token's description, oldest first.
func (s *Store) List() ([]api.Token, error) {
	rs, err := s.read()
	if err != nil {
		return nil, err
	}
	ts := make([]api.Token, len(rs))
	for i, r := range rs {
		ts[i] = r.Token
	}
	return ts, nil
}

// Revoke deletes the token whose ID is id.
func (s *Store) Revoke(id string) error {
	return s.update(func(rs []record) ([]record, error) {
		i := slices.IndexFunc(rs, func(r record) bool { return r.ID == id })
		if i < 0 {
			return nil, api.WithCategory(api.ErrNotFound, fmt.Errorf("no token %q", id))
		}
		return slices.Delete(rs, i, i+1), nil
	})
}

// Check returns the token's description if token is one of the store's.
// It reads the file again only when the file has changed.
func (s *Store) Check(token string) (api.Token, bool) {
	if !strings.HasPrefix(token, prefix) {
		return api.Token{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if fi, err := os.Stat(s.Path); err == nil &&
		(!fi.ModTime().Equal(s.mtime) || fi.Size() != s.size) {
		if rs, err := s.read(); err == nil {
			s.byHash = map[string]api.Token{}
			for _, r := range rs {
				s.byHash[r.Hash] = r.Token
			}
			s.mtime, s.size = fi.ModTime(), fi.Size()
		}
	}
	t, ok := s.byHash[hashOf(token)]
	return t, ok
}

func hashOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// read returns the file's records; a missing file holds none.
func (s *Store) read() ([]record, error) {
	var rs []record
	err := statefile.ReadJSON(s.Path, &rs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return rs, nil
}

// update changes the records under the file's lock and writes them back
// whole (WriteJSON makes the file 0600).
func (s *Store) update(change func([]record) ([]record, error)) error {
	lock, err := statefile.Lock(s.Path + ".lock")
	if err != nil {
		return fmt.Errorf("tokens: %w", err)
	}
	defer lock.Close()
	rs, err := s.read()
	if err != nil {
		return err
	}
	if rs, err = change(rs); err != nil {
		return err
	}
	if err := statefile.WriteJSON(s.Path, rs); err != nil {
		return fmt.Errorf("tokens: %w", err)
	}
	return nil
}
