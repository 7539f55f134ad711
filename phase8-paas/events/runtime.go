package events

import (
	"fmt"
	"sync"

	rtapi "shibafu.dev/phase7-runtime/api"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/deploy"
)

// Replicas turns the runtime's events about replicas into app events.
// The runtime reports a crash as a "die" (with the exit code) and, as
// the replicas' restart policy is "always", a "restart" right after;
// the pair becomes one crash event. A die without a restart is a
// replica the PaaS stopped, which is no news.
type Replicas struct {
	Feed *Feed

	mu   sync.Mutex
	exit map[string]string // container ID -> exit code of its last die
}

// Runtime takes one runtime event about replica r.
func (rs *Replicas) Runtime(ev rtapi.Event, r deploy.Running) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.exit == nil {
		rs.exit = map[string]string{}
	}
	switch ev.Action {
	case "die":
		rs.exit[ev.ID] = ev.Attributes["exitCode"]
	case "restart":
		code := rs.exit[ev.ID]
		if code == "" {
			code = "unknown"
		}
		rs.Feed.Add(api.AppEvent{Time: ev.Time, App: r.App, Kind: api.EventCrash,
			Release: r.Release, Message: fmt.Sprintf(
				"%s exited (code %s) and was restarted", r.Name, code)})
	case "health_status":
		rs.Feed.Add(api.AppEvent{Time: ev.Time, App: r.App, Kind: api.EventHealth,
			Release: r.Release, Message: fmt.Sprintf("%s is %s", r.Name,
				ev.Attributes["health"])})
	case "destroy":
		delete(rs.exit, ev.ID)
	}
}
