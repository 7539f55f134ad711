package daemon

import (
	"context"
	"sync"
	"time"

	"shibafu.dev/phase7-runtime/api"
)

// eventBuffer is how many events a slow subscriber may fall behind
// before it misses some: the daemon never waits for a subscriber.
const eventBuffer = 64

// events fans the daemon's lifecycle events out to the clients that
// follow them. Nothing is stored: a subscriber sees what happens after
// it subscribed.
type events struct {
	mu   sync.Mutex
	subs map[chan api.Event]struct{}
}

// publish sends ev to every subscriber that has room for it.
func (e *events) publish(ev api.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for ch := range e.subs {
		select {
		case ch <- ev:
		default: // a subscriber that does not keep up loses the event
		}
	}
}

func (e *events) subscribe() chan api.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.subs == nil {
		e.subs = map[chan api.Event]struct{}{}
	}
	ch := make(chan api.Event, eventBuffer)
	e.subs[ch] = struct{}{}
	return ch
}

func (e *events) unsubscribe(ch chan api.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.subs, ch)
}

// emit publishes an event about rec; attrs are name, value pairs.
func (d *Daemon) emit(action string, rec *record, attrs ...string) {
	ev := api.Event{Time: time.Now().UTC(), Type: api.EventContainer, Action: action,
		ID: rec.ID, Name: rec.Name}
	if len(attrs) > 0 {
		ev.Attributes = map[string]string{}
		for i := 0; i+1 < len(attrs); i += 2 {
			ev.Attributes[attrs[i]] = attrs[i+1]
		}
	}
	d.events.publish(ev)
}

// Events sends every lifecycle event to send as it happens, until ctx
// ends or the daemon closes, like `docker events`.
func (d *Daemon) Events(ctx context.Context, send func(api.Event) error) error {
	ch := d.events.subscribe()
	defer d.events.unsubscribe(ch)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-d.closing:
			return nil
		case ev := <-ch:
			if err := send(ev); err != nil {
				return err
			}
		}
	}
}
