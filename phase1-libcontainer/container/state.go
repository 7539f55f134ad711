package container

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/opencontainers/runc/libcontainer"

	"shibafu.dev/phase0-runc/bundle"
)

// Status is where a container is in its life.
type Status string

// The statuses of a container, as the OCI runtime spec names them.
const (
	// Creating: its directory exists but its init is not set up yet.
	Creating Status = "creating"
	// Created: its init waits, in its namespaces, for Start.
	Created Status = "created"
	// Running: its process runs.
	Running Status = "running"
	// Paused: its processes are frozen.
	Paused Status = "paused"
	// Stopped: its process has exited; only the record is left.
	Stopped Status = "stopped"
)

// State describes one container.
type State struct {
	// ID is the container's ID.
	ID string `json:"id"`
	// Status is where the container is in its life.
	Status Status `json:"status"`
	// Pid is the host PID of the container's init; 0 unless created,
	// running or paused.
	Pid int `json:"pid,omitempty"`
	// Bundle is the container's directory, with its config.json.
	Bundle string `json:"bundle"`
	// Rootfs is the container's root filesystem.
	Rootfs string `json:"rootfs"`
	// Command is the container's process and its arguments.
	Command []string `json:"command"`
	// Created is when the container was created.
	Created time.Time `json:"created"`
	// Exit is how the container ended, once it has stopped and the exit
	// was recorded.
	Exit *Exit `json:"exit,omitempty"`
}

// State returns the state of the container id, like `runc state`.
func (m *Manager) State(id string) (State, error) {
	dir, err := m.existing(id)
	if err != nil {
		return State{}, err
	}
	st := State{ID: id, Bundle: dir, Status: Creating}
	info, err := os.Stat(filepath.Join(dir, bundle.ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	spec, err := readSpec(dir)
	if err != nil {
		return State{}, fmt.Errorf("state %s: %w", id, err)
	}
	st.Rootfs, st.Command, st.Created = spec.Root.Path, spec.Process.Args, info.ModTime().UTC()

	status, pid, err := m.liveStatus(id)
	if err != nil {
		return State{}, fmt.Errorf("state %s: %w", id, err)
	}
	st.Status, st.Pid = status, pid
	if status == Stopped {
		st.Exit, _ = readExit(dir)
	}
	return st, nil
}

// liveStatus asks libcontainer about the container. Once its monitor has
// destroyed the libcontainer side, the container is stopped.
func (m *Manager) liveStatus(id string) (Status, int, error) {
	c, err := libcontainer.Load(m.lcRoot(), id)
	if errors.Is(err, libcontainer.ErrNotExist) {
		return Stopped, 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	status, err := c.Status()
	if err != nil {
		return "", 0, err
	}
	if status == libcontainer.Stopped {
		return Stopped, 0, nil
	}
	lcState, err := c.State()
	if err != nil {
		return "", 0, err
	}
	return Status(status.String()), lcState.InitProcessPid, nil
}

// List returns the state of every container, oldest first, like
// `runc list`.
func (m *Manager) List() ([]State, error) {
	entries, err := os.ReadDir(filepath.Join(m.root(), "containers"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	var states []State
	for _, e := range entries {
		st, err := m.State(e.Name())
		if errors.Is(err, ErrNotFound) || errors.Is(err, bundle.ErrInvalidID) {
			continue // deleted meanwhile, or not ours
		}
		if err != nil {
			return nil, err
		}
		states = append(states, st)
	}
	sort.Slice(states, func(i, j int) bool { return states[i].Created.Before(states[j].Created) })
	return states, nil
}
