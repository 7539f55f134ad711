package api

import "time"

// Event is one change in a container's life, a line of the stream of
// GET /v1/events.
type Event struct {
	Time time.Time `json:"time"`
	// Action is what happened: create, start, die, stop, restart,
	// rename, health_status or destroy.
	Action string `json:"action"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	// Attributes add details: exitCode for die, health for
	// health_status, oldName for rename.
	Attributes map[string]string `json:"attributes,omitempty"`
}
