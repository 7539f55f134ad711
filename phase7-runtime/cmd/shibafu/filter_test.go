package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
)

func TestPsFiltersAndDockerFormatNames(t *testing.T) {
	l := newLab(t)
	port := freePort(t)
	web := l.run("--name", "web", "--label", "team=blue", "-p",
		fmt.Sprintf("127.0.0.1:%d:80", port), "busybox", "sleep", "300")
	job := l.run("--name", "job", "--label", "team=red", "busybox", "sh", "-c", "exit 3")
	checked := l.run("--name", "checked", "--health-cmd", "true", "--health-interval",
		"200ms", "busybox", "sleep", "300")
	l.waitStatus(job, api.StatusExited)
	l.waitHealth(checked, api.HealthHealthy)

	ids := func(args ...string) []string {
		return strings.Fields(l.ok(append([]string{"ps", "-q"}, args...)...))
	}
	assert.Equal(t, []string{job}, ids("--filter", "status=exited"),
		"a status filter looks at stopped containers without -a")
	assert.Equal(t, []string{web}, ids("-a", "--filter", "label=team=blue"))
	assert.ElementsMatch(t, []string{web, job}, ids("-a", "--filter", "label=team"))
	assert.Equal(t, []string{job}, ids("-a", "-f", "label=team", "-f", "name=jo"),
		"different keys must all match")
	assert.Equal(t, []string{checked}, ids("--filter", "health=healthy"))
	assert.Equal(t, []string{web}, ids("--filter", "health=none"))
	assert.Empty(t, ids("--filter", "name=nobody"))

	out := l.ok("ps", "--filter", "name=web", "--format",
		"{{.ID}}|{{.Names}}|{{.Image}}|{{.State}}|{{.Ports}}|{{.Label \"team\"}}|{{.Status}}")
	assert.Regexp(t, fmt.Sprintf(`^%s\|web\|busybox\|running\|127\.0\.0\.1:%d->80/tcp\|blue\|Up `,
		web, port), out)
	assert.Equal(t, "web running "+l.network+"\n", l.ok("ps", "--filter", "name=web",
		"--format", "{{.Name}} {{.State.Status}} {{.Networks}}"),
		"the API's field names keep working")

	stderr := l.fail("ps", "--filter", "colour=red")
	assert.Contains(t, stderr, "unknown key colour")
	assert.Contains(t, l.fail("ps", "--filter", "status=asleep"), "status=asleep")
}

func TestEventsFilter(t *testing.T) {
	l := newLab(t)
	l.run("--name", "one", "busybox", "sleep", "300")
	l.run("--name", "two", "busybox", "sleep", "300")

	lines := l.followEventsWith(t, "--filter", "container=one", "--filter", "event=stop",
		"--filter", "event=die", "--format", "{{.Type}} {{.Status}} {{.Actor.Attributes.name}}")
	l.ok("stop", "-t", "1", "two", "one")

	var got []string
	for len(got) < 2 {
		select {
		case line := <-lines:
			got = append(got, line)
		case <-time.After(10 * time.Second):
			t.Fatalf("events seen: %q", got)
		}
	}
	// The watcher reports the exit (die) while stop finishes: either may
	// come first.
	assert.ElementsMatch(t, []string{"container die one", "container stop one"}, got)
	select {
	case line := <-lines:
		t.Errorf("an event that the filters refuse: %q", line)
	case <-time.After(500 * time.Millisecond):
	}
	assert.Contains(t, l.fail("events", "--filter", "name=one"), "unknown key name")
}

// followEventsWith runs `shibafu events` with args for the rest of the
// test and sends each line it prints.
func (l *lab) followEventsWith(t *testing.T, args ...string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, l.cli, append([]string{"events"}, args...)...)
	cmd.Env = append(os.Environ(), "SHIBAFU_HOST="+l.socket)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); cmd.Wait() })

	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	time.Sleep(200 * time.Millisecond) // let it subscribe before anything happens
	return lines
}
