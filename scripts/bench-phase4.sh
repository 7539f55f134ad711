#!/usr/bin/env bash
# bench-phase4.sh: what does it cost to get a request to a container?
# One run, side by side, with wrk on loopback (2 threads, 50 connections,
# DURATION each, default 5s; ROUNDS rounds, default 3, the order turned
# each round; each path's median requests/s and median p99 reported):
#
#   direct        wrk -> one backend on 127.0.0.1
#   container     wrk -> a backend in a namespace on a bridge (no NAT)
#   DNAT          wrk -> 127.0.0.1:PORT published by shibafu-ports, to
#                 that same backend: the cost of the iptables path
#   out-container wrk in a namespace that plays another host, routed
#                 through this one to the same backend (no NAT)
#   out-dnat      the same wrk -> this host's address on that link, at a
#                 port published to the backend: DNAT in PREROUTING
#   shibafu       wrk -> shibafu-ports proxy -> 3 backends, round-robin
#   nginx         wrk -> nginx               -> the same 3 backends
#   haproxy       wrk -> haproxy             -> the same 3 backends
#
# It prints requests/s and p99 latency, the proxies' ratios to nginx and
# each DNAT path's ratio to its direct path. Targets: shibafu >= nginx
# requests/s with p99 <= 1.5x; DNAT within 5% of direct.
#
# Every server is our own instance on 127.0.0.1 high ports, configured in
# a temp dir and killed by PID; the network, namespaces, veth pair and
# iptables chains (prefix SBFB4-PID, subnets 10.219.250.0/24 and
# 10.219.249.0/30) are removed at the end. No packet leaves the machine. Needs root, wrk, nginx and haproxy (Debian
# packages; their system services are not used).
#
# Usage: sudo scripts/bench-phase4.sh        DURATION=10s for longer runs
# BASELINE=path/to/an/older/shibafu-ports adds a row "baseline" that runs
# that binary's proxy in the same rounds, to compare a change side by side.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-5s}

if [ "$(id -u)" != 0 ]; then
	echo "bench-phase4: needs root (namespaces, bridges, iptables)" >&2
	exit 1
fi
for tool in go wrk nginx haproxy ip iptables; do
	if ! command -v "$tool" >/dev/null; then
		echo "bench-phase4: $tool not found: apt-get install wrk nginx haproxy (make setup)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d /tmp/sbfbench4.XXXXXX)
prefix=SBFB4-$$
ns=sbfb4-$$
outns=sbfb4o-$$ outlink=sbfb4o$$
net=sbfb4-$$
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	if [ -x "$tmp/shibafu-ports" ]; then
		"$tmp/shibafu-ports" --root "$tmp/state" --chain-prefix "$prefix" \
			unpublish --owner bench >/dev/null 2>&1 || true
	fi
	if [ -x "$tmp/shibafu-net" ]; then
		"$tmp/shibafu-net" --root "$tmp/state" --chain-prefix "$prefix" \
			disconnect "$net" bench >/dev/null 2>&1 || true
		"$tmp/shibafu-net" --root "$tmp/state" --chain-prefix "$prefix" \
			rm "$net" >/dev/null 2>&1 || true
	fi
	ip netns del "$ns" 2>/dev/null || true
	ip netns del "$outns" 2>/dev/null || true # takes the veth pair with it
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "building..."
(cd "$repo" && go build -o "$tmp/shibafu-ports" ./phase4-ports/cmd/shibafu-ports &&
	go build -o "$tmp/shibafu-net" ./phase2-network/cmd/shibafu-net &&
	go build -o "$tmp/benchbackend" ./phase4-ports/internal/benchbackend)
cd "$tmp"
sn() { ./shibafu-net --root "$tmp/state" --chain-prefix "$prefix" "$@"; }
sp() { ./shibafu-ports --root "$tmp/state" --chain-prefix "$prefix" "$@"; }

# free_port prints a TCP port nothing on 127.0.0.1 listens on.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 20000))
		if ! ss -Htln "( sport = :$p )" | grep -q .; then echo "$p"; return; fi
	done
}

