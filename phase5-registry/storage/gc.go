package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/opencontainers/go-digest"

	"shibafu.dev/phase5-registry/manifest"
)

// GCOptions tune a garbage collection.
type GCOptions struct {
	// Grace spares blobs and uploads changed less than Grace ago, so
	// that a collection running beside a server does not take content
	// that a push in progress has sent but not yet named in a manifest.
	// Zero collects everything unreferenced (right for an idle store).
	Grace time.Duration
	// DryRun reports what would go, and removes nothing.
	DryRun bool
}

// GCReport says what a collection found.
type GCReport struct {
	// Kept is the number of blobs some manifest needs.
	Kept int
	// Removed lists the blobs deleted (or, for a dry run, to delete).
	Removed []digest.Digest
	// Uploads is the number of stale uploads deleted.
	Uploads int
}

// GC deletes the blobs that no manifest of any repository needs, and
// uploads left unfinished for longer than the grace period. It marks
// every manifest of every repository and what it points to, then sweeps
// the rest, holding the store's lock exclusively so that no manifest is
// pushed half-way through.
func (s *Store) GC(ctx context.Context, opts GCOptions) (GCReport, error) {
	var report GCReport
	unlock, err := s.gcLock(true)
	if err != nil {
		return report, err
	}
	defer unlock()

	live, err := s.mark(ctx)
	if err != nil {
		return report, err
	}
	report.Kept = len(live)
	cutoff := time.Now().Add(-opts.Grace)
	if report.Removed, err = s.sweepBlobs(live, cutoff, opts.DryRun); err != nil {
		return report, err
	}
	if report.Uploads, err = s.sweepUploads(cutoff, opts.DryRun); err != nil {
		return report, err
	}
	return report, nil
}

// mark returns every digest that a manifest of some repository is or
// points to.
func (s *Store) mark(ctx context.Context) (map[digest.Digest]bool, error) {
	repos, err := s.Repositories()
	if err != nil {
		return nil, fmt.Errorf("gc: %w", err)
	}
	live := map[digest.Digest]bool{}
	for _, repo := range repos {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		revs, err := s.revisions(repo)
		if err != nil {
			return nil, err
		}
		for _, d := range revs {
			mediaType, body, err := s.GetManifest(repo, d)
			if err != nil {
				return nil, fmt.Errorf("gc: %s: %w", repo, err)
			}
			live[d] = true
			m, err := manifest.Parse(mediaType, body)
			if err != nil {
				return nil, fmt.Errorf("gc: %s@%s: %w", repo, d, err)
			}
			for _, ref := range m.References() {
				live[ref] = true
			}
		}
	}
	return live, nil
}

// revisions lists the manifests of repository name.
func (s *Store) revisions(name string) ([]digest.Digest, error) {
	var out []digest.Digest
	for _, alg := range []digest.Algorithm{digest.SHA256, digest.SHA512} {
		files, err := readDirNames(s.repoPath(name, "_manifests", alg.String()))
		if err != nil {
			return nil, fmt.Errorf("gc: %w", err)
		}
		for _, f := range files {
			if d := digest.NewDigestFromEncoded(alg, f); d.Validate() == nil {
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// sweepBlobs deletes the blobs not in live and older than cutoff, and
// then the repository links that pointed to them.
func (s *Store) sweepBlobs(live map[digest.Digest]bool, cutoff time.Time, dry bool) (
	[]digest.Digest, error) {
	var removed []digest.Digest
	for _, alg := range []digest.Algorithm{digest.SHA256, digest.SHA512} {
		dir := filepath.Join(s.root, "blobs", alg.String())
		files, err := readDirNames(dir)
		if err != nil {
			return removed, fmt.Errorf("gc: %w", err)
		}
		for _, f := range files {
			d := digest.NewDigestFromEncoded(alg, f)
			info, err := os.Stat(filepath.Join(dir, f))
			if err != nil || live[d] || info.ModTime().After(cutoff) {
				continue
			}
			removed = append(removed, d)
			if !dry {
				if err := os.Remove(filepath.Join(dir, f)); err != nil {
					return removed, fmt.Errorf("gc: %w", err)
				}
			}
		}
	}
	if dry {
		return removed, nil
	}
	return removed, s.unlinkMissing()
}

// unlinkMissing removes the repository links to blobs that are gone.
func (s *Store) unlinkMissing() error {
	repos, err := s.Repositories()
	if err != nil {
		return fmt.Errorf("gc: %w", err)
	}
	for _, repo := range repos {
		for _, alg := range []digest.Algorithm{digest.SHA256, digest.SHA512} {
			files, err := readDirNames(s.repoPath(repo, "_blobs", alg.String()))
			if err != nil {
				return fmt.Errorf("gc: %w", err)
			}
			for _, f := range files {
				if !s.HasBlob(digest.NewDigestFromEncoded(alg, f)) {
					os.Remove(s.repoPath(repo, "_blobs", alg.String(), f))
				}
			}
		}
	}
	return nil
}

// sweepUploads deletes uploads whose data has not changed since cutoff,
// and temporary files left by a crash.
func (s *Store) sweepUploads(cutoff time.Time, dry bool) (int, error) {
	n := 0
	for _, sub := range []string{"uploads", "tmp"} {
		dir := filepath.Join(s.root, sub)
		names, err := readDirNames(dir)
		if err != nil {
			return n, fmt.Errorf("gc: %w", err)
		}
		for _, name := range names {
			info, err := os.Stat(filepath.Join(dir, name))
			if sub == "uploads" {
				info, err = os.Stat(filepath.Join(dir, name, "data"))
			}
			if err == nil && info.ModTime().After(cutoff) {
				continue
			}
			if sub == "uploads" {
				n++
				s.hashes.Delete(name)
			}
			if !dry {
				os.RemoveAll(filepath.Join(dir, name))
			}
		}
	}
	return n, nil
}
