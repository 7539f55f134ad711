package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
)

// barWidth is the width of the progress bar, in characters.
const barWidth = 30

// progressBar shows how a pull or push is going on stderr. On a
// terminal it redraws one line in place ("\r"): blobs done, a bar, and
// bytes moved; elsewhere (a log, a test) it prints a line per blob as
// each one completes.
type progressBar struct {
	out   *os.File
	tty   bool
	blobs map[string]api.Progress
	order []string
}

func newProgressBar() *progressBar {
	fi, err := os.Stderr.Stat()
	tty := err == nil && fi.Mode()&os.ModeCharDevice != 0
	return &progressBar{out: os.Stderr, tty: tty, blobs: map[string]api.Progress{}}
}

// update takes one progress line of the daemon.
func (p *progressBar) update(pr api.Progress) {
	old, seen := p.blobs[pr.Digest]
	if !seen {
		p.order = append(p.order, pr.Digest)
	}
	p.blobs[pr.Digest] = pr
	if !p.tty {
		if pr.Done == pr.Total && (!seen || old.Done < old.Total) {
			fmt.Fprintf(p.out, "%.19s: done (%s)\n", pr.Digest, size(uint64(pr.Total)))
		}
		return
	}
	var done, total int64
	complete := 0
	for _, d := range p.order {
		b := p.blobs[d]
		done, total = done+b.Done, total+b.Total
		if b.Done == b.Total {
			complete++
		}
	}
	filled := 0
	if total > 0 {
		filled = int(int64(barWidth) * done / total)
	}
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", barWidth-filled)
	fmt.Fprintf(p.out, "\r%d/%d blobs [%s] %s / %s ", complete, len(p.order), bar,
		size(uint64(done)), size(uint64(total)))
}

// finish ends the line a terminal was redrawing.
func (p *progressBar) finish() {
	if p.tty && len(p.order) > 0 {
		fmt.Fprintln(p.out)
	}
}

// pull pulls ref with a progress bar and prints the digest it got.
func pull(ctx context.Context, c *client.Client, ref string) error {
	bar := newProgressBar()
	img, err := c.Pull(ctx, ref, bar.update)
	bar.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Digest: %s\nPulled %s\n", img.Digest, img.Ref)
	return nil
}

// pullIfMissing pulls ref, as `docker run` does, when the daemon's store
// does not have it and it names a registry host (its first part has a
// "." or a ":", or is localhost); other names are left to the daemon to
// refuse.
func pullIfMissing(ctx context.Context, c *client.Client, ref string) error {
	host, _, ok := strings.Cut(ref, "/")
	if !ok || !(strings.ContainsAny(host, ".:") || host == "localhost") {
		return nil
	}
	imgs, err := c.Images(ctx)
	if err != nil {
		return err
	}
	for _, img := range imgs {
		if img.Ref == ref {
			return nil
		}
	}
	fmt.Fprintf(os.Stderr, "Unable to find image %s locally, pulling it\n", ref)
	return pull(ctx, c, ref)
}
