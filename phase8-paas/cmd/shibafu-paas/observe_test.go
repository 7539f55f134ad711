package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase8-paas/api"
)

// TestLogsFollowReplicasAndDeploys follows an app's log with `logs -f`
// while it scales and deploys: a new replica's first line shows within
// a second of its start, the stream goes on through a deploy, and the
// log keeps the output of replicas that are gone.
func TestLogsFollowReplicasAndDeploys(t *testing.T) {
	l := newLab(t)
	l.ok("apps", "create", "talky")
	src := l.example("go-web")
	l.ok("deploy", "-a", "talky", src)
	followed := l.background("logs", "-a", "talky", "-f", "--tail", "-1")
	l.eventually(followed, "build: Building talky v1")
	l.eventually(followed, "talky-web-v1-1[web]: go-web listening on :8080")

	// A new replica joins the stream at once.
	l.ok("scale", "-a", "talky", "web=2")
	seen := l.eventually(followed, "talky-web-v1-2[web]: go-web listening")
	started := l.replicaStart("talky", "talky-web-v1-2")
	lag := seen.Sub(started)
	t.Logf("the new replica's first line showed %s after it started", lag)
	assert.Less(t, lag, time.Second)

	// Its requests show twice: in the app's output and the router's log.
	l.body("talky", "/?from=test")
	l.eventually(followed, "[web]: GET / 200")
	l.eventually(followed, regexp.MustCompile(`router\[talky-web-v1-\d\]: GET / 200 \S+ \d+B`))

	// The stream goes on through a deploy.
	l.ok("deploy", "-a", "talky", src)
	l.eventually(followed, "build: Building talky v3")
	l.eventually(followed, "talky-web-v3-1[web]: go-web listening")
	l.eventually(followed, "talky-web-v3-2[web]: go-web listening")

	// The v1 replicas are gone, their output is not.
	out := l.ok("logs", "-a", "talky", "--tail", "-1", "--ps", "web")
	assert.Contains(t, out, "talky-web-v1-1[web]: go-web listening")
	assert.NotContains(t, out, " build: ", "--ps keeps only the process's lines")
	out = l.ok("logs", "-a", "talky", "--tail", "2")
	assert.Equal(t, 2, strings.Count(out, "\n"), out)
	out = l.ok("logs", "-a", "talky", "--since", "1h", "--json")
	var first api.LogLine
	require.NoError(t, json.NewDecoder(strings.NewReader(out)).Decode(&first))
	assert.Equal(t, "talky", first.App)

	evs := l.ok("events", "-a", "talky")
	assert.Regexp(t, `release\s+v1 serves`, evs)
	assert.Regexp(t, `scale\s+v2 serves: Scale web=2`, evs)
	assert.Regexp(t, `release\s+v3 serves`, evs)
}

