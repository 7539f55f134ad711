package api

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseContainerFiltersRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		arg, want string
	}{
		{"status", "want KEY=VALUE"},
		{"name=", "want KEY=VALUE"},
		{"colour=red", "unknown key colour"},
		{"status=sleeping", "want created, running, paused or exited"},
		{"health=sick", "want starting, healthy, unhealthy or none"},
	} {
		t.Run(tc.arg, func(t *testing.T) {
			_, err := ParseContainerFilters([]string{tc.arg})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestFiltersMatchContainers(t *testing.T) {
	web := Container{ID: "3f2a1b0c9d8e", Name: "web", Image: "busybox",
		Config:   RunRequest{Labels: map[string]string{"team": "blue", "tier": "front"}},
		State:    State{Status: StatusRunning, Health: &Health{Status: HealthHealthy}},
		Networks: []Endpoint{{Network: "net1"}, {Network: "net2"}}}
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"id=3f2a"}, true},
		{[]string{"id=2a"}, false},
		{[]string{"name=we"}, true},
		{[]string{"label=team"}, true},
		{[]string{"label=team=blue"}, true},
		{[]string{"label=team=red"}, false},
		{[]string{"label=team=red", "label=team=blue"}, true},
		{[]string{"label=team=blue", "status=exited"}, false},
		{[]string{"status=exited", "status=running"}, true},
		{[]string{"health=healthy"}, true},
		{[]string{"health=none"}, false},
		{[]string{"ancestor=busybox"}, true},
		{[]string{"network=net2"}, true},
		{[]string{"network=net3"}, false},
	} {
		f, err := ParseContainerFilters(tc.args)
		require.NoError(t, err)
		assert.Equal(t, tc.want, f.MatchContainer(web), "%v", tc.args)
	}
}

func TestFiltersMatchEvents(t *testing.T) {
	ev := Event{Type: EventContainer, Action: "die", ID: "3f2a1b0c9d8e", Name: "web"}
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"container=web"}, true},
		{[]string{"container=3f2a"}, true},
		{[]string{"container=db"}, false},
		{[]string{"event=die", "type=container"}, true},
		{[]string{"event=start"}, false},
		{[]string{"type=image"}, false},
	} {
		f, err := ParseEventFilters(tc.args)
		require.NoError(t, err)
		assert.Equal(t, tc.want, f.MatchEvent(ev), "%v", tc.args)
	}
	_, err := ParseEventFilters([]string{"name=web"})
	assert.ErrorContains(t, err, "unknown key name")
}
