package daemon

import (
	"errors"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/snapshot"
	"shibafu.dev/phase4-ports/portmap"
	"shibafu.dev/phase6-dns/dns"

	"shibafu.dev/phase7-runtime/api"
)

// categories sorts the errors of the earlier phases into the API's
// categories. It is the only place that knows both sides.
var categories = []struct {
	phase    error
	category error
}{
	{bundle.ErrInvalidID, api.ErrInvalid},
	{container.ErrNotFound, api.ErrNotFound},
	{container.ErrExists, api.ErrConflict},
	{container.ErrRunning, api.ErrConflict},
	{container.ErrNotRunning, api.ErrConflict},
	{network.ErrNotFound, api.ErrNotFound},
	{network.ErrExists, api.ErrConflict},
	{network.ErrInUse, api.ErrConflict},
	{network.ErrOverlap, api.ErrConflict},
	{network.ErrInvalid, api.ErrInvalid},
	{image.ErrNotFound, api.ErrNotFound},
	{image.ErrInvalidRef, api.ErrInvalid},
	{snapshot.ErrNotFound, api.ErrNotFound},
	{snapshot.ErrExists, api.ErrConflict},
	{portmap.ErrInvalid, api.ErrInvalid},
	{portmap.ErrPortTaken, api.ErrConflict},
	{dns.ErrInvalid, api.ErrInvalid},
}

// categorize puts err in the API category of the phase error it wraps,
// unless it has one already. Errors of no known kind stay as they are
// and reach the client as internal errors.
func categorize(err error) error {
	if err == nil {
		return nil
	}
	for _, c := range []error{api.ErrInvalid, api.ErrNotFound, api.ErrConflict} {
		if errors.Is(err, c) {
			return err
		}
	}
	for _, c := range categories {
		if errors.Is(err, c.phase) {
			return api.WithCategory(c.category, err)
		}
	}
	return err
}

// invalid, notFound and conflict make errors of the daemon's own in a
// category.
func invalid(err error) error  { return api.WithCategory(api.ErrInvalid, err) }
func notFound(err error) error { return api.WithCategory(api.ErrNotFound, err) }
func conflict(err error) error { return api.WithCategory(api.ErrConflict, err) }