# wait_up NAME waits (at most 5s) until the path NAME answers, asked
# from where its wrk runs.
wait_up() {
	local i
	for i in $(seq 50); do
		${via[$1]:-} curl -fsS -o /dev/null --max-time 1 "${url[$1]}" 2>/dev/null && return
		sleep 0.1
	done
	echo "bench-phase4: $1 (${url[$1]}) does not answer" >&2
	exit 1
}

# The pool: three backends on loopback.
b1=$(free_port) b2=$(free_port) b3=$(free_port)
./benchbackend -listen "127.0.0.1:$b1,127.0.0.1:$b2,127.0.0.1:$b3" & pids+=($!)

# One backend in a namespace on a bridge, and a port published to it.
ip netns add "$ns"
sn create --subnet 10.219.250.0/24 "$net" >/dev/null
sn connect "$net" bench --netns "/run/netns/$ns" --ip 10.219.250.2 >/dev/null
ip netns exec "$ns" ./benchbackend -listen 10.219.250.2:8080 & pids+=($!)
sp publish --to 10.219.250.2 --owner bench 127.0.0.1::8080 >/dev/null
dnat_port=$(sp ls | awk '$4 == "bench" { split($2, a, ":"); print a[2] }')

# Another host: a namespace joined to this one by a veth pair, its
# default route through us. A port published on our end of the link
# goes through PREROUTING, as traffic from another machine would.
ip netns add "$outns"
ip link add "$outlink" type veth peer name eth0 netns "$outns"
ip addr add 10.219.249.1/30 dev "$outlink"
ip link set "$outlink" up
ip -n "$outns" addr add 10.219.249.2/30 dev eth0
ip -n "$outns" link set eth0 up
ip -n "$outns" link set lo up
ip -n "$outns" route add default via 10.219.249.1
out_port=$(free_port)
sp publish --to 10.219.250.2 --owner bench "10.219.249.1:$out_port:8080" >/dev/null

# The proxies, each configured for the same round-robin pool.
shibafu=$(free_port) nginx_port=$(free_port) haproxy_port=$(free_port)
./shibafu-ports proxy --listen "127.0.0.1:$shibafu" --access-log=false \
	--backend "127.0.0.1:$b1" --backend "127.0.0.1:$b2" --backend "127.0.0.1:$b3" \
	2>proxy.log & pids+=($!)
if [ -n "${BASELINE:-}" ]; then
	baseline=$(free_port)
	"$BASELINE" proxy --listen "127.0.0.1:$baseline" --access-log=false \
		--backend "127.0.0.1:$b1" --backend "127.0.0.1:$b2" --backend "127.0.0.1:$b3" \
		2>baseline.log & pids+=($!)
fi

mkdir -p nginx
cat >nginx/nginx.conf <<CONF
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	upstream pool {
		server 127.0.0.1:$b1; server 127.0.0.1:$b2; server 127.0.0.1:$b3;
		keepalive 64;
	}
	server {
		listen 127.0.0.1:$nginx_port;
		location / {
			proxy_pass http://pool;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
		}
	}
}
CONF
nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" -g 'daemon off;' & pids+=($!)

cat >haproxy.cfg <<CONF
global
	nbthread 2
	maxconn 4096
defaults
	mode http
	timeout connect 5s
	timeout client 60s
	timeout server 60s
	option http-keep-alive
	http-reuse always
frontend web
	bind 127.0.0.1:$haproxy_port
	default_backend pool
backend pool
	balance roundrobin
	server b1 127.0.0.1:$b1
	server b2 127.0.0.1:$b2
	server b3 127.0.0.1:$b3
CONF
haproxy -f haproxy.cfg -q & pids+=($!)

names=(direct container dnat out-container out-dnat shibafu nginx haproxy)
declare -A url=(
	[direct]="http://127.0.0.1:$b1/" [container]="http://10.219.250.2:8080/"
	[dnat]="http://127.0.0.1:$dnat_port/" [shibafu]="http://127.0.0.1:$shibafu/"
	[nginx]="http://127.0.0.1:$nginx_port/" [haproxy]="http://127.0.0.1:$haproxy_port/"
	[out-container]="http://10.219.250.2:8080/" [out-dnat]="http://10.219.249.1:$out_port/"
)
# Where wrk (and curl) run for each path: here, or on the other host.
declare -A via=([out-container]="ip netns exec $outns" [out-dnat]="ip netns exec $outns")
for name in "${names[@]}"; do
	wait_up "$name"
