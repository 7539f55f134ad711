package daemon

import (
	"context"
	"os"

	"shibafu.dev/phase7-runtime/api"
)

// Info describes the daemon and counts what it manages.
func (d *Daemon) Info(ctx context.Context) (*api.Info, error) {
	all, err := d.List(ctx, true)
	if err != nil {
		return nil, err
	}
	imgs, err := d.images.List()
	if err != nil {
		return nil, err
	}
	nets, err := d.networks.List(ctx)
	if err != nil {
		return nil, err
	}
	info := &api.Info{
		Version: Version, Root: d.cfg.Root, DefaultNetwork: d.cfg.Network,
		ChainPrefix: d.cfg.ChainPrefix, Containers: len(all), Images: len(imgs),
		Networks: len(nets), Pid: os.Getpid(),
	}
	for _, c := range all {
		if c.State.Status == api.StatusRunning {
			info.ContainersRunning++
		}
	}
	return info, nil
}