// TestMetricsAndAutoscaling loads a replica limited to half a CPU with
// requests that keep it busy: CPU and the request rate rise in the JSON
// metrics and in Prometheus; the autoscaler then adds replicas while no
// request fails, takes them away once the load stops, and holds still
// under a load that comes and goes faster than its window.
func TestMetricsAndAutoscaling(t *testing.T) {
	l := newLab(t, "--cpus", "0.5", "--metrics-interval", "1s", "--autoscale-interval",
		"1s")
	l.ok("apps", "create", "busy")
	l.ok("deploy", "-a", "busy", l.example("go-web"))

	// A point of the idle app first, to compare the loaded ones with.
	var m api.Metrics
	require.Eventually(t, func() bool {
		m = l.metrics("busy")
		return len(m.Points) > 0
	}, 30*time.Second, 200*time.Millisecond, "no metrics point for the idle app")
	idle := last(m)

	ld := l.startBurn("busy", 3, "/burn?ms=40")
	require.Eventually(t, func() bool {
		m = l.metrics("busy")
		p := last(m)
		return p.CPUPercent > 30 && p.Requests > 2
	}, 60*time.Second, 500*time.Millisecond, "CPU and requests do not rise: %+v", last(m))
	p := last(m)
	t.Logf("under load: CPU %.1f%% of 0.5 CPU, %.1f req/s, p50 %.1f ms, p95 %.1f ms",
		p.CPUPercent, p.Requests, p.P50, p.P95)
	assert.Less(t, idle.CPUPercent, p.CPUPercent)
	require.Len(t, m.Replicas, 1)
	assert.Equal(t, "busy-web-v1-1", m.Replicas[0].Name)
	assert.Positive(t, m.Replicas[0].MemoryBytes)
	prom := l.prometheus()
	assert.Regexp(t, `shibafu_paas_replica_cpu_percent\{app="busy",process="web",`+
		`replica="busy-web-v1-1"\} [1-9]`, prom)
	assert.Regexp(t, `shibafu_paas_app_requests_total\{app="busy",code="2xx"\} [1-9]`, prom)
	assert.Contains(t, l.ok("metrics", "-a", "busy"), "busy-web-v1-1")

	// Out under the sustained load, with no request failing.
	out := l.ok("autoscale", "-a", "busy", "--process", "web", "--min", "1", "--max", "4",
		"--cpu", "30", "--window", "3s", "--up-cooldown", "3s", "--down-cooldown", "4s")
	assert.Contains(t, out, "cpu 30")
	require.Eventually(t, func() bool { return l.replicas("busy") >= 2 },
		60*time.Second, 500*time.Millisecond)
	time.Sleep(5 * time.Second)
	total, failures := ld.end()
	assert.Empty(t, failures, "of %d requests", total)
	t.Logf("%d requests under load, %d failed; %d replicas", total, len(failures),
		l.replicas("busy"))

	// In, once the load is gone and the cooldown is over. The step's
	// event is recorded once the replica is gone: wait for both.
	scaledIn := regexp.MustCompile(`autoscale\s+scaled web to 1: cpu stayed below half the target`)
	var evs string
	in := assert.Eventually(t, func() bool {
		evs = l.ok("events", "-a", "busy")
		return scaledIn.MatchString(evs) && l.replicas("busy") == 1
	}, 90*time.Second, 500*time.Millisecond)
	require.True(t, in, "not back to one replica:\n%s", evs)
	assert.Regexp(t, `autoscale\s+scaled web to 2: cpu stayed above the target 30.0%`, evs)
	steps := len(autoscaleSteps.FindAllString(evs, -1))
	assert.LessOrEqual(t, steps, 6, "one step at a time, up to 4 and back:\n%s", evs)

	// A load on for 2 s and off for 2 s, for 20 s. Its bursts are
	// shorter than the window, but the runtime samples CPU every 2 s, so
	// the points see roughly its mean, half the limit, which is above
	// the target: the loop may well scale out. What it must not do is
	// thrash: go up and down again. So the steps go one way at most.
	before := steps
	flap := l.startFlapping("busy", 3, "/burn?ms=40", 2*time.Second)
	time.Sleep(20 * time.Second)
	total, failures = flap.end()
	assert.Empty(t, failures, "of %d requests", total)
	evs = l.ok("events", "-a", "busy")
	moves := autoscaleSteps.FindAllStringSubmatch(evs, -1)[before:]
	t.Logf("flapping load: %d requests, %d autoscaler steps", total, len(moves))
	assert.LessOrEqual(t, len(moves), 3, "more steps than from min to max:\n%s", evs)
	ups, downs := 0, 0
	for _, m := range moves {
		from, _ := strconv.Atoi(m[1])
		to, _ := strconv.Atoi(m[2])
		if to > from {
			ups++
		} else {
			downs++
		}
	}
	assert.True(t, ups == 0 || downs == 0, "the replicas went both up and down:\n%s", evs)

	l.ok("autoscale", "-a", "busy", "--off")
	assert.Contains(t, l.ok("autoscale", "-a", "busy"), "busy has no autoscaler")
}

// autoscaleSteps finds the autoscaler's steps in `events`, with the
// replicas before and after each.
var autoscaleSteps = regexp.MustCompile(`autoscale\s+scaled web to \d+: .*: (\d+) -> (\d+)`)

