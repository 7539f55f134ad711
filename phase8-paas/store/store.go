// Package store keeps the PaaS's state in one bbolt file under the state
// root: each app, its numbered releases and the versions of its config.
// Every change is one bbolt transaction, written to disk before it
// returns, so a crash loses nothing that was acknowledged.
//
// The layout, one nested bucket per app:
//
//	apps/NAME/app                the App record (JSON)
//	apps/NAME/releases/N         release N (JSON), N as 8 big-endian bytes
//	apps/NAME/configs/N          config version N (JSON), secrets sealed
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"shibafu.dev/phase8-paas/api"
)

var (
	bucketApps     = []byte("apps")
	bucketReleases = []byte("releases")
	bucketConfigs  = []byte("configs")
	keyApp         = []byte("app")
)

// App is what the store keeps of an app.
type App struct {
	Name    string          `json:"name"`
	Created time.Time       `json:"created"`
	Health  api.HealthCheck `json:"health"`
	Domains []string        `json:"domains,omitempty"`
	// TLS holds its HTTPS options (redirect, HSTS).
	TLS api.TLSSettings `json:"tls,omitzero"`
	// Release is the release that serves, 0 before the first deploy.
	Release int `json:"release"`
	// Generation is the release whose rollout started the replicas that
	// run: a scale makes a release of its own but keeps the replicas.
	Generation int `json:"generation"`
	// LastRelease is the highest release number given out.
	LastRelease int `json:"lastRelease"`
	// Formation is how many replicas of each process type it should run.
	Formation map[string]int `json:"formation"`
	// ConfigVersion is its newest config version, 0 for none.
	ConfigVersion int `json:"configVersion"`
	// BuildCache names, by release, the build-cache images each deploy's
	// build used, so that older cache entries can be deleted.
	BuildCache map[int][]string `json:"buildCache,omitempty"`
	// Autoscale holds the autoscalers of its process types, by type.
	Autoscale map[string]api.Autoscale `json:"autoscale,omitempty"`
}

// Config is one version of an app's config vars and secrets. Secrets
// are sealed (package secrets); the store never sees them in clear.
type Config struct {
	Vars    map[string]string `json:"vars"`
	Secrets map[string][]byte `json:"secrets"`
}

// Store is an open state file.
type Store struct {
	db *bolt.DB
}

// Open opens (or makes) the state file at path. Only one process may
// have it open; a second waits up to a few seconds, then fails.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 3 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w (is another shibafu-paas serving this root?)",
			path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketApps)
		return err
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// CreateApp records a new app.
func (s *Store) CreateApp(app App) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		apps := tx.Bucket(bucketApps)
		if apps.Bucket([]byte(app.Name)) != nil {
			return api.WithCategory(api.ErrConflict, fmt.Errorf("app %s exists", app.Name))
		}
		b, err := apps.CreateBucket([]byte(app.Name))
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketReleases, bucketConfigs} {
			if _, err := b.CreateBucket(name); err != nil {
				return err
			}
		}
		return put(b, keyApp, app)
	})
}

// App returns the app called name.
func (s *Store) App(name string) (App, error) {
	var app App
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := appBucket(tx, name)
		if err != nil {
			return err
		}
		return get(b, keyApp, &app)
	})
	return app, err
}

// Apps returns every app, by name.
func (s *Store) Apps() ([]App, error) {
	var apps []App
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketApps).ForEachBucket(func(name []byte) error {
			var app App
			if err := get(tx.Bucket(bucketApps).Bucket(name), keyApp, &app); err != nil {
				return err
			}
			apps = append(apps, app)
			return nil
		})
	})
	return apps, err
}

// UpdateApp changes the app called name with change, in one transaction;
// if change fails, nothing is written.
func (s *Store) UpdateApp(name string, change func(*App) error) (App, error) {
	var app App
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := appBucket(tx, name)
		if err != nil {
			return err
		}
		if err := get(b, keyApp, &app); err != nil {
			return err
		}
		if err := change(&app); err != nil {
			return err
		}
		return put(b, keyApp, app)
	})
	return app, err
}

// DeleteApp forgets an app, its releases and its config.
func (s *Store) DeleteApp(name string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if _, err := appBucket(tx, name); err != nil {
			return err
		}
		return tx.Bucket(bucketApps).DeleteBucket([]byte(name))
	})
}

