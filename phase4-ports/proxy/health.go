package proxy

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// checker runs a pool's active health checks.
type checker struct {
	pool   *Pool
	cfg    HealthCheck // with defaults
	client *http.Client
}

func newChecker(p *Pool) *checker {
	if p.cfg.Health == nil {
		return nil
	}
	// A fresh connection per check, so a check also proves that the
	// backend still accepts connections.
	tr := &http.Transport{DisableKeepAlives: true, Proxy: nil}
	return &checker{pool: p, cfg: *p.cfg.Health, client: &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// run checks every backend each Interval until ctx ends.
func (c *checker) run(ctx context.Context) {
	t := time.NewTicker(time.Duration(c.cfg.Interval))
	defer t.Stop()
	for {
		c.checkAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkAll checks the current backends side by side and waits for all,
// so that one backend's results are only ever recorded by one goroutine
// at a time.
func (c *checker) checkAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, b := range *c.pool.backends.Load() {
		wg.Go(func() { c.record(b, c.probe(ctx, b)) })
	}
	wg.Wait()
}

// probe runs one check: a GET of the path, passing on 2xx and 3xx, or a
// TCP connect.
func (c *checker) probe(ctx context.Context, b *backend) error {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(c.cfg.Timeout))
	defer cancel()
	if c.cfg.Path == "" {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", b.addr)
		if err != nil {
			return err
		}
		return conn.Close()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+b.addr+c.cfg.Path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "shibafu-health-check")
	res, err := c.client.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 399 {
		return fmt.Errorf("health check %s: status %d", b.addr, res.StatusCode)
	}
	return nil
}

// record counts a result: Rise passes in a row bring a backend back, Fall
// failures in a row take it out.
func (c *checker) record(b *backend, err error) {
	if err == nil {
		b.checkFail = 0
		b.checkPass++
		if !b.healthy.Load() && b.checkPass >= c.cfg.Rise {
			b.healthy.Store(true)
		}
		return
	}
	b.checkPass = 0
	b.checkFail++
	if b.healthy.Load() && b.checkFail >= c.cfg.Fall {
		b.healthy.Store(false)
	}
}
