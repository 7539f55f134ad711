package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// DefaultForwardTimeout bounds a forwarded query when
// Forwarder.Timeout is 0: a client gets SERVFAIL after at most this
// long, well before its own resolver gives up (5 s in glibc).
const DefaultForwardTimeout = 2 * time.Second

// Forwarder sends queries for names outside the zone to upstream
// resolvers, the way a home router's DNS proxy does, and keeps their
// answers in a Cache.
type Forwarder struct {
	// Upstreams are the resolvers' addresses, "IP" or "IP:PORT", asked
	// in order until one answers.
	Upstreams []string
	// Timeout bounds one forwarded query across every upstream; 0 means
	// DefaultForwardTimeout.
	Timeout time.Duration
	// Cache keeps answers; nil asks an upstream every time.
	Cache *Cache
}

// cached returns the cached answer to q, if the cache holds one.
func (f *Forwarder) cached(q dns.Question, do bool) (*dns.Msg, bool) {
	if f.Cache == nil {
		return nil, false
	}
	return f.Cache.Get(q, do, time.Now())
}

// Forward returns the answer to q from the cache or an upstream. The DO
// bit (RFC 3225) asks for DNSSEC records. The error wraps ErrUpstream
// when no upstream gave a usable answer in time. An answer from the
// cache is shared with other callers, so it must not be modified.
func (f *Forwarder) Forward(ctx context.Context, q dns.Question, do bool) (*dns.Msg, error) {
	if msg, ok := f.cached(q, do); ok {
		return msg, nil
	}
	if len(f.Upstreams) == 0 {
		return nil, fmt.Errorf("forward %s: %w: none configured", q.Name, ErrUpstream)
	}
	timeout := f.Timeout
	if timeout == 0 {
		timeout = DefaultForwardTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req := new(dns.Msg)
	req.SetQuestion(q.Name, q.Qtype)
	req.Question[0].Qclass = q.Qclass
	req.SetEdns0(MaxUDPSize, do)
	var errs []error
	for i, up := range f.Upstreams {
		// Share what is left of the time among the upstreams not yet
		// asked, so a dead first one cannot use it all.
		left := time.Until(deadline(ctx)) / time.Duration(len(f.Upstreams)-i)
		if left <= 0 {
			errs = append(errs, ctx.Err())
			break
		}
		resp, err := exchange(ctx, req, upstreamAddr(up), left)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if f.Cache != nil {
			f.Cache.Put(q, do, resp, time.Now())
		}
		return resp, nil
	}
	return nil, fmt.Errorf("forward %s: %w: %w", q.Name, ErrUpstream, errors.Join(errs...))
}

// exchange asks one upstream over UDP, and again over TCP if the answer
// came back truncated. An upstream's SERVFAIL or REFUSED counts as no
// answer, so the next upstream is asked.
func exchange(ctx context.Context, req *dns.Msg, addr string, timeout time.Duration) (
	*dns.Msg, error) {
	c := &dns.Client{Net: "udp", Timeout: timeout, UDPSize: MaxUDPSize}
	resp, _, err := c.ExchangeContext(ctx, req, addr)
	if err == nil && resp.Truncated {
		c.Net = "tcp"
		resp, _, err = c.ExchangeContext(ctx, req, addr)
	}
	if err != nil {
		return nil, fmt.Errorf("upstream %s: %w", addr, err)
	}

	q := req.Question[0]
	if len(resp.Question) != 1 || resp.Question[0].Qtype != q.Qtype ||
		!strings.EqualFold(resp.Question[0].Name, q.Name) {
		return nil, fmt.Errorf("upstream %s: answer to another question", addr)
	}
	if resp.Rcode == dns.RcodeServerFailure || resp.Rcode == dns.RcodeRefused {
		return nil, fmt.Errorf("upstream %s: %s", addr, dns.RcodeToString[resp.Rcode])
	}
	return resp, nil
}

// upstreamAddr adds the DNS port to an address that has none.
func upstreamAddr(s string) string {
	if _, _, err := net.SplitHostPort(s); err == nil {
		return s
	}
	return net.JoinHostPort(strings.Trim(s, "[]"), "53")
}

func deadline(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// Upstreams returns the nameservers listed in a resolv.conf file, such
// as the host's /etc/resolv.conf, leaving out any of the skip
// addresses (the server's own, which would make a loop).
func Upstreams(path string, skip ...string) ([]string, error) {
	cfg, err := dns.ClientConfigFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("read upstreams: %w", err)
	}
	var ups []string
	for _, s := range cfg.Servers {
		addr := net.JoinHostPort(s, cfg.Port)
		if !slices.Contains(skip, addr) {
			ups = append(ups, addr)
		}
	}
	return ups, nil
}
