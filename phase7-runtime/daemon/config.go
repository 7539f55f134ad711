package daemon

import (
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"shibafu.dev/phase2-network/network"
)

// Defaults of Config, from the host conventions of DESIGN.md.
const (
	DefaultRoot        = "/var/lib/shibafu"
	DefaultStopTimeout = 10 * time.Second
	// DefaultStatsInterval is how often running containers are sampled.
	DefaultStatsInterval = 2 * time.Second
	// DefaultLogMaxSize and DefaultLogMaxFiles bound a container's log:
	// three files of 10 MiB at most, like a common Docker set-up.
	DefaultLogMaxSize  = 10 << 20
	DefaultLogMaxFiles = 3
)

// Config is the daemon's configuration. Its zero value is the daemon of
// DESIGN.md: state in /var/lib/shibafu, default network shibafu0 on
// 10.89.0.0/16, iptables chains SHIBAFU-*, DNS on port 53 of each
// gateway. Tests set every field to something of their own.
type Config struct {
	// Root is the state root; empty means DefaultRoot.
	Root string
	// Network names the network a container joins when it names none;
	// empty means network.DefaultName. It is created at start if missing.
	Network string
	// Subnet is the default network's subnet; empty means
	// network.DefaultSubnet.
	Subnet string
	// ChainPrefix names the iptables chains of networks and ports;
	// empty means network.DefaultChainPrefix.
	ChainPrefix string
	// DNSPort is the port the DNS server listens on at each gateway; 0
	// means 53, the only port a resolv.conf can name.
	DNSPort uint16
	// DNSUpstreams are resolvers for names outside shibafu.internal;
	// empty means such names are refused.
	DNSUpstreams []string
	// StopTimeout is how long stop waits after SIGTERM before SIGKILL
	// when the request names no timeout; 0 means DefaultStopTimeout.
	StopTimeout time.Duration
	// StatsInterval is how often the daemon samples every running
	// container's resource use; 0 means DefaultStatsInterval.
	StatsInterval time.Duration
	// LogMaxSize is the size in bytes past which a container's log file
	// is rotated; 0 means DefaultLogMaxSize.
	LogMaxSize int64
	// LogMaxFiles is how many log files of a container are kept, the
	// current one included; 0 means DefaultLogMaxFiles.
	LogMaxFiles int
	// Logger receives the daemon's events; nil means slog.Default().
	Logger *slog.Logger
}

// withDefaults returns c with its empty fields filled in, or an error
// naming the first invalid field.
func (c Config) withDefaults() (Config, error) {
	if c.Root == "" {
		c.Root = DefaultRoot
	}
	if c.Network == "" {
		c.Network = network.DefaultName
	}
	if c.Subnet == "" {
		c.Subnet = network.DefaultSubnet
	}
	if c.ChainPrefix == "" {
		c.ChainPrefix = network.DefaultChainPrefix
	}
	if c.StopTimeout == 0 {
		c.StopTimeout = DefaultStopTimeout
	}
	if c.StatsInterval <= 0 {
		c.StatsInterval = DefaultStatsInterval
	}
	if c.LogMaxSize == 0 {
		c.LogMaxSize = DefaultLogMaxSize
	}
	if c.LogMaxFiles == 0 {
		c.LogMaxFiles = DefaultLogMaxFiles
	}
	if c.LogMaxSize < 0 || c.LogMaxFiles < 0 {
		return c, fmt.Errorf("config: log max size and files cannot be negative")
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if _, err := network.ParseSubnet(c.Subnet); err != nil {
		return c, fmt.Errorf("config: default network: %w", err)
	}
	if err := checkName("default network", c.Network); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	for _, up := range c.DNSUpstreams {
		if _, err := netip.ParseAddr(up); err != nil {
			if _, err := netip.ParseAddrPort(up); err != nil {
				return c, fmt.Errorf("config: dns upstream %q: want IP or IP:PORT", up)
			}
		}
	}
	return c, nil
}
