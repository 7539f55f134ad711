package daemon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The buckets of the database.
var (
	containersBucket = []byte("containers") // ID -> record as JSON
	namesBucket      = []byte("names")      // name -> ID
	healthBucket     = []byte("health")     // ID -> healthState as JSON
)

// store keeps the containers' records in a bbolt database, the embedded
// key-value store containerd uses: one file, transactions that are all
// or nothing, and an flock(2) that keeps a second daemon off the root.
type store struct {
	db *bolt.DB
}

// openStore opens (or creates) the database at path. It fails at once
// if another process holds it.
func openStore(path string) (*store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: another shibafud is using this state root", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{containersBucket, namesBucket, healthBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &store{db: db}, nil
}

func (s *store) close() error { return s.db.Close() }

// create records a new container, claiming its name in the same
// transaction, so that of two runs with one name exactly one wins.
func (s *store) create(r *record) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		names := tx.Bucket(namesBucket)
		if id := names.Get([]byte(r.Name)); id != nil {
			return conflict(fmt.Errorf("name %q is already in use by container %s:"+
				" remove it or choose another --name", r.Name, id))
		}
		if err := names.Put([]byte(r.Name), []byte(r.ID)); err != nil {
			return err
		}
		return putRecord(tx, r)
	})
}

// put saves a changed record.
func (s *store) put(r *record) error {
	return s.db.Update(func(tx *bolt.Tx) error { return putRecord(tx, r) })
}

func putRecord(tx *bolt.Tx, r *record) error {
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode record %s: %w", r.ID, err)
	}
	return tx.Bucket(containersBucket).Put([]byte(r.ID), data)
}

// delete forgets a container and its health, and frees its name.
func (s *store) delete(r *record) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(namesBucket).Delete([]byte(r.Name)); err != nil {
			return err
		}
		if err := tx.Bucket(healthBucket).Delete([]byte(r.ID)); err != nil {
			return err
		}
		return tx.Bucket(containersBucket).Delete([]byte(r.ID))
	})
}

// get finds a container by name, ID, or a prefix of its ID that no
// other ID shares (as docker accepts "3f2a" for 3f2a1b0c9d8e).
func (s *store) get(idOrName string) (*record, error) {
	var r *record
	err := s.db.View(func(tx *bolt.Tx) error {
		key := []byte(idOrName)
		if byName := tx.Bucket(namesBucket).Get(key); byName != nil {
			key = byName
		}
		data := tx.Bucket(containersBucket).Get(key)
		if data == nil && idOrName != "" {
			var err error
			if data, err = byPrefix(tx, key); err != nil {
				return err
			}
		}
		if data == nil {
			return notFound(fmt.Errorf("no such container: %s", idOrName))
		}
		r = new(record)
		return json.Unmarshal(data, r)
	})
	return r, err
}

// byPrefix returns the record of the one container whose ID starts with
// prefix, nil if none does; bolt keeps keys sorted, so the candidates
// are next to each other.
func byPrefix(tx *bolt.Tx, prefix []byte) ([]byte, error) {
	c := tx.Bucket(containersBucket).Cursor()
	k, data := c.Seek(prefix)
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return nil, nil
	}
	if next, _ := c.Next(); next != nil && bytes.HasPrefix(next, prefix) {
		return nil, invalid(fmt.Errorf("container ID prefix %s names more than one"+
			" container: give more of it", prefix))
	}
	return data, nil
}

// list returns every record, in ID order.
func (s *store) list() ([]*record, error) {
	var out []*record
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(containersBucket).ForEach(func(_, data []byte) error {
			r := new(record)
			if err := json.Unmarshal(data, r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// putHealth saves the health of a container's run.
func (s *store) putHealth(id string, st *healthState) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode health of %s: %w", id, err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(healthBucket).Put([]byte(id), data)
	})
}

// health returns the saved health of a container, nil if none is.
func (s *store) health(id string) (*healthState, error) {
	var st *healthState
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(healthBucket).Get([]byte(id))
		if data == nil {
			return nil
		}
		st = new(healthState)
		return json.Unmarshal(data, st)
	})
	return st, err
}
