package metrics

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"shibafu.dev/phase4-ports/proxy"
)

func TestRingKeepsTheLastValues(t *testing.T) {
	r := NewRing[int](3)
	_, ok := r.Last()
	assert.False(t, ok)
	assert.Empty(t, r.All())
	for i := 1; i <= 2; i++ {
		r.Push(i)
	}
	assert.Equal(t, []int{1, 2}, r.All())
	for i := 3; i <= 7; i++ {
		r.Push(i)
	}
	assert.Equal(t, []int{5, 6, 7}, r.All())
	assert.Equal(t, 3, r.Len())
	last, _ := r.Last()
	assert.Equal(t, 7, last)
}

func TestPercentiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float64
		want   []float64 // p50, p95, p99
	}{
		{"none", nil, []float64{0, 0, 0}},
		{"one", []float64{7}, []float64{7, 7, 7}},
		{"two", []float64{9, 1}, []float64{1, 9, 9}},
		{"hundred", seq(100), []float64{50, 95, 99}},
		{"a slow tail", append(make([]float64, 98), 500, 1000), []float64{0, 0, 500}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Percentiles(tc.values, 50, 95, 99))
		})
	}
}

// seq returns 1..n shuffled a little.
func seq(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[(i*37)%n] = float64(i + 1)
	}
	return v
}

func TestAccessMakesRatesAndPercentiles(t *testing.T) {
	c := &Collector{}
	for i := range 100 {
		status := 200
		if i%10 == 0 {
			status = 502
		}
		c.Access(proxy.Access{Pool: "app-shop", Status: status,
			Duration: time.Duration(i+1) * time.Millisecond})
	}
	c.Access(proxy.Access{Pool: "", Status: 404}) // no route: no app
	m := c.app("shop")
	m.point(time.Now(), 10, nil, nil)
	p, _ := m.points.Last()
	assert.Equal(t, 10.0, p.Requests)
	assert.Equal(t, 1.0, p.Errors)
	assert.Equal(t, []float64{50, 95, 99}, []float64{p.P50, p.P95, p.P99})
	assert.Equal(t, uint64(90), m.totals["2xx"])
	assert.Equal(t, uint64(10), m.totals["5xx"])
	assert.Len(t, c.apps, 1)

	m.point(time.Now(), 10, nil, nil)
	p, _ = m.points.Last()
	assert.Zero(t, p.Requests, "each point counts the traffic since the one before")
}
