package daemon

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"syscall"

	"shibafu.dev/phase3-overlay/image"

	"shibafu.dev/phase7-runtime/api"
)

// DiskUsage tells what the images, containers and volumes take on
// disk, like `docker system df`.
func (d *Daemon) DiskUsage(ctx context.Context) (*api.DiskUsage, error) {
	all, err := d.List(ctx, true)
	if err != nil {
		return nil, err
	}
	var du api.DiskUsage
	if du.Images, err = d.imageUsage(all); err != nil {
		return nil, err
	}
	for _, c := range all {
		du.Containers.Total++
		size := diskUsage(d.upperOf(c.ID))
		du.Containers.Size += size
		if c.State.Status == api.StatusRunning || c.State.Status == api.StatusPaused {
			du.Containers.Active++
		} else {
			du.Containers.Reclaimable += size
		}
	}
	vols, err := d.Volumes()
	if err != nil {
		return nil, err
	}
	for _, v := range vols {
		du.Volumes.Total++
		size := diskUsage(v.Path)
		du.Volumes.Size += size
		if len(v.UsedBy) > 0 {
			du.Volumes.Active++
		} else {
			du.Volumes.Reclaimable += size
		}
	}
	return &du, nil
}

// imageUsage sums the blobs of the images, each counted once: an image
// is active if a container was made from it, and a blob reclaimable if
// only inactive images use it.
func (d *Daemon) imageUsage(containers []api.Container) (api.Usage, error) {
	imgs, err := d.images.List()
	if err != nil {
		return api.Usage{}, err
	}
	used := map[string]bool{}
	for _, c := range containers {
		used[c.Image] = true
	}
	var u api.Usage
	sizes := map[string]int64{} // by digest
	active := map[string]bool{}
	for _, img := range imgs {
		u.Total++
		inUse := used[img.Ref] || used[img.Descriptor.Digest.String()]
		if inUse {
			u.Active++
		}
		for _, b := range blobsOf(img) {
			sizes[b.Digest] = b.Size
			active[b.Digest] = active[b.Digest] || inUse
		}
	}
	for dg, size := range sizes {
		u.Size += size
		if !active[dg] {
			u.Reclaimable += size
		}
	}
	return u, nil
}

// blobBrief is one blob an image uses.
type blobBrief struct {
	Digest string
	Size   int64
}

// blobsOf lists the blobs of an image: its manifest, config and layers.
func blobsOf(img *image.Image) []blobBrief {
	out := []blobBrief{
		{img.Descriptor.Digest.String(), img.Descriptor.Size},
		{img.Manifest.Config.Digest.String(), img.Manifest.Config.Size},
	}
	for _, l := range img.Manifest.Layers {
		out = append(out, blobBrief{l.Digest.String(), l.Size})
	}
	return out
}

// upperOf is the writable layer of a container, "" if it has none.
func (d *Daemon) upperOf(id string) string {
	sn, err := d.snapshots.Get(id)
	if err != nil {
		return ""
	}
	return sn.Upper()
}

// diskUsage is what the tree at path takes on disk, in bytes, as `du
// -s` counts it: allocated blocks, a file with several links once.
func diskUsage(path string) int64 {
	if path == "" {
		return 0
	}
	var total int64
	seen := map[uint64]bool{}
	filepath.WalkDir(path, func(_ string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone meanwhile, or unreadable: not counted
		}
		info, err := e.Info()
		if err != nil {
			return nil
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		if !ok || seen[st.Ino] {
			return nil
		}
		if st.Nlink > 1 {
			seen[st.Ino] = true
		}
		total += st.Blocks * 512
		return nil
	})
	return total
}

// Prune removes what nothing uses, like `docker system prune`: the
// stopped containers (exited, or created and never started), the
// networks no container is on (not the default one), the unpacked
// layers and image blobs that no image nor container needs. Volumes and
// named images stay. A part that cannot be removed is skipped and the
// rest goes on; the errors come back joined with the report.
func (d *Daemon) Prune(ctx context.Context) (*api.PruneReport, error) {
	before := diskUsage(d.cfg.Root)
	report := &api.PruneReport{Containers: []string{}, Networks: []string{}}
	var errs []error

	all, err := d.List(ctx, true)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if c.State.Status != api.StatusExited && c.State.Status != api.StatusCreated {
			continue
		}
		if err := d.Remove(ctx, c.ID, false); err != nil {
			errs = append(errs, err)
			continue
		}
		report.Containers = append(report.Containers, c.ID)
	}

	nets, err := d.networks.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, n := range nets {
		eps, err := d.networks.Endpoints(ctx, n.Name)
		if err != nil || len(eps) > 0 || n.Name == d.cfg.Network {
			continue
		}
		if err := d.RemoveNetwork(ctx, n.Name); err != nil {
			errs = append(errs, err)
			continue
		}
		report.Networks = append(report.Networks, n.Name)
	}

	layers, inUse, err := d.snapshots.Prune(ctx)
	report.Layers = len(layers)
	if err != nil {
		errs = append(errs, err)
	} else {
		blobs, err := d.images.GC(ctx, inUse...)
		report.Blobs = len(blobs)
		errs = append(errs, err)
	}
	report.SpaceReclaimed = max(0, before-diskUsage(d.cfg.Root))
	d.log.Info("pruned", "containers", len(report.Containers), "networks",
		len(report.Networks), "blobs", report.Blobs, "layers", report.Layers,
		"reclaimed", report.SpaceReclaimed)
	return report, errors.Join(errs...)
}
