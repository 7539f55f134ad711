package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase3-overlay/content"
	"shibafu.dev/phase5-registry/reference"
)

// pullBlob downloads blob desc of ref's repository into cs, unless cs
// has it. The bytes go to a temporary file beside the store's blobs; a
// download cut short resumes with a Range request; the digest and size
// are checked before the file is renamed into the store.
func (c *Client) pullBlob(ctx context.Context, ref reference.Reference,
	desc ocispec.Descriptor, cs *content.Store) error {
	d := desc.Digest
	final, err := cs.Path(d)
	if err != nil {
		return err
	}
	if cs.Exists(d) {
		c.report(d.String(), desc.Size, desc.Size)
		return nil
	}
	tmp, err := os.CreateTemp(cs.TempDir(), "pull-")
	if err != nil {
		return fmt.Errorf("pull blob %s: %w", d, err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	defer tmp.Close()

	for attempt := 1; ; attempt++ {
		err = c.fetchRest(ctx, ref, desc, tmp)
		if err == nil || attempt >= c.attempts() || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("pull blob %s: %w", d, err)
	}
	if err := checkFile(tmp, desc); err != nil {
		return fmt.Errorf("pull blob %s: %w", d, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("pull blob %s: %w", d, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("pull blob %s: %w", d, err)
	}
	return os.Rename(tmp.Name(), final)
}

// fetchRest appends to f the bytes of the blob that f does not have yet,
// asking for them with "Range: bytes=<size of f>-" (end-2).
func (c *Client) fetchRest(ctx context.Context, ref reference.Reference,
	desc ocispec.Descriptor, f *os.File) error {
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if have >= desc.Size && desc.Size > 0 {
		return nil
	}
	h := http.Header{}
	if have > 0 {
		h.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := c.do(ctx, http.MethodGet, c.repoURL(ref, "blobs/"+desc.Digest.String()), nil,
		h, http.StatusOK, http.StatusPartialContent)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && have > 0 {
		// The registry ignored the range: start again from byte 0.
		if err := f.Truncate(0); err != nil {
			return err
		}
		if have, err = f.Seek(0, io.SeekStart); err != nil {
			return err
		}
	}
	body := &counter{r: io.LimitReader(resp.Body, desc.Size-have+1), done: have,
		total: desc.Size, report: func(n, t int64) { c.report(desc.Digest.String(), n, t) }}
	_, err = io.Copy(f, body)
	return err
}

// checkFile verifies that f holds exactly the blob desc describes.
func checkFile(f *os.File, desc ocispec.Descriptor) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	got, err := desc.Digest.Algorithm().FromReader(f)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if got != desc.Digest || info.Size() != desc.Size {
		return fmt.Errorf("%w: got %s (%d bytes), want %s (%d bytes)", content.ErrDigestMismatch,
			got, info.Size(), desc.Digest, desc.Size)
	}
	return nil
}
