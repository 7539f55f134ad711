package registry_test

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// suite is the official conformance suite of the distribution spec, a
// Go program kept as a tool of this module (see go.mod).
const suite = "github.com/opencontainers/distribution-spec/conformance"

// TestConformance runs the official suite against a fresh server, with
// every API (pull, push, content discovery, content management) and the
// optional checks of the spec's next version turned on, and fails on any
// spec that does not pass.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("the conformance suite takes a few seconds; skipped in -short mode")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "conformance")
	build := exec.Command("go", "build", "-o", bin, suite)
	out, err := build.CombinedOutput()
	require.NoError(t, err, "build the conformance suite: %s", out)

	srv := httptest.NewServer(newServer(t))
	defer srv.Close()

	cmd := exec.Command(bin)
	cmd.Dir = dir // away from any oci-conformance.yaml
	cmd.Env = append(os.Environ(),
		"OCI_REGISTRY="+strings.TrimPrefix(srv.URL, "http://"),
		"OCI_TLS=disabled",
		"OCI_RESULTS_DIR="+filepath.Join(dir, "results"),
		"OCI_VERSION=1.1",
		"OCI_API_PULL=true", "OCI_API_PUSH=true",
		"OCI_API_TAGS_LIST=true", "OCI_API_REFERRER=true",
		"OCI_API_BLOBS_DELETE=true", "OCI_API_MANIFESTS_DELETE=true",
		"OCI_API_TAGS_DELETE=true",
		"OCI_API_BLOBS_UPLOAD_CANCEL=true",
		"OCI_API_BLOBS_DIGEST_HEADER=true",
		"OCI_API_MANIFESTS_DIGEST_HEADER=true",
		"OCI_API_MANIFESTS_TAG_PARAM=true",
		"OCI_LOG=error",
	)
	start := time.Now()
	report, err := cmd.Output()
	t.Logf("conformance suite ran in %s", time.Since(start).Round(time.Millisecond))
	if err != nil || t.Failed() {
		t.Logf("suite report:\n%s", report)
	}
	require.NoError(t, err, "the suite reports a failure")

	counts := suiteCounts(string(report))
	t.Logf("conformance: %d passed, %d failed, %d skipped, %d disabled, %d errors",
		counts["Pass"], counts["FAIL"], counts["Skip"], counts["Disabled"], counts["Error"])
	assert.Contains(t, string(report), "OCI Conformance Result: Pass")
	assert.Positive(t, counts["Pass"])
	assert.Zero(t, counts["FAIL"])
	assert.Zero(t, counts["Error"])
	assert.Zero(t, counts["Skip"], "every enabled test should run")
}

// suiteCounts reads the summary lines ("  Pass......: 123") of a report.
func suiteCounts(report string) map[string]int {
	counts := map[string]int{}
	line := regexp.MustCompile(`(?m)^  (Pass|FAIL|Skip|Disabled|Error)\.*:\s+(\d+)$`)
	for _, m := range line.FindAllStringSubmatch(report, -1) {
		counts[m[1]], _ = strconv.Atoi(m[2])
	}
	return counts
}