// background runs the CLI until the test ends, and returns its output
// as it comes.
func (l *lab) background(args ...string) *lockedBuffer {
	l.t.Helper()
	out := &lockedBuffer{}
	cmd := exec.Command(l.cli, args...)
	cmd.Env = append(os.Environ(), "SHIBAFU_PAAS_URL="+l.url, "SHIBAFU_PAAS_TOKEN="+l.token,
		"HOME="+l.root)
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(l.t, cmd.Start())
	l.t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if l.t.Failed() {
			l.t.Logf("shibafu-paas %s:\n%s", strings.Join(args, " "), out)
		}
	})
	return out
}

// eventually waits until out holds want (a string or a regexp) and
// returns when it first saw it.
func (l *lab) eventually(out *lockedBuffer, want any) time.Time {
	l.t.Helper()
	found := func() bool {
		if re, ok := want.(*regexp.Regexp); ok {
			return re.MatchString(out.String())
		}
		return strings.Contains(out.String(), want.(string))
	}
	deadline := time.Now().Add(60 * time.Second)
	for !found() {
		if time.Now().After(deadline) {
			l.t.Fatalf("no %v in:\n%s", want, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Now()
}

// replicaStart returns when a replica started, from `ps --json`.
func (l *lab) replicaStart(app, name string) time.Time {
	l.t.Helper()
	var rs []api.Replica
	require.NoError(l.t, json.Unmarshal([]byte(l.ok("ps", "-a", app, "--json")), &rs))
	for _, r := range rs {
		if r.Name == name {
			return r.Started
		}
	}
	l.t.Fatalf("no replica %s", name)
	return time.Time{}
}

// replicas counts an app's running replicas.
func (l *lab) replicas(app string) int {
	var rs []api.Replica
	require.NoError(l.t, json.Unmarshal([]byte(l.ok("ps", "-a", app, "--json")), &rs))
	n := 0
	for _, r := range rs {
		if r.State == "running" {
			n++
		}
	}
	return n
}

func (l *lab) metrics(app string) api.Metrics {
	var m api.Metrics
	require.NoError(l.t, json.Unmarshal([]byte(l.ok("metrics", "-a", app, "--json")), &m))
	return m
}

func last(m api.Metrics) api.MetricPoint {
	if len(m.Points) == 0 {
		return api.MetricPoint{}
	}
	return m.Points[len(m.Points)-1]
}

// prometheus scrapes the API's /metrics.
func (l *lab) prometheus() string {
	l.t.Helper()
	resp, err := http.Get(l.url + "/metrics")
	require.NoError(l.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(l.t, err)
	require.Equal(l.t, http.StatusOK, resp.StatusCode, "%s", body)
	return string(body)
}

// burn is a load of requests to a path of an app from several
// goroutines, each sending the next as soon as the last is answered.
type burn struct {
	mu       sync.Mutex
	total    int
	failures []string
	stop     context.CancelFunc
	done     sync.WaitGroup
}

func (l *lab) startBurn(app string, workers int, path string) *burn {
	return l.startFlapping(app, workers, path, 0)
}

// startFlapping is startBurn with the load on for period, then off for
// period, and so on; a period of 0 keeps it on.
func (l *lab) startFlapping(app string, workers int, path string, period time.Duration) *burn {
	ctx, cancel := context.WithCancel(context.Background())
	b := &burn{stop: cancel}
	begin := time.Now()
	for range workers {
		b.done.Go(func() {
			for ctx.Err() == nil {
				if period > 0 && time.Since(begin)/period%2 == 1 {
					time.Sleep(50 * time.Millisecond)
					continue
				}
				status, body, err := l.get(app, path)
				b.mu.Lock()
				b.total++
				switch {
				case err != nil:
					b.failures = append(b.failures, err.Error())
				case status != http.StatusOK:
					b.failures = append(b.failures, strconv.Itoa(status)+" "+body)
				}
				b.mu.Unlock()
			}
		})
	}
	return b
}

// end stops the load and returns how many requests it sent, and the
// failures.
func (b *burn) end() (int, []string) {
	b.stop()
	b.done.Wait()
	return b.total, b.failures
}
