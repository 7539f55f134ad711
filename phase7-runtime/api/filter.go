package api

import (
	"fmt"
	"slices"
	"strings"
)

// Filters select containers or events, as `docker ps --filter` and
// `docker events --filter` do: each key maps to the values given for
// it. An item matches when, for every key, it matches one of the key's
// values (AND between keys, OR within one). They travel as repeated
// query parameters, ?filter=KEY=VALUE.
type Filters map[string][]string

// The keys of container filters (GET /v1/containers):
//
//	id=PREFIX         the ID starts with PREFIX
//	name=PART         the name contains PART
//	label=KEY         the container has label KEY
//	label=KEY=VALUE   ... with that value
//	status=STATUS     created, running, paused or exited
//	health=STATUS     starting, healthy, unhealthy or none (no check)
//	ancestor=IMAGE    it was made from image IMAGE
//	network=NAME      it is on network NAME
var containerFilterKeys = []string{"id", "name", "label", "status", "health", "ancestor",
	"network"}

// The keys of event filters (GET /v1/events):
//
//	container=ID|NAME  the event is about that container
//	type=TYPE          the event is of that type (container)
//	event=ACTION       the event's action, such as start or die
var eventFilterKeys = []string{"container", "type", "event"}

// ParseContainerFilters reads KEY=VALUE arguments of `ps --filter`.
func ParseContainerFilters(args []string) (Filters, error) {
	f, err := parseFilters(args, containerFilterKeys)
	if err != nil {
		return nil, err
	}
	for _, v := range f["status"] {
		if !slices.Contains([]string{StatusCreated, StatusRunning, StatusPaused,
			StatusExited}, v) {
			return nil, fmt.Errorf("filter status=%s: want created, running, paused or"+
				" exited", v)
		}
	}
	for _, v := range f["health"] {
		if !slices.Contains([]string{HealthStarting, HealthHealthy, HealthUnhealthy,
			"none"}, v) {
			return nil, fmt.Errorf("filter health=%s: want starting, healthy, unhealthy"+
				" or none", v)
		}
	}
	return f, nil
}

// ParseEventFilters reads KEY=VALUE arguments of `events --filter`.
func ParseEventFilters(args []string) (Filters, error) {
	return parseFilters(args, eventFilterKeys)
}

// parseFilters reads KEY=VALUE arguments whose keys are among keys.
func parseFilters(args, keys []string) (Filters, error) {
	f := Filters{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || v == "" {
			return nil, fmt.Errorf("filter %q: want KEY=VALUE", a)
		}
		if !slices.Contains(keys, k) {
			return nil, fmt.Errorf("filter %q: unknown key %s (known: %s)", a, k,
				strings.Join(keys, ", "))
		}
		f[k] = append(f[k], v)
	}
	return f, nil
}

// Args returns the filters as KEY=VALUE arguments, sorted.
func (f Filters) Args() []string {
	var out []string
	for k, vs := range f {
		for _, v := range vs {
			out = append(out, k+"="+v)
		}
	}
	slices.Sort(out)
	return out
}

// MatchContainer reports whether c passes the filters.
func (f Filters) MatchContainer(c Container) bool {
	return f.match(func(key, v string) bool {
		switch key {
		case "id":
			return strings.HasPrefix(c.ID, v)
		case "name":
			return strings.Contains(c.Name, v)
		case "label":
			return hasLabel(c.Config.Labels, v)
		case "status":
			return c.State.Status == v
		case "health":
			if c.State.Health == nil {
				return v == "none"
			}
			return c.State.Health.Status == v
		case "ancestor":
			return c.Image == v
		case "network":
			return slices.ContainsFunc(c.Networks, func(ep Endpoint) bool {
				return ep.Network == v
			})
		}
		return false
	})
}

// MatchEvent reports whether ev passes the filters.
func (f Filters) MatchEvent(ev Event) bool {
	return f.match(func(key, v string) bool {
		switch key {
		case "container":
			return ev.ID == v || ev.Name == v || strings.HasPrefix(ev.ID, v)
		case "type":
			return ev.Type == v || ev.Type == "" && v == EventContainer
		case "event":
			return ev.Action == v
		}
		return false
	})
}

// match reports whether every key has a value that is accepts.
func (f Filters) match(is func(key, value string) bool) bool {
	for k, vs := range f {
		if !slices.ContainsFunc(vs, func(v string) bool { return is(k, v) }) {
			return false
		}
	}
	return true
}

// hasLabel matches a label filter, KEY or KEY=VALUE.
func hasLabel(labels map[string]string, filter string) bool {
	k, v, withValue := strings.Cut(filter, "=")
	got, ok := labels[k]
	return ok && (!withValue || got == v)
}
