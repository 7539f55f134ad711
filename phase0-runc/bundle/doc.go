// Package bundle writes and reads OCI bundles, the unit a container
// runtime runs: a directory with a root filesystem and a config.json that
// says which process to start in it and how to isolate it (namespaces,
// mounts, capabilities, cgroup limits).
//
// The configuration is built with the Go types of the OCI runtime
// specification (github.com/opencontainers/runtime-spec), so what this
// package writes is exactly what runc, crun or any other OCI runtime
// reads. Later phases reuse Spec to describe every container they start.
package bundle
