#!/usr/bin/env bash
# Phase 7 walk-through: one daemon joining phases 1-6, one docker-like CLI.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
demo_workdir
export SHIBAFU_HOST="$DEMO_DIR/shibafu.sock"
net=demo7-$$
prefix=SBFDEMO7-$$
daemon_pid=
registry_pid=
start_daemon() {
	shibafud --root "$DEMO_DIR/root" --socket "$SHIBAFU_HOST" --network "$net" \
		--subnet 10.221.0.0/24 --chain-prefix "$prefix" --no-dns-forward \
		>>"$DEMO_DIR/daemon.log" 2>&1 &
	daemon_pid=$!
	for _ in $(seq 50); do shibafu info >/dev/null 2>&1 && return; sleep 0.1; done
}
demo_teardown() {
	if [ -n "$registry_pid" ]; then
		kill "$registry_pid" 2>/dev/null || true
		wait "$registry_pid" 2>/dev/null || true
	fi
	[ -n "$daemon_pid" ] || return 0
	ids=$(shibafu ps -a -q 2>/dev/null || true)
	[ -z "$ids" ] || shibafu rm -f $ids >/dev/null 2>&1 || true
	shibafu network rm "$net-b" >/dev/null 2>&1 || true
	shibafu network rm "$net" >/dev/null 2>&1 || true
	kill "$daemon_pid" 2>/dev/null || true
	wait "$daemon_pid" 2>/dev/null || true
}

say "shibafud owns the state root and serves an API on a root-only unix socket."
step 'start_daemon; shibafu info'
step 'ls -l "$SHIBAFU_HOST"'

say "The CLI is a thin client: every command is one HTTP request."
step 'shibafu build-base busybox'
step 'shibafu run --rm busybox sh -c "echo hello from \$(hostname); cat /etc/resolv.conf"'

say "run walks every phase: snapshot, netns + veth, resolv.conf, DNAT rule, DNS name, container."
step 'shibafu run -d --name web -p 127.0.0.1:18722:80 busybox httpd -f -p 80 -h /etc'
step 'for _ in $(seq 50); do curl -sf http://127.0.0.1:18722/hostname && break; sleep 0.1; done'
step 'shibafu inspect web | jq ".[0] | {state: .state.status, networks, ports}"'

say "Containers on one network find each other by name."
step 'shibafu network create --subnet 10.221.1.0/24 "$net-b"'
step 'shibafu run -d --name api --network "$net-b" busybox httpd -f -p 80 -h /etc'
step 'shibafu run -d --name client --network "$net-b" busybox sleep 300'
step 'shibafu exec client nslookup api | grep Address | tail -1'

say "The daemon samples every container's cgroups and veths: stats, and /metrics for Prometheus."
step 'shibafu run -d --name busy --cpus 0.5 busybox sh -c "while :; do :; done"; sleep 5'
step 'shibafu stats --no-stream'
step 'curl -s --unix-socket "$SHIBAFU_HOST" http://shibafud/metrics | grep "^shibafu_container_cpu"'
step 'shibafu top busy; shibafu rm -f busy'

say "Lifecycle events stream as JSON lines; restart policies and health checks act on them."
step 'shibafu events --format "{{.Action}} {{.Name}}{{with .Attributes}} {{json .}}{{end}}" >"$DEMO_DIR/events.log" & echo $! >"$DEMO_DIR/events.pid"'
step 'shibafu run -d --name flaky --restart on-failure:2 busybox sh -c "echo try; exit 1"; sleep 2'
step 'shibafu inspect flaky | jq ".[0] | {restartCount, exit: .state.exitCode}"; shibafu logs flaky'
step 'shibafu run -d --name checked --health-cmd "test -f /tmp/ok" --health-interval 300ms busybox sh -c "touch /tmp/ok; sleep 300"; sleep 1; shibafu ps'
step 'shibafu exec checked rm /tmp/ok; sleep 2; shibafu ps'
step 'kill $(cat "$DEMO_DIR/events.pid"); cat "$DEMO_DIR/events.log"'
step 'shibafu rm -f flaky checked'

say "Images travel through the registry of phase 5; run pulls what is missing."
step 'shibafu-registry --root "$DEMO_DIR/reg" serve --addr 127.0.0.1:0 --addr-file "$DEMO_DIR/addr" 2>/dev/null & registry_pid=$!; for _ in $(seq 50); do [ -s "$DEMO_DIR/addr" ] && break; sleep 0.1; done'
step 'ref=$(cat "$DEMO_DIR/addr")/demo/busybox:v1; shibafu tag busybox $ref; shibafu push $ref'
step 'shibafu rmi $ref; shibafu run --rm $ref echo pulled back'

say "cp goes through the container's own view of its paths; commit makes an image of its changes."
step 'echo "from the host" >"$DEMO_DIR/note"; shibafu cp "$DEMO_DIR/note" client:/tmp/'
step 'shibafu commit client with-note; shibafu run --rm with-note cat /tmp/note'

say "Logs are JSON lines with times, rotated by size; --since and --timestamps read them."
step 'shibafu run -d --name talk busybox sh -c "echo to stdout; echo to stderr >&2; sleep 300"; sleep 0.5'
step 'shibafu logs --timestamps --since 1m talk'
step 'jq -c . "$DEMO_DIR/root/runtime/$(shibafu inspect talk | jq -r ".[0].id")/container.log"'
step 'shibafu rm -f talk'

say "Volumes: a named one outlives its container; a bind mount can be read-only."
step 'shibafu run --rm -v notes:/data busybox sh -c "echo kept >/data/note"'
step 'shibafu run --rm -v notes:/data:ro busybox cat /data/note; shibafu volume ls'
step 'mkdir "$DEMO_DIR/shared"; echo "from the host" >"$DEMO_DIR/shared/hello"'
step 'shibafu run --rm -v "$DEMO_DIR/shared:/mnt:ro" busybox sh -c "cat /mnt/hello; touch /mnt/x || echo refused"'
step 'shibafu volume rm notes'

say "A run that fails is rolled back: nothing half-made stays."
step 'shibafu run -d --name bad -p 127.0.0.1:18722:80 busybox true || true'
step 'shibafu ps -a'

say "Kill the daemon: containers live on under their shims, and a new daemon takes them back."
step 'kill -9 $daemon_pid; wait $daemon_pid 2>/dev/null || true; curl -s http://127.0.0.1:18722/hostname'
step 'start_daemon; shibafu ps'
step 'shibafu stop -t 1 web; shibafu ps -a'

say "rm -f removes everything it set up: rules, veths, names, mounts."
step 'shibafu rm -f $(shibafu ps -a -q)'
step 'shibafu network rm "$net-b" "$net"'
step 'iptables-save | grep -c -- "$prefix" || true'
say "One daemon, one CLI, six phases underneath."
