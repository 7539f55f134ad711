package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"shibafu.dev/phase7-runtime/api"
)

// collectInterval is how often the output of a running container is
// turned into log entries; an entry's time is late by at most this.
const collectInterval = 100 * time.Millisecond

// maxChunk bounds what one collection reads of a raw file, so that a
// burst of output does not have to fit in memory at once; a line longer
// than this is cut in pieces.
const maxChunk = 8 << 20

// collector turns a container's raw output into its JSON-lines log. The
// shim of phase 1 appends the container's stdout and stderr to two
// files (they are the container's fds 1 and 2, so no process of ours
// sits in the way of its output). The collector reads what was added,
// splits it into lines, and appends them, stamped with the time, to the
// log file. What it has consumed it frees with fallocate(PUNCH_HOLE):
// the raw files keep their length, which the container's O_APPEND
// writes need, but no longer their disk blocks.
type collector struct {
	mu    sync.Mutex
	log   *logFile
	state string // where the offsets are kept, for a restarted daemon
}

// collectState is how far the collector got in the raw files of one run.
type collectState struct {
	// Started tells the run: a new run starts new raw files.
	Started time.Time `json:"started"`
	// Files are the positions in the stdout and stderr files.
	Files map[string]rawPos `json:"files"`
}

// rawPos is a position in one raw file. The inode tells that the file
// is still the one the offset counts in: a restart makes new files,
// which a collection may meet before the record of the new run is
// saved.
type rawPos struct {
	Inode  uint64 `json:"inode"`
	Offset int64  `json:"offset"`
}

// logOf returns the JSON-lines log of a container.
func (d *Daemon) logOf(id string) *logFile {
	return &logFile{path: filepath.Join(d.runtimeDir(id), "container.log"),
		maxSize: d.cfg.LogMaxSize, files: d.cfg.LogMaxFiles}
}

// collectorOf returns the one collector of a container.
func (d *Daemon) collectorOf(id string) *collector {
	d.collectMu.Lock()
	defer d.collectMu.Unlock()
	c, ok := d.collectors[id]
	if !ok {
		c = &collector{log: d.logOf(id), state: filepath.Join(d.runtimeDir(id), "collect.json")}
		d.collectors[id] = c
	}
	return c
}

// forgetCollector drops the collector of a removed container.
func (d *Daemon) forgetCollector(id string) {
	d.collectMu.Lock()
	defer d.collectMu.Unlock()
	delete(d.collectors, id)
}

// collectLogs collects the output of rec's run every collectInterval
// until the returned function is called, which collects the rest; with
// ended (the run is over), a last line without its newline too.
func (d *Daemon) collectLogs(ctx context.Context, rec *record) (stop func(ended bool)) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(collectInterval):
			}
			if err := d.drainLogs(rec, false); err != nil {
				d.log.Warn("cannot collect a container's output", "id", rec.ID, "err", err)
			}
		}
	}()
	return func(ended bool) {
		cancel()
		<-done
		if err := d.drainLogs(rec, ended); err != nil {
			d.log.Warn("cannot collect a container's output", "id", rec.ID, "err", err)
		}
	}
}

// drainLogs collects what rec's run wrote since the last time. With
// final, the run has ended and a last unterminated line counts too.
func (d *Daemon) drainLogs(rec *record, final bool) error {
	files, err := d.containers.Logs(rec.ID)
	if err != nil {
		return nil // no raw files (yet, or any more)
	}
	c := d.collectorOf(rec.ID)
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.load(rec.Started)
	var entries []logEntry
	now := time.Now().UTC()
	for _, s := range []struct{ name, path string }{
		{api.Stdout, files.Stdout}, {api.Stderr, files.Stderr},
	} {
		lines, pos, err := readLines(s.path, st.Files[s.name], final)
		if err != nil {
			return err
		}
		for _, l := range lines {
			entries = append(entries, logEntry{Stream: s.name, Time: now, Line: l})
		}
		st.Files[s.name] = pos
	}
	if len(entries) == 0 {
		return nil
	}
	if err := c.log.append(entries); err != nil {
		return err
	}
	if err := c.save(st); err != nil {
		return err
	}
	for name, path := range map[string]string{api.Stdout: files.Stdout, api.Stderr: files.Stderr} {
		punchHole(path, st.Files[name].Offset)
	}
	return nil
}

// load reads the offsets of the run that started at started; a state of
// another run (or none) means the start of new files.
func (c *collector) load(started time.Time) collectState {
	st := collectState{Started: started, Files: map[string]rawPos{}}
	data, err := os.ReadFile(c.state)
	if err != nil {
		return st
	}
	var saved collectState
	if json.Unmarshal(data, &saved) != nil || !saved.Started.Equal(started) {
		return st
	}
	if saved.Files != nil {
		st.Files = saved.Files
	}
	return st
}

// save records the offsets: renamed into place, so that a crash leaves
// the old state or the new, whole.
func (c *collector) save(st collectState) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := c.state + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("save log offsets: %w", err)
	}
	return os.Rename(tmp, c.state)
}

// readLines reads the whole lines of path from pos on, and returns them
// with the position after them. With final, a last line without its
// newline is returned too.
func readLines(path string, pos rawPos, final bool) ([]string, rawPos, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, pos, nil
	}
	if err != nil {
		return nil, pos, fmt.Errorf("read output: %w", err)
	}
	defer f.Close()
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return nil, pos, fmt.Errorf("read output: %w", err)
	}
	if st.Ino != pos.Inode {
		pos = rawPos{Inode: st.Ino} // a new file: from its start
	}
	if st.Size <= pos.Offset {
		return nil, pos, nil // nothing new: the common case, answered by fstat alone
	}
	data, err := io.ReadAll(io.NewSectionReader(f, pos.Offset, maxChunk))
	if err != nil {
		return nil, pos, fmt.Errorf("read output: %w", err)
	}
	end := bytes.LastIndexByte(data, '\n') + 1
	if final || (end == 0 && len(data) == maxChunk) {
		end = len(data)
	}
	var lines []string
	for _, l := range bytes.SplitAfter(data[:end], []byte("\n")) {
		if len(l) > 0 {
			lines = append(lines, string(bytes.TrimSuffix(l, []byte("\n"))))
		}
	}
	pos.Offset += int64(end)
	return lines, pos, nil
}

// punchHole frees the disk blocks of the first n bytes of path, which
// were collected, keeping its size (fallocate --punch-hole --keep-size).
// A filesystem without hole punching keeps the blocks: it is only lost
// space, so the error is ignored.
func punchHole(path string, n int64) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	unix.Fallocate(int(f.Fd()), unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, 0, n)
}
