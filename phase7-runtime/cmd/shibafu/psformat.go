package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"shibafu.dev/phase7-runtime/api"
)

// psItem is what a `ps --format` template sees: the API's Container,
// with its fields (.ID, .Name, .Image, .State.Status, .Config...), plus
// the names docker's templates use where they differ: .Names, .Status,
// .Command, .CreatedAt, .RunningFor, .Labels and .Label "KEY". .State,
// .Ports and .Networks print as docker prints them ("running",
// "0.0.0.0:8080->80/tcp", "net1,net2") while their fields stay
// reachable, as in {{.State.Status}} or {{range .Ports}}.
type psItem struct {
	api.Container
	State    psState
	Ports    psPorts
	Networks psNetworks
}

// psState is api.State, printed as its status.
type psState api.State

func (s psState) String() string { return s.Status }

// psPorts are the published ports, printed as docker lists them.
type psPorts []api.Port

func (p psPorts) String() string { return ports(p) }

// psNetworks are the container's endpoints, printed as their networks'
// names.
type psNetworks []api.Endpoint

func (n psNetworks) String() string {
	var names []string
	for _, ep := range n {
		names = append(names, ep.Network)
	}
	return strings.Join(names, ",")
}

// newPsItems wraps each container for a template.
func newPsItems(list []api.Container) []psItem {
	out := make([]psItem, 0, len(list))
	for _, c := range list {
		out = append(out, psItem{Container: c, State: psState(c.State), Ports: c.Ports,
			Networks: c.Networks})
	}
	return out
}

// Names is the container's name, docker's .Names.
func (c psItem) Names() string { return c.Name }

// Status reads like docker's STATUS column, such as "Up 3s (healthy)".
func (c psItem) Status() string { return status(c.Container.State) }

// Command is the container's command, quoted as the table shows it.
func (c psItem) Command() string { return fmt.Sprintf("%q", strings.Join(c.Config.Cmd, " ")) }

// CreatedAt is when the container was made.
func (c psItem) CreatedAt() string { return c.Created.Local().Format(time.DateTime) }

// RunningFor is how long ago the container was made, such as "2m3s ago".
func (c psItem) RunningFor() string { return since(c.Created) + " ago" }

// Labels lists the labels as KEY=value pairs separated by commas.
func (c psItem) Labels() string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(c.Config.Labels)) {
		out = append(out, k+"="+c.Config.Labels[k])
	}
	return strings.Join(out, ",")
}

// Label is the value of one label, empty if the container has none.
func (c psItem) Label(key string) string { return c.Config.Labels[key] }

// eventItem is what an `events --format` template sees: the API's
// Event plus docker's .Status (the action) and .Actor (the ID, and the
// name among the attributes).
type eventItem struct {
	api.Event
}

// eventActor is docker's Actor of an event.
type eventActor struct {
	ID         string
	Attributes map[string]string
}

// Status is the action, docker's older name for it.
func (e eventItem) Status() string { return e.Action }

// Actor is the container the event is about.
func (e eventItem) Actor() eventActor {
	attrs := map[string]string{"name": e.Name}
	maps.Copy(attrs, e.Attributes)
	return eventActor{ID: e.ID, Attributes: attrs}
}
