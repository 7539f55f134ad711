package certs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRenewAt(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		name string
		life time.Duration
		want time.Duration // after t0
	}{
		{"Let's Encrypt, 90 days: 30 days before", 90 * day, 60 * day},
		{"a year: 30 days before", 365 * day, 335 * day},
		{"6 days: at two thirds", 6 * day, 4 * day},
		{"30 seconds: at two thirds", 30 * time.Second, 20 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := RenewAt(t0, t0.Add(tc.life), DefaultRenewBefore)
			assert.Equal(t, t0.Add(tc.want), got)
		})
	}
}

func TestJitter(t *testing.T) {
	for range 100 {
		j := jitter(90 * 24 * time.Hour)
		assert.True(t, j >= 0 && j < time.Hour, "%v", j)
		j = jitter(30 * time.Second)
		assert.True(t, j >= 0 && j < 1500*time.Millisecond, "%v", j)
	}
	assert.Zero(t, jitter(0))
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{
		{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute},
		{11, 1024 * time.Minute}, {12, 24 * time.Hour}, {100, 24 * time.Hour},
	} {
		assert.Equal(t, tc.want, Backoff(time.Minute, tc.n), "failure %d", tc.n)
	}
}

// TestDueOnce checks that a name whose order is under way is not due
// again: never two orders for one name at once.
func TestDueOnce(t *testing.T) {
	m := &Manager{Dir: t.TempDir(), DirectoryURL: "https://ca.invalid/dir"}
	m.SetNames([]string{"a.example.test", "b.example.test"})
	now := time.Now()
	first, _ := m.due(now)
	assert.ElementsMatch(t, []string{"a.example.test", "b.example.test"}, first)
	again, _ := m.due(now.Add(time.Hour))
	assert.Empty(t, again, "both still ordering")

	m.SetNames([]string{"a.example.test", "b.example.test", "c.example.test"})
	third, _ := m.due(time.Now())
	assert.Equal(t, []string{"c.example.test"}, third)
	assert.Equal(t, "pending", m.Status("c.example.test").Status)
	assert.Equal(t, "none", m.Status("gone.example.test").Status)
}
