package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase5-registry/storage"
)

// startServer runs this test binary as `shibafu-registry serve` on root
// and returns the process and its "http://host:port".
func startServer(t *testing.T, root string) (*exec.Cmd, string) {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	cmd := exec.Command(os.Args[0], "serve", "--root", root, "--addr", "127.0.0.1:0",
		"--addr-file", addrFile, "--quiet")
	cmd.Env = append(os.Environ(), "SHIBAFU_REGISTRY_MAIN=1")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if addr, err := os.ReadFile(addrFile); err == nil && len(addr) > 0 {
			return cmd, "http://" + string(addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the registry did not start within 10s")
	return nil, ""
}

// upload sends blob data as POST then PUT ?digest= with a streamed
// body. If hold is not nil, it sends half the data and waits on hold
// before the rest.
func upload(base string, data []byte, hold chan struct{}) error {
	d := digest.FromBytes(data)
	resp, err := http.Post(base+"/v2/crash/blobs/uploads/", "", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("POST: %s", resp.Status)
	}
	pr, pw := io.Pipe()
	go func() {
		half := len(data) / 2
		pw.Write(data[:half])
		if hold != nil {
			<-hold
		}
		pw.Write(data[half:])
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPut,
		base+resp.Header.Get("Location")+"?digest="+d.String(), pr)
	req.ContentLength = int64(len(data))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("PUT: %s", resp.Status)
	}
	return nil
}

// TestCrashDuringUploads kills the registry with SIGKILL while 20
// uploads are in flight, half of them finished and half stuck midway,
// and restarts it on the same root: every blob stored has the right
// digest, the finished ones are all there, and no unfinished one shows.
func TestCrashDuringUploads(t *testing.T) {
	root := t.TempDir()
	server, base := startServer(t, root)

	blobs := make([][]byte, 20)
	for i := range blobs {
		blobs[i] = make([]byte, 1<<20+i)
		rand.Read(blobs[i])
	}
	hold := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, len(blobs))
	for i := range blobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				errs[i] = upload(base, blobs[i], nil)
			} else {
				errs[i] = upload(base, blobs[i], hold)
			}
		}()
	}
	// Wait until the finished half is in, and the other half is midway.
	require.Eventually(t, func() bool {
		n := 0
		for i := 0; i < len(blobs); i += 2 {
			if headBlob(base, blobs[i]) == http.StatusOK {
				n++
			}
		}
		return n == len(blobs)/2
	}, 10*time.Second, 20*time.Millisecond)
	time.Sleep(100 * time.Millisecond)

	require.NoError(t, server.Process.Signal(syscall.SIGKILL))
	server.Wait()
	close(hold)
	wg.Wait()
	for i := 0; i < len(blobs); i += 2 {
		require.NoError(t, errs[i], "upload %d finished before the kill", i)
	}

	_, base = startServer(t, root)
	for i, data := range blobs {
		want := http.StatusOK
		if i%2 == 1 {
			want = http.StatusNotFound
		}
		assert.Equal(t, want, headBlob(base, data), "blob %d after the restart", i)
	}
	st, err := storage.Open(filepath.Join(root, "registry"), storage.Options{})
	require.NoError(t, err)
	checked, bad, err := st.Verify(context.Background())
	require.NoError(t, err)
	assert.Equal(t, len(blobs)/2, checked, "only the finished blobs are stored")
	assert.Empty(t, bad, "every stored blob matches its digest")

	report, err := st.GC(context.Background(), storage.GCOptions{})
	require.NoError(t, err)
	assert.Equal(t, len(blobs)/2, report.Uploads, "GC clears the interrupted uploads")
}

func headBlob(base string, data []byte) int {
	resp, err := http.Head(base + "/v2/crash/blobs/" + digest.FromBytes(data).String())
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
