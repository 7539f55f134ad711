package proxy_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

// TestSwapPoolUnderLoadLosesNothing moves a steady stream of requests
// between two sets of three backends (blue and green) forty times, and
// counts: every request sent is answered 200 by exactly one backend.
func TestSwapPoolUnderLoadLosesNothing(t *testing.T) {
	var blue, green []*backend
	for i := range 3 {
		blue = append(blue, newBackend(t, fmt.Sprint("blue", i)))
		green = append(green, newBackend(t, fmt.Sprint("green", i)))
	}
	s := startProxy(t, httpConfig(proxy.PoolConfig{Backends: addrs(blue...)}))
	url := "http://" + s.Addr("front").String() + "/"

	var sent, ok atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				sent.Add(1)
				res, err := client.Get(url)
				if !assert.NoError(t, err) {
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if assert.Equal(t, http.StatusOK, res.StatusCode) {
					ok.Add(1)
				}
			}
		})
	}
	for i := range 40 {
		next := green
		if i%2 == 1 {
			next = blue
		}
		require.NoError(t, s.SetBackends("web", addrs(next...)))
		time.Sleep(15 * time.Millisecond)
	}
	close(stop)
	wg.Wait()

	var served int64
	for _, b := range append(blue, green...) {
		served += b.hits.Load()
	}
	require.Positive(t, sent.Load())
	assert.Equal(t, sent.Load(), ok.Load(), "every request was answered 200")
	assert.Equal(t, sent.Load(), served,
		"by exactly one backend (more hits than requests means one was sent twice)")
	t.Logf("%d requests over 40 swaps", sent.Load())
}
