package ipam

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Environment of TestHelperAllocate when the test binary runs as one of
// the competing processes.
const (
	helperFile  = "IPAM_HELPER_FILE"
	helperCount = "IPAM_HELPER_COUNT"
)

var (
	helperSubnet  = netip.MustParsePrefix("10.213.0.0/24")
	helperGateway = netip.MustParseAddr("10.213.0.1")
)

// TestConcurrentProcesses runs 10 copies of this test binary at once, each
// allocating 20 addresses from one pool file, and checks that the 200
// addresses are distinct host addresses. Processes, not goroutines: the
// flock must hold between programs, not just inside one.
func TestConcurrentProcesses(t *testing.T) {
	const procs, each = 10, 20
	file := filepath.Join(t.TempDir(), "pool.json")

	var (
		mu  sync.Mutex
		got []netip.Addr
		wg  sync.WaitGroup
	)
	for i := range procs {
		wg.Go(func() {
			addrs, err := runHelper(file, each)
			assert.NoError(t, err, "process %d", i)
			mu.Lock()
			got = append(got, addrs...)
			mu.Unlock()
		})
	}
	wg.Wait()

	require.Len(t, got, procs*each)
	seen := map[netip.Addr]bool{}
	for _, a := range got {
		assert.False(t, seen[a], "%s handed out twice", a)
		assert.True(t, IsHost(helperSubnet, a) && a != helperGateway, "%s is not usable", a)
		seen[a] = true
	}

	p, err := New(file, helperSubnet, helperGateway)
	require.NoError(t, err)
	all, err := p.Allocations()
	require.NoError(t, err)
	assert.Len(t, all, procs*each, "the record holds every allocation")
}

// runHelper starts the test binary as a helper allocating n addresses and
// returns the addresses it printed.
func runHelper(file string, n int) ([]netip.Addr, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAllocate$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperFile+"="+file, helperCount+"="+strconv.Itoa(n))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("helper: %w: %s", err, stderr.String())
	}
	var addrs []netip.Addr
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if a, err := netip.ParseAddr(sc.Text()); err == nil {
			addrs = append(addrs, a)
		}
	}
	return addrs, nil
}

// TestHelperAllocate is not a test on its own: it does its work only when
// TestConcurrentProcesses starts it with its environment set.
func TestHelperAllocate(t *testing.T) {
	file := os.Getenv(helperFile)
	if file == "" {
		t.Skip("helper process for TestConcurrentProcesses")
	}
	n, err := strconv.Atoi(os.Getenv(helperCount))
	require.NoError(t, err)
	p, err := New(file, helperSubnet, helperGateway)
	require.NoError(t, err)
	for range n {
		a, err := p.Allocate(fmt.Sprintf("pid-%d", os.Getpid()), netip.Addr{})
		require.NoError(t, err)
		fmt.Println(a)
	}
}
