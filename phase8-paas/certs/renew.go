package certs

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"time"

	"github.com/go-acme/lego/v5/acme"
	"github.com/go-acme/lego/v5/certcrypto"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/lego"

	"shibafu.dev/phase8-paas/api"
)

// maxSleep bounds the loop's sleep, so that a clock that jumps (a VM
// resumed) delays a renewal by an hour at most.
const maxSleep = time.Hour

// loop orders a certificate for each name that is due (new, up for
// renewal, or to try again after a failure), each order in a goroutine
// of its own, then sleeps until the next is due or SetNames wakes it.
func (m *Manager) loop(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		case <-timer.C:
		}
		due, next := m.due(time.Now())
		for _, name := range due {
			go m.order(ctx, name)
		}
		timer.Reset(min(time.Until(next), maxSleep))
	}
}

// due returns the names whose order is due at now, marking them as
// ordering, and when the next one is due.
func (m *Manager) due(now time.Time) ([]string, time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var names []string
	next := now.Add(maxSleep)
	for name, e := range m.names {
		switch {
		case m.ordering[name]:
			// Never two orders for one name at once, even if it was
			// removed and added again meanwhile.
		case !e.next.After(now):
			m.ordering[name] = true
			names = append(names, name)
		case e.next.Before(next):
			next = e.next
		}
	}
	return names, next
}

// order obtains a certificate for name from the CA: a new order for the
// name, its authorization, the challenge answered, the order finalized
// with a CSR, the certificate downloaded (RFC 8555 section 7.4). lego
// runs those steps. The certificate is stored, then served; on failure
// the old certificate, if any, keeps serving and the name is tried
// again after a backoff.
func (m *Manager) order(ctx context.Context, name string) {
	ctx, cancel := context.WithTimeout(ctx, DefaultOrderTimeout)
	defer cancel()
	start := time.Now()
	cert, err := m.obtain(ctx, name)

	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.ordering, name)
	e, ok := m.names[name]
	if !ok {
		return // removed meanwhile
	}
	if err != nil {
		m.failed(name, e, err)
		return
	}
	e.cert, e.status, e.failures, e.problem, e.err = cert, api.CertIssued, 0, "", ""
	e.next = m.renewAt(cert.Leaf)
	m.logger().Info("certificate issued", "name", name, "took", time.Since(start).Round(
		time.Millisecond), "not_after", cert.Leaf.NotAfter, "renew_at", e.next)
	m.poke()
}

// failed records a failed order. The caller holds m.mu.
func (m *Manager) failed(name string, e *entry, err error) {
	e.failures++
	e.status, e.err, e.problem = api.CertFailed, err.Error(), ""
	var problem *acme.ProblemDetails
	if errors.As(err, &problem) {
		e.problem = problem.Type
	}
	retry := m.Retry
	if retry == 0 {
		retry = DefaultRetry
	}
	e.next = time.Now().Add(Backoff(retry, e.failures))
	m.logger().Warn("certificate order failed", "name", name, "problem", e.problem,
		"failures", e.failures, "retry_at", e.next, "err", err)
	m.poke()
}

// obtain runs one order with the CA and stores what it gives.
func (m *Manager) obtain(ctx context.Context, name string) (*tls.Certificate, error) {
	client, err := m.acmeClient(ctx)
	if err != nil {
		return nil, err
	}
	// A new ECDSA P-256 key for each certificate, renewals included.
	req := certificate.ObtainRequest{Domains: []string{name}, Bundle: true,
		KeyType: certcrypto.EC256}
	if m.Lifetime > 0 {
		req.NotAfter = time.Now().Add(m.Lifetime)
	}
	res, err := client.Certificate.Obtain(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := m.store.save(name, res.Certificate, res.PrivateKey); err != nil {
		return nil, err
	}
	return m.store.load(name)
}

// acmeClient returns the registered client, registering the account
// on first use (or after a failure to).
func (m *Manager) acmeClient(ctx context.Context) (*lego.Client, error) {
	m.mu.Lock()
	client := m.client
	m.mu.Unlock()
	if client != nil {
		return client, nil
	}
	client, err := m.newClient(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.client == nil {
		m.client = client
	}
	return m.client, nil
}

func (m *Manager) logger() *slog.Logger {
	if m.Logger == nil {
		return slog.Default()
	}
	return m.Logger
}
