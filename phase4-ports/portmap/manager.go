package portmap

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"

	"shibafu.dev/phase0-runc/statefile"
)

// Defaults of the host conventions in DESIGN.md.
const (
	// DefaultRoot is the state root used when Manager.Root is empty.
	DefaultRoot = "/var/lib/shibafu"
	// DefaultChainPrefix starts the chain names (SHIBAFU-PORTS, ...) when
	// Manager.ChainPrefix is empty.
	DefaultChainPrefix = "SHIBAFU"
)

// Manager publishes ports and records them under its state root. Its
// zero value uses DefaultRoot and DefaultChainPrefix. Several processes
// may share one root: every change holds a lock on it.
type Manager struct {
	// Root is the state root; empty means DefaultRoot. Mappings are kept
	// in ROOT/ports/ports.json.
	Root string
	// ChainPrefix starts the names of the iptables chains; empty means
	// DefaultChainPrefix. Tests give each run its own.
	ChainPrefix string
}

// record is what the state file holds.
type record struct {
	// Mappings are the published ports, in the order they came.
	Mappings []Mapping `json:"mappings"`
	// Localnet holds, per interface on which Publish turned
	// route_localnet on, the value it had before, to put back when its
	// last mapping goes.
	Localnet map[string]string `json:"localnet,omitempty"`
}

func (m *Manager) dir() string {
	root := m.Root
	if root == "" {
		root = DefaultRoot
	}
	return filepath.Join(root, "ports")
}

func (m *Manager) prefix() string {
	if m.ChainPrefix == "" {
		return DefaultChainPrefix
	}
	return m.ChainPrefix
}

// change runs fn on the record while holding the root's lock, and saves
// the record if fn succeeds.
func (m *Manager) change(fn func(rec *record, fw *firewall) error) error {
	lock, err := statefile.Lock(filepath.Join(m.dir(), "lock"))
	if err != nil {
		return err
	}
	defer lock.Close()
	fw, err := newFirewall(m.prefix())
	if err != nil {
		return err
	}
	rec, err := m.read()
	if err != nil {
		return err
	}
	if err := fn(&rec, fw); err != nil {
		return err
	}
	return statefile.WriteJSON(m.recordFile(), &rec)
}

// List returns the published mappings, in the order they were published.
func (m *Manager) List(ctx context.Context) ([]Mapping, error) {
	rec, err := m.read()
	return rec.Mappings, err
}

func (m *Manager) recordFile() string { return filepath.Join(m.dir(), "ports.json") }

// read loads the record of published mappings; before the first publish
// there is none, which is an empty record.
func (m *Manager) read() (record, error) {
	var rec record
	err := statefile.ReadJSON(m.recordFile(), &rec)
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	return rec, err
}

// Publish publishes every mapping or, if one of them cannot be, none:
// a bad field, a host port already published or bound by a process, or
// a container address the host has no route to leaves iptables as it
// was. A HostPort of 0 is given a free port. Publish returns the
// mappings as published.
func (m *Manager) Publish(ctx context.Context, maps ...Mapping) ([]Mapping, error) {
	for _, mp := range maps {
		if err := mp.Validate(); err != nil {
			return nil, err
		}
	}
	var done []Mapping
	err := m.change(func(rec *record, fw *firewall) error {
		var err error
		if done, err = prepare(rec.Mappings, maps); err != nil {
			return err
		}
		if err := addAll(fw, done); err != nil {
			return err
		}
		rec.Mappings = append(rec.Mappings, done...)
		return syncLocalnet(rec)
	})
	if err != nil {
		return nil, err
	}
	return done, nil
}

// prepare checks each new mapping against the published ones and the
// host's sockets, picks free ports, and finds each container's bridge.
func prepare(published, maps []Mapping) ([]Mapping, error) {
	taken := slices.Clone(published)
	var out []Mapping
	for _, mp := range maps {
		var err error
		if mp.HostPort == 0 {
			if mp.HostPort, err = freePort(mp, taken); err != nil {
				return nil, err
			}
		} else if err := checkFree(mp, taken); err != nil {
			return nil, err
		}
		if mp.Bridge, mp.Subnet, err = routeTo(mp.ContainerIP); err != nil {
			return nil, err
		}
		taken = append(taken, mp)
		out = append(out, mp)
	}
	return out, nil
}

