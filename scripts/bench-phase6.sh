#!/usr/bin/env bash
# bench-phase6.sh: how fast does shibafu-dns answer? dnsperf on loopback
# sends queries to shibafu-dns and to dnsmasq, side by side in one run,
# both serving the same 100 container names, and both forwarding other
# names to the same local upstream (a third server, a dnsmasq the script
# starts) and caching the answers:
#
#   - zone names:     web-N.bench.shibafu.internal A, answered from memory;
#   - cached names:   ext-N.example A, forwarded once, then from the cache.
#
# It prints queries per second and mean latency of each, and the ratio
# shibafu-dns / dnsmasq. Nothing leaves 127.0.0.0/8; every server the
# script starts is stopped by its PID at the end.
#
# Usage: scripts/bench-phase6.sh     DURATION=20 for longer runs (seconds)
#                                    CLIENTS=8 for dnsperf's concurrency
# Needs: go, dnsperf, dnsmasq, dig (Debian: dnsperf dnsmasq dnsutils).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-10}
clients=${CLIENTS:-8}
names=100

for tool in go dnsperf dnsmasq dig; do
	if ! command -v "$tool" >/dev/null; then
		echo "bench-phase6: $tool not found: run make setup" >&2
		exit 1
	fi
done

# Three loopback addresses of our own, with ports well away from 53.
shibafu=127.0.0.61 dnsmasq=127.0.0.62 upstream=127.0.0.63
port=$((20000 + $$ % 20000))
api_port=$((port + 1))

tmp=$(mktemp -d /tmp/sbfbench6.XXXXXX)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "building shibafu-dns..."
(cd "$repo" && go build -o "$tmp/shibafu-dns" ./phase6-dns/cmd/shibafu-dns)

# The records, and the query files dnsperf reads ("NAME TYPE" per line).
hosts=() upstream_hosts=()
for i in $(seq 0 $((names - 1))); do
	ip=10.99.$((i / 250)).$((i % 250 + 2))
	hosts+=("--host-record=web-$i.bench.shibafu.internal,$ip")
	upstream_hosts+=("--host-record=ext-$i.example,192.0.2.$((i % 250 + 1))")
	echo "web-$i.bench.shibafu.internal A" >>"$tmp/zone.txt"
	echo "ext-$i.example A" >>"$tmp/cached.txt"
done

# dnsmasq_run ADDR ARGS... starts a dnsmasq in the foreground on ADDR
# with no configuration file, no /etc/hosts and no resolv.conf.
dnsmasq_run() {
	local addr=$1
	shift
	dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --no-resolv \
		--bind-interfaces --listen-address="$addr" --port="$port" --pid-file= \
		--log-facility="$tmp/dnsmasq-$addr.log" "$@" &
	pids+=($!)
}

# The upstream: answers ext-N.example with a 300 s TTL, so the caches
# keep them for the whole run.
dnsmasq_run "$upstream" --local-ttl=300 "${upstream_hosts[@]}"

# dnsmasq under test: the zone, the same 5 s TTL as shibafu-dns, its
# cache, and the upstream for other names.
dnsmasq_run "$dnsmasq" --local-ttl=5 --local=/shibafu.internal/ --cache-size=10000 \
	--server="$upstream#$port" "${hosts[@]}"

# shibafu-dns under test, with the same records through its API.
"$tmp/shibafu-dns" serve --root "$tmp/root" --listen "$shibafu:$port" \
	--api "$shibafu:$api_port" --upstream "$upstream:$port" --ttl 5 \
	2>"$tmp/shibafu-dns.log" &
pids+=($!)
for _ in $(seq 50); do
	"$tmp/shibafu-dns" --api "$shibafu:$api_port" ls >/dev/null 2>&1 && break
	sleep 0.1
done
for i in $(seq 0 $((names - 1))); do
	ip=10.99.$((i / 250)).$((i % 250 + 2))
	"$tmp/shibafu-dns" --api "$shibafu:$api_port" add --network bench "web-$i" "$ip" >/dev/null
done

# Check that all three answer before measuring anything.
for server in "$shibafu" "$dnsmasq"; do
	for name in web-7.bench.shibafu.internal ext-7.example; do
		if [ -z "$(dig +short +time=2 +tries=1 -p "$port" @"$server" "$name")" ]; then
			echo "bench-phase6: $server does not answer $name" >&2
			exit 1
		fi
	done
done

# measure SERVER FILE prints "QPS LATENCY_MS" from one dnsperf run.
measure() {
	dnsperf -s "$1" -p "$port" -d "$tmp/$2" -l "$duration" -c "$clients" -q 200 \
		>"$tmp/perf.txt" 2>&1
	awk '/Queries per second:/ { q = $4 }
	     /Average Latency \(s\):/ { l = $4 * 1000 }
	     / Queries lost:/ { lost = $3 }
	     END { printf "%.0f %.3f %s\n", q, l, lost }' "$tmp/perf.txt"
}

echo "== dnsperf, ${duration}s per run, $clients clients, $(nproc) CPUs"
printf '%-8s %-14s %12s %12s %8s\n' kind server "queries/s" "latency ms" lost
declare -A qps
for kind in zone cached; do
	# Warm the caches (and the Go runtime) before the measured runs.
	dnsperf -s "$shibafu" -p "$port" -d "$tmp/$kind.txt" -l 1 >/dev/null 2>&1
	dnsperf -s "$dnsmasq" -p "$port" -d "$tmp/$kind.txt" -l 1 >/dev/null 2>&1
	for server in shibafu-dns dnsmasq; do
		addr=$shibafu
		[ "$server" = dnsmasq ] && addr=$dnsmasq
		read -r q l lost < <(measure "$addr" "$kind.txt")
		qps[$kind-$server]=$q
		printf '%-8s %-14s %12s %12s %8s\n' "$kind" "$server" "$q" "$l" "$lost"
	done
done

echo "== ratio shibafu-dns / dnsmasq (1.00 = as fast)"
for kind in zone cached; do
	awk -v a="${qps[$kind-shibafu-dns]}" -v b="${qps[$kind-dnsmasq]}" -v k="$kind" \
		'BEGIN { printf "%-8s %.2f\n", k, a / b }'
done
