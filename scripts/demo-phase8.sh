#!/usr/bin/env bash
# Phase 8 walk-through: a Heroku-like PaaS on the Shibafu runtime. Source
# goes in; a built, released, routed app comes out.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
examples="$(cd "$(dirname "$0")/../phase8-paas/examples" && pwd)"
demo_workdir
export SHIBAFU_HOST="$DEMO_DIR/shibafu.sock"
export SHIBAFU_PAAS_URL=http://127.0.0.1:17080
export HOME="$DEMO_DIR" # git's and the CLI's settings stay in the scratch dir
net=d8-$$
prefix=SBFDEMO8-$$
router=127.0.0.1:18080
daemon_pid=
paas_pid=
demo_teardown() {
	if [ -n "$paas_pid" ]; then
		kill "$paas_pid" 2>/dev/null || true
		wait "$paas_pid" 2>/dev/null || true
	fi
	[ -n "$daemon_pid" ] || return 0
	ids=$(shibafu ps -a -q 2>/dev/null || true)
	[ -z "$ids" ] || shibafu rm -f $ids >/dev/null 2>&1 || true
	shibafu network rm "$net-apps" >/dev/null 2>&1 || true
	shibafu network rm "$net" >/dev/null 2>&1 || true
	kill "$daemon_pid" 2>/dev/null || true
	wait "$daemon_pid" 2>/dev/null || true
}
# start_daemon starts shibafud and waits until it answers.
start_daemon() {
	shibafud --root "$DEMO_DIR/runtime" --socket "$SHIBAFU_HOST" --network "$net" \
		--subnet 10.223.0.0/24 --chain-prefix "$prefix" --no-dns-forward \
		>"$DEMO_DIR/shibafud.log" 2>&1 &
	daemon_pid=$!
	for _ in $(seq 100); do shibafu info >/dev/null 2>&1 && return; sleep 0.1; done
	cat "$DEMO_DIR/shibafud.log"
	return 1
}
# start_paas starts the PaaS and waits until its API answers; the first
# start makes the base image, which takes a few seconds.
start_paas() {
	shibafu-paas serve --root "$DEMO_DIR/paas" --listen 127.0.0.1:17080 --router "$router" --router-tls 127.0.0.1:18443 \
		--registry-addr 127.0.0.1:15080 --runtime "$SHIBAFU_HOST" \
		--network "$net-apps" --subnet 10.223.1.0/24 >"$DEMO_DIR/paas.log" 2>&1 &
	paas_pid=$!
	for _ in $(seq 600); do curl -sf "$SHIBAFU_PAAS_URL/healthz" >/dev/null && return; sleep 0.1; done
	cat "$DEMO_DIR/paas.log"
	return 1
}
# app fetches a path of an app through the router. curl, like browsers,
# takes every name under .localhost for the loopback address (RFC 6761).
app() {
	curl -s "http://$1.shibafu.localhost:18080$2"
}

say "Underneath: the phase 7 runtime daemon."
step 'start_daemon; shibafu info'

say "The PaaS: an API, a router (phase 4), a registry (phase 5) and git, in one process."
step 'start_paas; tail -1 "$DEMO_DIR/paas.log"'
step 'shibafu-paas token create --root "$DEMO_DIR/paas" --save instructor'

say "An app is a name, a git repository and a history of releases."
step 'shibafu-paas apps create hello'
step 'ls "$examples/go-web"'

say "deploy uploads the source; the PaaS builds it in a container (no Dockerfile: it is a Go module), pushes the image, starts it, checks it, routes to it."
step 'shibafu-paas deploy -a hello "$examples/go-web"'
step 'app hello /'

say "Config is the environment; every change is a release, rolled out without downtime."
step 'shibafu-paas config set -a hello GREETING="good morning, class"'
step 'app hello /'
step 'shibafu-paas secrets set -a hello API_KEY=s3cr3t; shibafu-paas secrets -a hello'

say "Scale out: three web replicas behind the router, found again by name in DNS."
step 'shibafu-paas scale -a hello web=3'
step 'shibafu-paas ps -a hello'
step 'shibafu-paas run -a hello -- nslookup hello'

say "A Dockerfile app, pushed with git: the build log comes back as remote: lines."
step 'shibafu-paas apps create site'
step 'cp -r "$examples/dockerfile-app" site && cd site && git init -q -b main && git add . && git -c user.name=demo -c user.email=demo@example.com commit -qm "first" && cd ..'
step 'git -C site push -q "http://demo:$(cat "$HOME/.config/shibafu-paas/token")@127.0.0.1:17080/git/site.git" main'
step 'app site /'

say "A release that fails its health check never gets traffic; the old one serves on."
step 'shibafu-paas apps health -a hello --health-path /nope --health-retries 4'
step 'shibafu-paas deploy -a hello "$examples/go-web" || echo "deploy refused, as it should be"'
step 'app hello /'
step 'shibafu-paas apps health -a hello --health-path / --health-retries 30'

say "Roll back to any release; the history keeps who did what."
step 'shibafu-paas rollback -a hello v2'
step 'shibafu-paas releases -a hello'
step 'app hello /'
say "hello is live at http://hello.shibafu.localhost:18080 (from this machine)."
