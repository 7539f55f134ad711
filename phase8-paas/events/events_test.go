package events

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rtapi "shibafu.dev/phase7-runtime/api"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/deploy"
)

func TestFeedKeepsTheLastEventsAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	f := &Feed{Dir: dir, Keep: 5}
	for i := range 12 {
		f.Add(api.AppEvent{App: "shop", Kind: api.EventScale, Message: fmt.Sprint(i)})
	}
	evs, err := f.Recent("shop")
	require.NoError(t, err)
	assert.Equal(t, []string{"7", "8", "9", "10", "11"}, messages(evs))
	f.Close()

	again := &Feed{Dir: dir, Keep: 5}
	evs, err = again.Recent("shop")
	require.NoError(t, err)
	assert.Equal(t, []string{"7", "8", "9", "10", "11"}, messages(evs),
		"the ring is filled again from the file")
	again.Close()
}

func messages(evs []api.AppEvent) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Message)
	}
	return out
}

func TestFollowAndClose(t *testing.T) {
	f := &Feed{Dir: t.TempDir()}
	f.Add(api.AppEvent{App: "shop", Kind: api.EventRelease, Message: "v1"})
	got := make(chan string, 10)
	done := make(chan error)
	go func() {
		done <- f.Follow(context.Background(), "shop", func(ev api.AppEvent) {
			got <- ev.Message
		})
	}()
	assert.Equal(t, "v1", <-got)
	require.Eventually(t, func() bool {
		f.Add(api.AppEvent{App: "shop", Kind: api.EventRelease, Message: "v2"})
		select {
		case m := <-got:
			return m == "v2"
		case <-time.After(50 * time.Millisecond):
			return false
		}
	}, 2*time.Second, time.Millisecond)
	f.Close()
	assert.NoError(t, <-done, "Close ends the followers")
}

func TestRuntimeEvents(t *testing.T) {
	f := &Feed{Dir: t.TempDir()}
	defer f.Close()
	rs := &Replicas{Feed: f}
	r := deploy.Running{App: "shop"}
	r.Name, r.Release = "shop-web-v2-1", 2
	rs.Runtime(rtapi.Event{Action: "die", ID: "c1", Attributes: map[string]string{
		"exitCode": "3"}}, r)
	rs.Runtime(rtapi.Event{Action: "restart", ID: "c1"}, r)
	rs.Runtime(rtapi.Event{Action: "die", ID: "c2"}, r) // a stop: no news
	evs, _ := f.Recent("shop")
	require.Len(t, evs, 1)
	assert.Equal(t, api.EventCrash, evs[0].Kind)
	assert.Equal(t, "shop-web-v2-1 exited (code 3) and was restarted", evs[0].Message)
	assert.Equal(t, 2, evs[0].Release)
}
