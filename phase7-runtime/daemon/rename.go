package daemon

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Rename gives a container a new name, like `docker rename`: in the
// database and in DNS on each of its networks. Its host name stays.
func (d *Daemon) Rename(ctx context.Context, idOrName, name string) error {
	if err := checkName("container", name); err != nil {
		return err
	}
	rec, err := d.db.get(idOrName)
	if err != nil {
		return err
	}
	unlock := d.lock(rec.ID)
	defer unlock()
	if rec, err = d.db.get(rec.ID); err != nil {
		return err
	}
	old := rec.Name
	if name == old {
		return nil
	}

	if err := d.db.rename(rec, name); err != nil {
		return err
	}
	if !rec.Released {
		if err := d.names.unregister(old, rec.networks()); err != nil {
			return err
		}
		if err := d.names.register(name, aliasesOf(rec.Config), rec.Endpoints); err != nil {
			return err
		}
	}
	d.log.Info("container renamed", "id", rec.ID, "from", old, "to", name)
	d.emit("rename", rec, "oldName", old)
	return nil
}

// rename moves a container to a new name in one transaction: the new
// name is claimed, the old one freed, and the record saved together.
func (s *store) rename(r *record, name string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		names := tx.Bucket(namesBucket)
		if id := names.Get([]byte(name)); id != nil {
			return conflict(fmt.Errorf("name %q is already in use by container %s", name, id))
		}
		if err := names.Delete([]byte(r.Name)); err != nil {
			return err
		}
		if err := names.Put([]byte(name), []byte(r.ID)); err != nil {
			return err
		}
		r.Name = name
		return putRecord(tx, r)
	})
}
