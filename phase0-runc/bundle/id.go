package bundle

import (
	"errors"
	"fmt"
	"regexp"
)

// ErrInvalidID is wrapped by every error about a malformed container ID.
var ErrInvalidID = errors.New("invalid container ID")

// idPattern is the container ID grammar Shibafu accepts: a letter or
// digit, then letters, digits, '_', '.' and '-', up to 64 characters.
// IDs become directory names under the state root and cgroup names, so
// '/' and a leading '.' (think "..") must never get through.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// ValidateID checks that id is a valid container ID.
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty", ErrInvalidID)
	}
	if !idPattern.MatchString(id) {
		return fmt.Errorf("%w %q: use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit", ErrInvalidID, id)
	}
	return nil
}