// NewRelease gives rel the app's next release number and records it,
// in one transaction with change, which may update the app as well
// (its formation or config version, say).
func (s *Store) NewRelease(name string, rel api.Release, change func(*App) error) (
	api.Release, error) {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := appBucket(tx, name)
		if err != nil {
			return err
		}
		var app App
		if err := get(b, keyApp, &app); err != nil {
			return err
		}
		if change != nil {
			if err := change(&app); err != nil {
				return err
			}
		}
		app.LastRelease++
		rel.App, rel.Number = name, app.LastRelease
		if err := put(b.Bucket(bucketReleases), itob(rel.Number), rel); err != nil {
			return err
		}
		return put(b, keyApp, app)
	})
	return rel, err
}

// UpdateRelease changes release n of an app. If the release succeeded,
// in the same transaction the app's serving release becomes n, and
// unless it is a scale, so does its generation.
func (s *Store) UpdateRelease(name string, n int, change func(*api.Release)) (
	api.Release, error) {
	var rel api.Release
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := appBucket(tx, name)
		if err != nil {
			return err
		}
		if err := getRelease(b, n, &rel); err != nil {
			return err
		}
		change(&rel)
		if err := put(b.Bucket(bucketReleases), itob(n), rel); err != nil {
			return err
		}
		if rel.Status != api.StatusSucceeded {
			return nil
		}
		var app App
		if err := get(b, keyApp, &app); err != nil {
			return err
		}
		app.Release = n
		if rel.Kind != api.KindScale {
			app.Generation = n
		}
		return put(b, keyApp, app)
	})
	return rel, err
}

// Release returns release n of an app.
func (s *Store) Release(name string, n int) (api.Release, error) {
	var rel api.Release
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := appBucket(tx, name)
		if err != nil {
			return err
		}
		return getRelease(b, n, &rel)
	})
	return rel, err
}

// Releases returns an app's releases, newest first.
func (s *Store) Releases(name string) ([]api.Release, error) {
	var rels []api.Release
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := appBucket(tx, name)
		if err != nil {
			return err
		}
		c := b.Bucket(bucketReleases).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var rel api.Release
			if err := json.Unmarshal(v, &rel); err != nil {
				return fmt.Errorf("release %d of %s: %w", btoi(k), name, err)
			}
			rels = append(rels, rel)
		}
		return nil
	})
	return rels, err
}

// Config returns version n of an app's config; version 0 is empty.
func (s *Store) Config(name string, n int) (Config, error) {
	cfg := Config{Vars: map[string]string{}, Secrets: map[string][]byte{}}
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := appBucket(tx, name)
		if err != nil || n == 0 {
			return err
		}
		v := b.Bucket(bucketConfigs).Get(itob(n))
		if v == nil {
			return api.WithCategory(api.ErrNotFound,
				fmt.Errorf("app %s has no config version %d", name, n))
		}
		return json.Unmarshal(v, &cfg)
	})
	return cfg, err
}

// NewConfig records cfg as the app's next config version and returns
// its number.
func (s *Store) NewConfig(name string, cfg Config) (int, error) {
	var n int
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := appBucket(tx, name)
		if err != nil {
			return err
		}
		var app App
		if err := get(b, keyApp, &app); err != nil {
			return err
		}
		app.ConfigVersion++
		n = app.ConfigVersion
		if err := put(b.Bucket(bucketConfigs), itob(n), cfg); err != nil {
			return err
		}
		return put(b, keyApp, app)
	})
	return n, err
}

func appBucket(tx *bolt.Tx, name string) (*bolt.Bucket, error) {
	b := tx.Bucket(bucketApps).Bucket([]byte(name))
	if b == nil {
		return nil, api.WithCategory(api.ErrNotFound, fmt.Errorf("no app %s", name))
	}
	return b, nil
}

func getRelease(b *bolt.Bucket, n int, rel *api.Release) error {
	v := b.Bucket(bucketReleases).Get(itob(n))
	if v == nil {
		return api.WithCategory(api.ErrNotFound, fmt.Errorf("no release v%d", n))
	}
	return json.Unmarshal(v, rel)
}

func get(b *bolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return errors.New("store: record missing")
	}
	return json.Unmarshal(data, v)
}

func put(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// itob and btoi write release and config numbers as big-endian keys, so
// that bbolt's byte order is their numeric order.
func itob(n int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }
func btoi(b []byte) int { return int(binary.BigEndian.Uint64(b)) }
