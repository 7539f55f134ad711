package api

import "time"

// EventContainer is the Type of the events about a container.
const EventContainer = "container"

// Event is one change in a container's life, a line of the stream of
// GET /v1/events.
type Event struct {
	Time time.Time `json:"time"`
	// Type is what the event is about; so far always EventContainer
	// (empty in the events of older daemons).
	Type string `json:"type,omitempty"`
	// Action is what happened: create, start, die, stop, restart,
	// rename, health_status or destroy.
	Action string `json:"action"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	// Attributes add details: exitCode for die, health for
	// health_status, oldName for rename.
	Attributes map[string]string `json:"attributes,omitempty"`
}
