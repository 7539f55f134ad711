package proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

func TestRoundRobinSharesEvenly(t *testing.T) {
	a, b, c := newBackend(t, "a"), newBackend(t, "b"), newBackend(t, "c")
	s := startProxy(t, httpConfig(proxy.PoolConfig{Backends: addrs(a, b, c)}))

	seen := map[string]int{}
	for range 300 {
		status, body := get(t, s, "/")
		require.Equal(t, http.StatusOK, status)
		seen[body]++
	}
	assert.Equal(t, map[string]int{"a": 100, "b": 100, "c": 100}, seen)
}

// holdingBackend answers only when released, so that the test decides
// how many requests each backend has in flight.
type holdingBackend struct {
	srv      *httptest.Server
	arrived  atomic.Int64
	mu       sync.Mutex
	release  chan struct{}
	released bool
}

func newHoldingBackend(t *testing.T) *holdingBackend {
	h := &holdingBackend{release: make(chan struct{})}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.arrived.Add(1)
		h.mu.Lock()
		ch := h.release
		h.mu.Unlock()
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(func() { h.free(); h.srv.Close() })
	return h
}

func (h *holdingBackend) free() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.released {
		close(h.release)
		h.released = true
	}
}

func TestLeastConnFollowsLoad(t *testing.T) {
	hs := []*holdingBackend{newHoldingBackend(t), newHoldingBackend(t), newHoldingBackend(t)}
	var backends []string
	for _, h := range hs {
		backends = append(backends, strings.TrimPrefix(h.srv.URL, "http://"))
	}
	s := startProxy(t, httpConfig(proxy.PoolConfig{Balance: proxy.LeastConn, Backends: backends}))

	var wg sync.WaitGroup
	send := func(n int) {
		for range n {
			before := total(hs)
			wg.Go(func() {
				res, err := client.Get("http://" + s.Addr("front").String() + "/")
				if assert.NoError(t, err) {
					res.Body.Close()
				}
			})
			eventually(t, 2*time.Second, func() bool { return total(hs) == before+1 },
				"the request reaches a backend")
		}
	}
	send(6)
	for _, h := range hs {
		assert.EqualValues(t, 2, h.arrived.Load(), "equal load while all are busy")
	}

	hs[0].free() // backend 0 finishes its two requests: it now has none
	pool, err := s.Pool("web")
	require.NoError(t, err)
	eventually(t, 2*time.Second, func() bool { return pool.Status()[0].Active == 0 },
		"backend 0 is idle")
	send(3)
	assert.EqualValues(t, 5, hs[0].arrived.Load(), "the idle backend takes the new requests")
	assert.EqualValues(t, 2, hs[1].arrived.Load())
	assert.EqualValues(t, 2, hs[2].arrived.Load())

	for _, h := range hs {
		h.free()
	}
	wg.Wait()
}

func total(hs []*holdingBackend) int64 {
	var n int64
	for _, h := range hs {
		n += h.arrived.Load()
	}
	return n
}
