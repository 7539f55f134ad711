package daemon

import (
	"context"
	"slices"
	"time"

	"shibafu.dev/phase1-libcontainer/container"

	"shibafu.dev/phase7-runtime/api"
)

// Inspect returns everything known about one container.
func (d *Daemon) Inspect(ctx context.Context, idOrName string) (*api.Container, error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return nil, err
	}
	return d.view(ctx, rec), nil
}

// List returns the running containers, or with all every container,
// oldest first.
func (d *Daemon) List(ctx context.Context, all bool) ([]api.Container, error) {
	recs, err := d.db.list()
	if err != nil {
		return nil, err
	}
	out := []api.Container{}
	for _, rec := range recs {
		c := d.view(ctx, rec)
		if all || c.State.Status == api.StatusRunning {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b api.Container) int { return a.Created.Compare(b.Created) })
	return out, nil
}

// view joins a record with the container's live state (phase 1).
func (d *Daemon) view(ctx context.Context, rec *record) *api.Container {
	c := &api.Container{
		ID: rec.ID, Name: rec.Name, Image: rec.Image, Created: rec.Created,
		Config: rec.Config, Networks: []api.Endpoint{}, RestartCount: rec.RestartCount,
		State: api.State{Status: api.StatusCreated, StartedAt: rec.Started},
	}
	for _, ep := range rec.Endpoints {
		c.Networks = append(c.Networks, api.Endpoint{
			Network: ep.Network, Interface: ep.Interface, HostVeth: ep.HostVeth,
			IP:      ep.Address.Addr().String(),
			Gateway: ep.Gateway.String(), MAC: ep.MAC,
		})
	}
	// The ports of an exited container are given back; show none.
	for _, m := range rec.Ports {
		if rec.Released {
			break
		}
		p := api.Port{Proto: string(m.Proto), HostPort: m.HostPort, ContainerPort: m.ContainerPort}
		if m.HostIP.IsValid() {
			p.HostIP = m.HostIP.String()
		}
		c.Ports = append(c.Ports, p)
	}
	if sn, err := d.snapshots.Get(rec.ID); err == nil {
		c.Rootfs = sn.Mountpoint()
	}
	if files, err := d.containers.Logs(rec.ID); err == nil {
		c.LogPath = files.Stdout
	}
	c.State = d.state(ctx, rec)
	c.State.Health = d.healths.get(rec.ID)
	return c
}

// state maps the phase 1 status to the API's, with the exit status.
func (d *Daemon) state(ctx context.Context, rec *record) api.State {
	s := api.State{Status: api.StatusCreated, StartedAt: rec.Started}
	st, err := d.containers.State(rec.ID)
	if err != nil {
		if !rec.Started.IsZero() {
			s.Status = api.StatusExited
		}
		return s
	}
	switch st.Status {
	case container.Running:
		s.Status, s.Pid = api.StatusRunning, st.Pid
	case container.Paused:
		s.Status, s.Pid = api.StatusPaused, st.Pid
	case container.Stopped:
		s.Status = api.StatusExited
		if st.Exit == nil {
			st.Exit = d.exitOf(ctx, rec.ID)
		}
	}
	if st.Exit != nil {
		s.ExitCode, s.OOMKilled, s.FinishedAt = st.Exit.Code, st.Exit.OOMKilled, st.Exit.FinishedAt
	}
	return s
}

// exitWait bounds how long state waits for an exit status that is being
// recorded.
const exitWait = time.Second

// exitOf returns the exit status of a container that has just stopped:
// its monitor writes the status a moment after the container is gone,
// and Wait returns as soon as it is there. Nil if it never comes (the
// monitor died).
func (d *Daemon) exitOf(ctx context.Context, id string) *container.Exit {
	ctx, cancel := context.WithTimeout(ctx, exitWait)
	defer cancel()
	exit, err := d.containers.Wait(ctx, id)
	if err != nil {
		return nil
	}
	return &exit
}
