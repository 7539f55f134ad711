// Package events keeps each app's feed of events: releases that start
// and end, scales, the autoscaler's decisions with their reasons, and
// replicas that crash or change health. The last events of each app
// stay in memory in a bounded ring, which the API and the dashboard
// read; every event also goes to a JSON-lines file per app under
// ROOT/events, rotated by size, which fills the ring again after a
// restart of the PaaS.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/logs"
)

// Defaults of a Feed's zero fields.
const (
	DefaultKeep     = 200
	DefaultFileSize = 1 << 20
)

// Feed is the apps' events. Set the fields, then use it from any
// goroutine.
type Feed struct {
	// Dir holds a directory of files per app.
	Dir string
	// Keep is how many events of each app stay in memory; 0 means
	// DefaultKeep.
	Keep int
	// FileSize bounds each of an app's two files; 0 means
	// DefaultFileSize.
	FileSize int64

	mu     sync.Mutex
	apps   map[string]*feed
	closed chan struct{} // closed by Close, to end the followers
}

// feed is one app's ring, file and followers.
type feed struct {
	ring []api.AppEvent
	file logs.File
	subs map[chan api.AppEvent]struct{}
}

// app returns an app's feed, loading its ring from its files the first
// time. Callers hold f.mu.
func (f *Feed) app(name string) *feed {
	if f.apps == nil {
		f.apps = map[string]*feed{}
		f.closed = make(chan struct{})
	}
	a, ok := f.apps[name]
	if ok {
		return a
	}
	size := f.FileSize
	if size <= 0 {
		size = DefaultFileSize
	}
	a = &feed{subs: map[chan api.AppEvent]struct{}{},
		file: logs.File{Dir: filepath.Join(f.Dir, name), MaxSize: size, Keep: 1}}
	logs.Scan(a.file.Paths(), func(ev api.AppEvent) { a.ring = f.push(a.ring, ev) })
	f.apps[name] = a
	return a
}

// push appends ev to ring, dropping the oldest past Keep.
func (f *Feed) push(ring []api.AppEvent, ev api.AppEvent) []api.AppEvent {
	keep := f.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	ring = append(ring, ev)
	if len(ring) > keep {
		ring = append(ring[:0], ring[len(ring)-keep:]...)
	}
	return ring
}

// Add records an event and sends it to the app's followers. An event
// of an invalid app name is dropped.
func (f *Feed) Add(ev api.AppEvent) {
	if api.ValidateAppName(ev.App) != nil {
		return
	}
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	ev.Time = ev.Time.UTC()
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.app(ev.App)
	a.ring = f.push(a.ring, ev)
	if data, err := json.Marshal(ev); err == nil {
		a.file.Write(append(data, '\n'))
	}
	for ch := range a.subs {
		select {
		case ch <- ev:
		default: // a slow follower misses it
		}
	}
}

// Recent returns an app's events in memory, oldest first.
func (f *Feed) Recent(app string) ([]api.AppEvent, error) {
	if err := api.ValidateAppName(app); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]api.AppEvent{}, f.app(app).ring...), nil
}

// Follow calls fn with an app's events in memory, then with each new
// one, until ctx ends.
func (f *Feed) Follow(ctx context.Context, app string, fn func(api.AppEvent)) error {
	if err := api.ValidateAppName(app); err != nil {
		return err
	}
	ch := make(chan api.AppEvent, 64)
	f.mu.Lock()
	a := f.app(app)
	recent := append([]api.AppEvent{}, a.ring...)
	a.subs[ch] = struct{}{}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(a.subs, ch)
		f.mu.Unlock()
	}()
	for _, ev := range recent {
		fn(ev)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-f.closed:
			return nil
		case ev := <-ch:
			fn(ev)
		}
	}
}

// Remove deletes an app's events, when the app is destroyed.
func (f *Feed) Remove(app string) error {
	if api.ValidateAppName(app) != nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.app(app)
	a.file.Close()
	delete(f.apps, app)
	if err := os.RemoveAll(a.file.Dir); err != nil {
		return fmt.Errorf("remove the events of %s: %w", app, err)
	}
	return nil
}

// Close ends the followers and closes the apps' files.
func (f *Feed) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed != nil {
		select {
		case <-f.closed:
		default:
			close(f.closed)
		}
	}
	for _, a := range f.apps {
		a.file.Close()
	}
}