// addAll adds the rules of every mapping, or removes those it added.
func addAll(fw *firewall, maps []Mapping) error {
	for i, mp := range maps {
		if err := fw.add(mp); err != nil {
			for _, added := range maps[:i] {
				fw.remove(added)
			}
			return fmt.Errorf("publish %s: %w", mp, err)
		}
	}
	return nil
}

// Unpublish removes the mapping of proto on hostIP:hostPort (the zero
// hostIP for one published on every address) and returns it.
func (m *Manager) Unpublish(ctx context.Context, proto Proto, hostIP netip.Addr,
	hostPort uint16) (Mapping, error) {
	var gone []Mapping
	err := m.change(func(rec *record, fw *firewall) error {
		var err error
		gone, err = removeWhere(rec, fw, func(mp Mapping) bool {
			return mp.Proto == proto && mp.HostIP == hostIP && mp.HostPort == hostPort
		})
		return err
	})
	if err == nil && len(gone) == 0 {
		err = fmt.Errorf("%w: %s %s", ErrNotFound, proto,
			Mapping{HostIP: hostIP, HostPort: hostPort}.hostAddr())
	}
	if err != nil {
		return Mapping{}, err
	}
	return gone[0], nil
}

// UnpublishOwner removes every mapping of owner and returns them; none is
// no error, so a container's clean-up can always call it.
func (m *Manager) UnpublishOwner(ctx context.Context, owner string) ([]Mapping, error) {
	var gone []Mapping
	err := m.change(func(rec *record, fw *firewall) error {
		var err error
		gone, err = removeWhere(rec, fw, func(mp Mapping) bool { return mp.Owner == owner })
		return err
	})
	return gone, err
}

// removeWhere deletes the rules of the recorded mappings that match, and
// drops them from the record.
func removeWhere(rec *record, fw *firewall, match func(Mapping) bool) ([]Mapping, error) {
	var gone, kept []Mapping
	var errs []error
	for _, mp := range rec.Mappings {
		if !match(mp) {
			kept = append(kept, mp)
			continue
		}
		if err := fw.remove(mp); err != nil {
			errs = append(errs, fmt.Errorf("unpublish %s: %w", mp, err))
			kept = append(kept, mp)
			continue
		}
		forgetFlows(mp)
		gone = append(gone, mp)
	}
	rec.Mappings = kept
	errs = append(errs, syncLocalnet(rec))
	return gone, errors.Join(errs...)
}

// Restore adds again the rules of every recorded mapping, for a host
// whose rules were lost (a reboot, a firewall reload). Rules that are
// still there are left as they are, so calling it twice changes nothing.
func (m *Manager) Restore(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(m.dir(), "ports.json")); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return m.change(func(rec *record, fw *firewall) error {
		for _, mp := range rec.Mappings {
			if err := fw.add(mp); err != nil {
				return fmt.Errorf("restore %s: %w", mp, err)
			}
		}
		// The values from before Shibafu stay recorded; only turn it on.
		for dev := range rec.Localnet {
			if _, err := enableLocalnet(dev); err != nil {
				return err
			}
		}
		return syncLocalnet(rec)
	})
}

// syncLocalnet turns route_localnet on for the bridges of mappings that
// answer on 127.0.0.1, and puts back the old value on bridges that no
// longer have any.
func syncLocalnet(rec *record) error {
	need := map[string]bool{}
	for _, mp := range rec.Mappings {
		if !mp.HostIP.IsValid() || mp.HostIP.IsLoopback() {
			need[mp.Bridge] = true
		}
	}
	if rec.Localnet == nil {
		rec.Localnet = map[string]string{}
	}
	var errs []error
	for dev, old := range rec.Localnet {
		if !need[dev] {
			errs = append(errs, restoreLocalnet(dev, old))
			delete(rec.Localnet, dev)
		}
	}
	for dev := range need {
		if _, done := rec.Localnet[dev]; done {
			continue
		}
		old, err := enableLocalnet(dev)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rec.Localnet[dev] = old
	}
	return errors.Join(errs...)
}
