package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/snapshot"
	"shibafu.dev/phase4-ports/portmap"
)

// Version is the version of the runtime that Info reports.
const Version = "0.7.0"

// Daemon is the runtime engine. Open makes one; Close stops its
// background work and its DNS server but leaves containers running.
type Daemon struct {
	cfg Config
	log *slog.Logger
	db  *store

	containers *container.Manager
	networks   *network.Manager
	ports      *portmap.Manager
	images     *image.Store
	snapshots  *snapshot.Store
	names      *names
	samples    samples
	healths    healths
	events     events

	// collectors turn each container's output into its log (collect.go).
	collectMu  sync.Mutex
	collectors map[string]*collector

	// locks serialises changes to one container (run, stop, release,
	// remove) between requests and the watchers.
	locksMu sync.Mutex
	locks   map[string]*sync.Mutex

	closing  chan struct{}
	watchers sync.WaitGroup
}

// Open starts the engine on cfg's state root: it opens the stores of
// every phase and the database, makes sure the default network exists,
// starts the DNS server on every network's gateway, and takes charge of
// the containers a previous daemon left running.
func Open(ctx context.Context, cfg Config) (_ *Daemon, err error) {
	cfg, err = cfg.withDefaults()
	if err != nil {
		return nil, invalid(err)
	}
	if err := os.MkdirAll(cfg.Root, 0o711); err != nil {
		return nil, fmt.Errorf("make state root: %w", err)
	}
	d := &Daemon{
		cfg:        cfg,
		log:        cfg.Logger,
		containers: &container.Manager{Root: cfg.Root},
		networks:   &network.Manager{Root: cfg.Root, ChainPrefix: cfg.ChainPrefix},
		ports:      &portmap.Manager{Root: cfg.Root, ChainPrefix: cfg.ChainPrefix},
		locks:      map[string]*sync.Mutex{},
		collectors: map[string]*collector{},
		closing:    make(chan struct{}),
	}
	if d.db, err = openStore(filepath.Join(cfg.Root, "state.db")); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			d.db.close()
		}
	}()
	d.healths.db = d.db
	if d.images, err = image.Open(filepath.Join(cfg.Root, "images")); err != nil {
		return nil, err
	}
	if d.snapshots, err = snapshot.New(filepath.Join(cfg.Root, "snapshots"), d.images); err != nil {
		return nil, err
	}
	if d.names, err = openNames(cfg, d.networks); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			d.names.close()
		}
	}()

	if err := d.ensureDefaultNetwork(ctx); err != nil {
		return nil, err
	}
	if err := d.names.sync(ctx); err != nil {
		d.log.Warn("DNS is not served on every network", "err", err)
	}
	boot, err := d.recover(ctx)
	if err != nil {
		return nil, err
	}
	if err := d.ports.Restore(ctx); err != nil {
		d.log.Warn("cannot restore the rules of published ports", "err", err)
	}
	d.startOnBoot(ctx, boot)
	d.watchers.Add(1)
	go d.sampleLoop()
	return d, nil
}

// Close stops watching containers and serving DNS. The containers keep
// running under their shims; a daemon opened later takes them back.
func (d *Daemon) Close() error {
	close(d.closing)
	d.watchers.Wait()
	return errors.Join(d.names.close(), d.db.close())
}

// lock takes the lock of container id and returns its unlock.
func (d *Daemon) lock(id string) func() {
	d.locksMu.Lock()
	mu, ok := d.locks[id]
	if !ok {
		mu = &sync.Mutex{}
		d.locks[id] = mu
	}
	d.locksMu.Unlock()
	mu.Lock()
	return mu.Unlock
}

// background returns a context for work that outlives the request that
// started it, such as watching a container: it keeps ctx's values but
// ends only when the daemon closes or cancel is called.
func (d *Daemon) background(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		select {
		case <-d.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// ensureDefaultNetwork creates the configured default network unless it
// exists.
func (d *Daemon) ensureDefaultNetwork(ctx context.Context) error {
	_, err := d.networks.Get(ctx, d.cfg.Network)
	if !errors.Is(err, network.ErrNotFound) {
		return err
	}
	subnet, err := network.ParseSubnet(d.cfg.Subnet)
	if err != nil {
		return invalid(err)
	}
	_, err = d.networks.Create(ctx, network.Config{Name: d.cfg.Network, Subnet: subnet})
	if err != nil {
		return fmt.Errorf("create default network %s: %w", d.cfg.Network, categorize(err))
	}
	d.log.Info("created the default network", "network", d.cfg.Network, "subnet", subnet)
	return nil
}
