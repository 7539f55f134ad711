// Package server serves the API of package api over HTTP for a
// daemon.Daemon: one handler file per resource (containers, images,
// networks, system), JSON in and out, output streamed as JSON Lines
// (of api.Frame, api.Stats, api.Event or api.Progress), the
// containers' metrics in the Prometheus text format (metrics.go), and
// every error answered with the HTTP status of its category, chosen in
// one place (writeError). Listen opens the unix socket the daemon
// serves on, readable and writable by root alone; TLSConfig is the
// configuration of the optional TCP listener, which wants client
// certificates. An exec with stdin takes its connection over from
// net/http after a 101 answer (exec.go).
package server
