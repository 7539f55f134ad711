package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"

	"shibafu.dev/phase8-paas/paastest"
)

// goCache is the Go build cache the tests' PaaSes share, so that only
// the first Go build of a run compiles the standard library.
var goCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sbf-gocache")
	if err != nil {
		panic(err)
	}
	goCache = dir
	code := m.Run()
	os.RemoveAll(dir)
	testkit.RemoveBinaries()
	paastest.RemoveShibafud()
	os.Exit(code)
}

// lab is one test's PaaS: a shibafud of its own (package paastest) and
// `shibafu-paas serve` on a temp root, with its API, router and registry
// on free loopback ports, and a token for the CLI.
type lab struct {
	t      *testing.T
	rt     *paastest.Runtime
	cli    string
	root   string
	url    string
	router string
	https  string // the router's HTTPS address (tls_test.go)
	token  string
	serve  *exec.Cmd
	log    *lockedBuffer
	exited chan struct{}
}

// newLab starts a PaaS, with further flags of `serve`.
func newLab(t *testing.T, flags ...string) *lab {
	t.Helper()
	testkit.RequireTool(t, "git")
	rt := paastest.StartRuntime(t)
	l := &lab{t: t, rt: rt, cli: testkit.Binary(t, "shibafu-paas"),
		root: filepath.Join(testkit.ShortTempDir(t), "paas"), log: &lockedBuffer{},
		exited: make(chan struct{})}
	l.url = "http://" + freePort(t)
	l.router, l.https = freePort(t), freePort(t)
	args := []string{"serve", "--root", l.root, "--listen", strings.TrimPrefix(l.url, "http://"),
		"--router", l.router, "--router-tls", l.https, "--runtime", rt.Socket,
		"--network", testkit.UniqueName("pa"),
		"--subnet", nettest.Subnet(t, paastest.SubnetOctet).String(),
		"--registry-addr", freePort(t), "--stop-timeout", "2s", "--drain-timeout", "5s",
		"--build-memory", "1g", "--go-cache", goCache}
	l.serve = exec.Command(l.cli, append(args, flags...)...)
	l.serve.Stdout, l.serve.Stderr = l.log, l.log
	require.NoError(t, l.serve.Start())
	go func() { l.serve.Wait(); close(l.exited) }()
	t.Cleanup(l.stop) // runs before the runtime's cleanup, registered first

	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(l.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case <-l.exited:
			t.Fatalf("shibafu-paas serve exited:\n%s", l.log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("shibafu-paas serve did not come up:\n%s", l.log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	l.token = strings.TrimSpace(l.ok("token", "create", "--root", l.root, "test"))
	return l
}

// stop ends serve and shows its log if the test failed.
func (l *lab) stop() {
	l.serve.Process.Signal(syscall.SIGTERM)
	select {
	case <-l.exited:
	case <-time.After(20 * time.Second):
		l.serve.Process.Kill()
		<-l.exited
		l.t.Errorf("shibafu-paas serve did not stop on SIGTERM")
	}
	if l.t.Failed() {
		l.t.Logf("shibafu-paas serve's log:\n%s", l.log)
	}
}

// freePort returns a loopback address with a port free at the time.
func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// sh runs the CLI against the lab's server and returns its stdout and
// stderr.
func (l *lab) sh(args ...string) (string, string, error) {
	cmd := exec.Command(l.cli, args...)
	cmd.Env = append(os.Environ(), "SHIBAFU_PAAS_URL="+l.url, "SHIBAFU_PAAS_TOKEN="+l.token,
		"HOME="+l.root)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// ok runs the CLI, requires success and returns its stdout.
func (l *lab) ok(args ...string) string {
	l.t.Helper()
	stdout, stderr, err := l.sh(args...)
	require.NoError(l.t, err, "shibafu-paas %s:\n%s%s", strings.Join(args, " "), stdout, stderr)
	return stdout
}

// fail runs the CLI, requires it to fail, and returns its stderr.
func (l *lab) fail(args ...string) string {
	l.t.Helper()
	stdout, stderr, err := l.sh(args...)
	var exit *exec.ExitError
	require.True(l.t, errors.As(err, &exit), "shibafu-paas %s should fail:\n%s%s",
		strings.Join(args, " "), stdout, stderr)
	return stderr
}

// get fetches path of an app through the router.
func (l *lab) get(app, path string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, "http://"+l.router+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Host = app + ".shibafu.localhost"
	resp, err := appClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

var appClient = &http.Client{Timeout: 10 * time.Second}

// body fetches path of an app through the router and requires a 200.
func (l *lab) body(app, path string) string {
	l.t.Helper()
	status, body, err := l.get(app, path)
	require.NoError(l.t, err)
	require.Equal(l.t, http.StatusOK, status, "GET %s%s: %s", app, path, body)
	return body
}

// example copies an example app into a directory of the test's own.
func (l *lab) example(name string) string {
	l.t.Helper()
	dir := filepath.Join(l.t.TempDir(), name)
	out, err := exec.Command("cp", "-a", filepath.Join("..", "..", "examples", name),
		dir).CombinedOutput()
	require.NoError(l.t, err, "%s", out)
	return dir
}

// load sends requests to an app through the router from several
// goroutines until stopped, counting answers by body and failures.
type load struct {
	mu       sync.Mutex
	bodies   map[string]int
	failures []string
	total    int
	stop     context.CancelFunc
	done     sync.WaitGroup
}

func (l *lab) startLoad(app string, workers int) *load {
	ctx, cancel := context.WithCancel(context.Background())
	ld := &load{bodies: map[string]int{}, stop: cancel}
	for range workers {
		ld.done.Go(func() {
			for ctx.Err() == nil {
				status, body, err := l.get(app, "/")
				ld.mu.Lock()
				ld.total++
				switch {
				case err != nil:
					ld.failures = append(ld.failures, err.Error())
				case status != http.StatusOK:
					ld.failures = append(ld.failures, fmt.Sprintf("%d %s", status, body))
				default:
					ld.bodies[body]++
				}
				ld.mu.Unlock()
			}
		})
	}
	return ld
}

// end stops the load and returns what it saw.
func (ld *load) end() (total int, failures []string, bodies map[string]int) {
	ld.stop()
	ld.done.Wait()
	return ld.total, ld.failures, ld.bodies
}

// lockedBuffer is a bytes.Buffer safe for a process and a test at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
