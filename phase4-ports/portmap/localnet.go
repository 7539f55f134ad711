package portmap

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/vishvananda/netlink"
)

// routeTo finds the interface the host sends packets for ip through and
// that interface's subnet holding ip, as `ip route get IP` and
// `ip addr show DEV` would tell. For a container this is its bridge.
func routeTo(ip netip.Addr) (string, netip.Prefix, error) {
	routes, err := netlink.RouteGet(ip.AsSlice())
	if err != nil || len(routes) == 0 {
		return "", netip.Prefix{}, fmt.Errorf("route to %s: %w", ip, errOr(err, "none"))
	}
	link, err := netlink.LinkByIndex(routes[0].LinkIndex)
	if err != nil {
		return "", netip.Prefix{}, fmt.Errorf("route to %s: %w", ip, err)
	}
	name := link.Attrs().Name
	if link.Attrs().Flags&net.FlagLoopback != 0 {
		return "", netip.Prefix{}, fmt.Errorf("%w container address %s: it is the host's own",
			ErrInvalid, ip)
	}
	addrs, err := netlink.AddrList(link, netlink.FAMILY_V4)
	if err != nil {
		return "", netip.Prefix{}, fmt.Errorf("addresses of %s: %w", name, err)
	}
	for _, a := range addrs {
		ones, _ := a.Mask.Size()
		host, ok := netip.AddrFromSlice(a.IP.To4())
		if p := netip.PrefixFrom(host, ones).Masked(); ok && p.Contains(ip) {
			return name, p, nil
		}
	}
	return name, netip.Prefix{}, nil
}

func errOr(err error, text string) error {
	if err != nil {
		return err
	}
	return errors.New(text)
}

// localnetPath is the sysctl that lets an interface route packets with a
// 127.0.0.0/8 source (net.ipv4.conf.DEV.route_localnet). Without it the
// kernel drops a connection to 127.0.0.1 that DNAT sends out a bridge as
// a martian.
func localnetPath(dev string) string {
	return filepath.Join("/proc/sys/net/ipv4/conf", dev, "route_localnet")
}

// enableLocalnet sets route_localnet on dev and returns the value it had.
func enableLocalnet(dev string) (string, error) {
	old, err := os.ReadFile(localnetPath(dev))
	if err != nil {
		return "", fmt.Errorf("read route_localnet of %s: %w", dev, err)
	}
	if err := os.WriteFile(localnetPath(dev), []byte("1\n"), 0o644); err != nil {
		return "", fmt.Errorf("enable route_localnet on %s: %w", dev, err)
	}
	return strings.TrimSpace(string(old)), nil
}

// restoreLocalnet puts back the value route_localnet had on dev. A dev
// that is gone (its network was removed) has nothing to restore.
func restoreLocalnet(dev, value string) error {
	err := os.WriteFile(localnetPath(dev), []byte(value+"\n"), 0o644)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("restore route_localnet on %s: %w", dev, err)
	}
	return nil
}
