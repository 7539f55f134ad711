package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase5-registry/client"
)

// clientFlags are the flags of the subcommands that talk to a registry.
type clientFlags struct {
	plainHTTP bool
	username  string
	parallel  int
}

func (f *clientFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.plainHTTP, "plain-http", false,
		"use http:// for every registry (loopback hosts always use it)")
	cmd.Flags().StringVar(&f.username, "username", "",
		"basic auth user; the password is read from $SHIBAFU_REGISTRY_PASSWORD")
	cmd.Flags().IntVar(&f.parallel, "parallel", 4, "blobs to move at once")
}

// client builds a client from the flags, with progress bars on stderr
// when it is a terminal (or --progress is set).
func (f *clientFlags) client(g *globals, stderr io.Writer) (*client.Client, *bars) {
	c := &client.Client{PlainHTTP: f.plainHTTP, Username: f.username,
		Password: os.Getenv("SHIBAFU_REGISTRY_PASSWORD"), Parallel: f.parallel}
	_, err := unix.IoctlGetTermios(int(os.Stderr.Fd()), unix.TCGETS)
	if err != nil && !g.progress {
		return c, nil
	}
	b := &bars{w: stderr, blobs: map[string][2]int64{}}
	c.Progress = b.update
	return c, b
}

// bars draws one progress line for all the blobs of a transfer:
// "[=====>    ] 45.2/120.0 MB, 2/5 blobs".
type bars struct {
	mu    sync.Mutex
	w     io.Writer
	blobs map[string][2]int64 // digest -> done, total
	drawn time.Time
}

func (b *bars) update(d string, done, total int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.blobs[d] = [2]int64{done, total}
	if time.Since(b.drawn) > 100*time.Millisecond || done == total {
		b.draw()
	}
}

func (b *bars) draw() {
	var done, total int64
	finished := 0
	for _, v := range b.blobs {
		done, total = done+v[0], total+v[1]
		if v[0] == v[1] {
			finished++
		}
	}
	width := 30
	filled := width
	if total > 0 {
		filled = int(float64(width) * float64(done) / float64(total))
	}
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	fmt.Fprintf(b.w, "\r[%s] %.1f/%.1f MB, %d/%d blobs", bar, float64(done)/1e6,
		float64(total)/1e6, finished, len(b.blobs))
	b.drawn = time.Now()
}

// done ends the progress line.
func (b *bars) done() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.blobs) > 0 {
		b.draw()
		fmt.Fprintln(b.w)
	}
}