done
if [ -n "${BASELINE:-}" ]; then
	url[baseline]="http://127.0.0.1:$baseline/"
	wait_up baseline
	names+=(baseline)
fi

# measure NAME URL: one wrk run, its requests/s and p99 in ms appended to
# the lists of NAME. (The VM is shared: medians of several rounds, taken
# side by side, are what can be compared.)
declare -A rps p99
measure() {
	local out r p
	out=$(${via[$1]:-} wrk -t2 -c50 -d"$duration" --latency "$2")
	if echo "$out" | grep -q "Non-2xx"; then
		echo "bench-phase4: $1 answered errors:" >&2
		echo "$out" >&2
		exit 1
	fi
	r=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
	p=$(echo "$out" | awk '$1 == "99%" {
		v = $2 + 0
		if ($2 ~ /us$/) v /= 1000; else if ($2 ~ /[0-9]s$/ && $2 !~ /ms$/) v *= 1000
		printf "%.2f", v }')
	printf '  %-10s %10s req/s   p99 %8s ms\n' "$1" "$r" "$p"
	rps[$1]="${rps[$1]:-} $r" p99[$1]="${p99[$1]:-} $p"
}

# median LIST: the middle value of a list of numbers.
median() {
	echo "$@" | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

rounds=${ROUNDS:-3}
for round in $(seq "$rounds"); do
	echo "== round $round of $rounds: wrk -t2 -c50 -d$duration, one after another"
	# Turn the order each round, so that no path always runs first or
	# right after another.
	k=$(((round - 1) % ${#names[@]}))
	for name in "${names[@]:k}" "${names[@]:0:k}"; do
		measure "$name" "${url[$name]}"
	done
done
declare -A rounds_rps
for name in "${names[@]}"; do
	rounds_rps[$name]=${rps[$name]}
	rps[$name]=$(median ${rps[$name]}) p99[$name]=$(median ${p99[$name]})
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# paired NAME [REF]: the median, over the rounds, of NAME's requests/s
# divided by REF's (nginx's by default) in the same round. Runs of one
# round are seconds apart, so the load of other jobs on the machine
# cancels out better than in a ratio of medians.
paired() {
	local a=(${rounds_rps[$1]}) b=(${rounds_rps[${2:-nginx}]}) r=() i
	for i in "${!a[@]}"; do r+=("$(ratio "${a[$i]}" "${b[$i]}")"); done
	median "${r[@]}"
}
echo
echo "== phase 4 results, medians of $rounds rounds ($(nproc) CPUs; wrk, backends and proxies share them)"
printf '%-34s %10s %10s %12s %12s\n' "path" "req/s" "p99 ms" "rps/nginx" "p99/nginx"
for name in "${names[@]}"; do
	printf '%-34s %10s %10s %12s %12s\n' "$name" "${rps[$name]}" "${p99[$name]}" \
		"$(ratio "${rps[$name]}" "${rps[nginx]}")" "$(ratio "${p99[$name]}" "${p99[nginx]}")"
done
echo
printf '%-34s %10s   (target >= 1.00)\n' "shibafu / nginx requests/s" \
	"$(ratio "${rps[shibafu]}" "${rps[nginx]}")"
printf '%-34s %10s   (the same, round by round)\n' "  paired by round" "$(paired shibafu)"
printf '%-34s %10s   (target <= 1.50)\n' "shibafu / nginx p99" \
	"$(ratio "${p99[shibafu]}" "${p99[nginx]}")"
printf '%-34s %10s   (target >= 0.95)\n' "DNAT / container requests/s" \
	"$(ratio "${rps[dnat]}" "${rps[container]}")"
printf '%-34s %10s   (the same, round by round)\n' "  paired by round" "$(paired dnat container)"
printf '%-34s %10s   (target >= 0.95)\n' "from another host, DNAT / routed" \
	"$(ratio "${rps[out-dnat]}" "${rps[out-container]}")"
printf '%-34s %10s   (the same, round by round)\n' "  paired by round" "$(paired out-dnat out-container)"
if [ -n "${BASELINE:-}" ]; then
	printf '%-34s %10s   (this tree / BASELINE, round by round)\n' \
		"shibafu / baseline, paired" "$(paired shibafu baseline)"
fi
