#!/usr/bin/env bash
# Phase 6 walk-through: DNS names for containers with shibafu-dns.
# Everything runs on loopback addresses of its own (127.53.6.x), so it
# can use port 53 without meeting any other server.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
demo_workdir
export SHIBAFU_ROOT="$DEMO_DIR/root"
server_pid='' upstream_pid=''
demo_teardown() {
	for pid in $server_pid $upstream_pid; do kill "$pid" 2>/dev/null || true; done
	for pid in $server_pid $upstream_pid; do wait "$pid" 2>/dev/null || true; done
}
wait_api() {
	for _ in $(seq 50); do shibafu-dns --api $API ls >/dev/null 2>&1 && return; sleep 0.1; done
	echo "shibafu-dns did not start" >&2
	return 1
}
export API=127.53.6.1:8053

say "An upstream resolver to forward to: a dnsmasq that knows one outside name."
step 'dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --no-resolv --bind-interfaces --listen-address=127.53.6.2 --port=53 --pid-file= --local-ttl=300 --host-record=ext.example,192.0.2.10 --log-facility=./upstream.log & upstream_pid=$!'

say "shibafu-dns: DNS on 127.53.6.1:53, its API on :8053. Clients from 127.77.0.0/16 play network backend."
step 'shibafu-dns serve --root "$SHIBAFU_ROOT" --listen 127.53.6.1:53 --api $API --upstream 127.53.6.2 --view backend=127.77.0.0/16 2>server.log & server_pid=$!; wait_api'

say "Register a database and three replicas of service api, with an SRV port."
step 'shibafu-dns --api $API add --network backend db 127.77.0.2'
step 'for i in 1 2 3; do shibafu-dns --api $API add --network backend --service api --port http:8080/tcp api-$i 127.77.0.1$i; done'
step 'shibafu-dns --api $API ls'

say "The FQDN answers from the host; the short name only from the network's own clients."
step 'dig @127.53.6.1 +noall +answer db.backend.shibafu.internal'
step 'dig @127.53.6.1 -b 127.77.0.5 +short db'
step 'dig @127.53.6.1 +noall +comments db | grep status'

say "A service answers with every replica, rotated on each query."
step 'for _ in 1 2 3; do dig @127.53.6.1 +short api.backend.shibafu.internal | paste -sd" "; done'

say "SRV says which port, PTR maps an address back to its name."
step 'dig @127.53.6.1 +noall +answer SRV _http._tcp.api.backend.shibafu.internal'
step 'dig @127.53.6.1 +short -x 127.77.0.12'

say "NODATA (the name exists, not that type) is not NXDOMAIN (no such name)."
step 'dig @127.53.6.1 AAAA db.backend.shibafu.internal | grep status'
step 'dig @127.53.6.1 nosuch.backend.shibafu.internal | grep status'

say "Other names are forwarded and cached: the TTL counts down from 300."
step 'dig @127.53.6.1 +noall +answer ext.example; sleep 1; dig @127.53.6.1 +noall +answer ext.example'

say "A dead upstream gives SERVFAIL at once instead of a hang."
step 'kill $upstream_pid; wait $upstream_pid || true'
upstream_pid=''
step 'dig @127.53.6.1 +tries=1 other.example | grep status'

say "Records persist: restart the server and it answers at once."
step 'kill $server_pid; wait $server_pid || true'
step 'shibafu-dns serve --root "$SHIBAFU_ROOT" --listen 127.53.6.1:53 --api $API --no-forward 2>>server.log & server_pid=$!; wait_api'
step 'dig @127.53.6.1 +short db.backend.shibafu.internal'

say "Removing a record stops resolution."
step 'shibafu-dns --api $API rm --network backend db'
step 'dig @127.53.6.1 db.backend.shibafu.internal | grep status'
say "Containers get a resolv.conf naming their gateway; go test -run Lab ./phase6-dns/dns shows it live."
