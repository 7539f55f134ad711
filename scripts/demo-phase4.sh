#!/usr/bin/env bash
# Phase 4 walk-through: a container's port published with iptables DNAT,
# reached from 127.0.0.1, the host and another container; then a load-
# balancing proxy in front of three containers, with a health check that
# takes one out and an atomic pool swap. Everything lives on
# 10.219.2.0/24, in chains prefixed DEMO4, and on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
demo_workdir
export NET_ROOT="$DEMO_DIR/state"
PROXY_PID=
demo_teardown() {
	[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
	sp unpublish --owner d4web >/dev/null 2>&1 || true
	sn stop d4web d4web2 d4web3 >/dev/null 2>&1 || true
	sn rm d4net >/dev/null 2>&1 || true
}
sn() { shibafu-net --root "$NET_ROOT" --chain-prefix DEMO4 "$@"; }
sp() { shibafu-ports --root "$NET_ROOT" --chain-prefix DEMO4 "$@"; }
web() { echo "echo 'hello from $1' > /index.html; exec httpd -f -p 80 -h /"; }

say "A network and a web server in a container, as in phase 2."
step 'sn create --subnet 10.219.2.0/24 d4net'
step "sn run -d --name d4web --network d4net sh -c \"$(web web)\""

say "Nothing outside the host can reach 10.219.2.2. Publish its port 80 on a free host port."
step 'sp publish --container d4web 80'
step 'sp ls'
PORT=$(sp ls | awk '$4 == "d4web" { split($2, a, ":"); print a[2] }')

say "DNAT in PREROUTING (other hosts, containers) and OUTPUT (the host itself)."
step 'iptables -t nat -S DEMO4-PORTS; iptables -t nat -S PREROUTING | grep DEMO4'
say "127.0.0.1 needs route_localnet on the bridge and a masquerade; containers need hairpin NAT."
step 'iptables -t nat -S DEMO4-PORTS-POST; sysctl net.ipv4.conf.d4net.route_localnet'

say "The same port answers from 127.0.0.1, from the bridge's address, and from another container."
step 'for i in $(seq 50); do curl -fsS --max-time 1 http://127.0.0.1:$PORT/ && break; sleep 0.1; done'
step 'curl -fsS --max-time 2 http://10.219.2.1:$PORT/'
step "sn run --network d4net sh -c \"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 10.219.2.1 $PORT | tail -1\""

say "A taken port is refused before anything changes."
step 'sp publish --to 10.219.2.2 $PORT:81 || true'

say "One DNAT rule, one container. To balance over many, a proxy: two more servers..."
step "sn run -d --name d4web2 --network d4net sh -c \"$(web web2)\""
step "sn run -d --name d4web3 --network d4net sh -c \"$(web web3)\""
say "...and shibafu-ports proxy in front of them, checking /index.html every 300ms."
step 'shibafu-ports proxy --listen 127.0.0.1:0 --admin 127.0.0.1:0 --backend 10.219.2.2:80 --backend 10.219.2.3:80 --backend 10.219.2.4:80 --health-path /index.html --health-interval 300ms 2>proxy.log & PROXY_PID=$!'
for i in $(seq 50); do grep -q '"admin api listening"' proxy.log && break; sleep 0.1; done
FRONT=$(grep -o '"frontend listening".*"addr":"[^"]*"' proxy.log | sed 's/.*"addr":"//; s/"$//')
ADMIN=$(grep -o '"admin api listening".*"addr":"[^"]*"' proxy.log | sed 's/.*"addr":"//; s/"$//')
say "Round-robin: the three take turns."
step 'for i in 1 2 3 4 5 6; do curl -fsS --max-time 2 http://$FRONT/; done'

say "web2 dies: its health check fails and it gets no more traffic; no request fails."
step 'sn stop d4web2'
step 'sleep 1.5; for i in 1 2 3 4; do curl -fsS --max-time 2 http://$FRONT/; done'
step "curl -fsS http://\$ADMIN/pools/default | grep -E 'address|healthy'"

say "Blue-green: replace the whole pool in one call. Requests under way finish on the old one."
step "curl -fsS -X PUT -d '{\"backends\":[\"10.219.2.4:80\"]}' http://\$ADMIN/pools/default >/dev/null"
step 'for i in 1 2 3; do curl -fsS --max-time 2 http://$FRONT/; done'
say "Every request is logged as one structured line."
step 'tail -1 proxy.log'

say "Take it all down; unpublish removes exactly the rules publish added."
step 'kill $PROXY_PID; wait $PROXY_PID || true; PROXY_PID='
step 'sp unpublish --owner d4web; sysctl net.ipv4.conf.d4net.route_localnet'
step 'sn stop d4web d4web3; sn rm d4net'
step 'iptables-save | grep DEMO4 || echo "no DEMO4 rules left"'
say "Two ways in: the kernel rewrites packets, or a proxy chooses where each request goes."
