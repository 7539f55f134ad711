package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/opencontainers/go-digest"
)

// Verify reads every blob and returns those whose content does not hash
// to their name: what a disk error or a tampered file would leave. A
// correct store returns none, even after a crash.
func (s *Store) Verify(ctx context.Context) (checked int, bad []digest.Digest, err error) {
	for _, alg := range []digest.Algorithm{digest.SHA256, digest.SHA512} {
		dir := filepath.Join(s.root, "blobs", alg.String())
		files, err := readDirNames(dir)
		if err != nil {
			return checked, bad, fmt.Errorf("verify: %w", err)
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return checked, bad, err
			}
			want := digest.NewDigestFromEncoded(alg, f)
			got, err := hashFile(filepath.Join(dir, f), alg)
			if err != nil {
				return checked, bad, fmt.Errorf("verify: %w", err)
			}
			checked++
			if got != want {
				bad = append(bad, want)
			}
		}
	}
	return checked, bad, nil
}

func hashFile(path string, alg digest.Algorithm) (digest.Digest, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return alg.FromReader(f)
}
