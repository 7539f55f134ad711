package dns

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// zoneFile is the JSON document a Zone keeps under the state root.
type zoneFile struct {
	Serial  uint32   `json:"serial"`
	Records []Record `json:"records"`
}

// StateFile is where a server keeps its records under a state root.
func StateFile(root string) string {
	return filepath.Join(root, "dns", "records.json")
}

// OpenZone returns a zone that keeps a copy of its records in the file
// at path, loading the records already there. A missing file is an
// empty zone; the file is written on the first change.
func OpenZone(path string) (*Zone, error) {
	z := &Zone{path: path, records: map[recordKey]Record{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return z, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open zone: %w", err)
	}

	var f zoneFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("open zone %s: %w", path, err)
	}
	for _, r := range f.Records {
		r = normalize(r)
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("open zone %s: %w", path, err)
		}
		z.records[recordKey{r.Network, r.Name}] = r
	}
	z.serial = f.Serial
	z.idx.Store(buildIndex(sortedRecords(z.records), z.serial))
	return z, nil
}

// saveFile writes the records to path atomically: to a temporary file
// in the same directory, flushed to disk, then renamed over the old
// one, so a crash leaves either the old or the new file, never half of
// one.
func saveFile(path string, serial uint32, records map[recordKey]Record) (err error) {
	data, err := json.MarshalIndent(zoneFile{serial, sortedRecords(records)}, "", "  ")
	if err != nil {
		return fmt.Errorf("save zone: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save zone: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".records-*.json")
	if err != nil {
		return fmt.Errorf("save zone: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()

	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save zone: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save zone: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save zone: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save zone: %w", err)
	}
	return nil
}
