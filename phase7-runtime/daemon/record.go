package daemon

import (
	"fmt"
	"regexp"
	"time"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase4-ports/portmap"

	"shibafu.dev/phase7-runtime/api"
)

// record is what the daemon keeps about one container in its database:
// the request it came from and everything set up for it, so that a
// restarted daemon can undo it all.
type record struct {
	ID      string         `json:"id"`
	Name    string         `json:"name"`
	Image   string         `json:"image"`
	Created time.Time      `json:"created"`
	Config  api.RunRequest `json:"config"`
	// Endpoints are its network attachments, eth0 first.
	Endpoints []network.Endpoint `json:"endpoints,omitempty"`
	// Ports are its published ports.
	Ports []portmap.Mapping `json:"ports,omitempty"`
	// Started is when it was started; zero until it is.
	Started time.Time `json:"started,omitzero"`
	// RestartCount counts the restarts done by its restart policy.
	RestartCount int `json:"restartCount,omitempty"`
	// UserStopped tells that it was stopped by a user, whose word
	// outranks its restart policy.
	UserStopped bool `json:"userStopped,omitempty"`
	// Prepared tells that it was made by Create and waits for Start.
	Prepared bool `json:"prepared,omitempty"`
	// Released tells that its ports, names and addresses were given
	// back after it exited.
	Released bool `json:"released,omitempty"`
}

// networks returns the names of the networks the record joins.
func (r *record) networks() []string {
	var names []string
	for _, ep := range r.Endpoints {
		names = append(names, ep.Network)
	}
	return names
}

// label is the grammar of container and network names: a DNS label of
// lower-case letters, digits and '-' (RFC 1123), because a container
// answers to its name in DNS on each of its networks.
var label = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// checkName reports whether name can name a container or network.
func checkName(what, name string) error {
	if !label.MatchString(name) {
		return invalid(fmt.Errorf("%s name %q: use 1 to 63 lower-case letters, digits or '-',"+
			" not starting or ending with '-'", what, name))
	}
	return nil
}
