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
# Each kind of query is measured RUNS times, alternating between the two
# servers so that a burst of load elsewhere on the machine hits both
# alike; the script prints every run, then for each server the median
# queries per second and CPU time per query, and the median of the
# ratios shibafu-dns / dnsmasq of the pairs of back-to-back runs.
# Nothing leaves 127.0.0.0/8; every server the script starts is stopped
# by its PID at the end.
#
# Usage: scripts/bench-phase6.sh     DURATION=20 for longer runs (seconds)
#                                    RUNS=5 for more runs per server
#                                    CLIENTS=8 for dnsperf's clients
#                                    SHIBAFU_DNS=path to test a built binary
# Needs: go, dnsperf, dnsmasq, dig (Debian: dnsperf dnsmasq dnsutils).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-10}
runs=${RUNS:-3}
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

if [ -n "${SHIBAFU_DNS:-}" ]; then
	cp "$SHIBAFU_DNS" "$tmp/shibafu-dns"
else
	echo "building shibafu-dns..."
	(cd "$repo" && go build -o "$tmp/shibafu-dns" ./phase6-dns/cmd/shibafu-dns)
fi

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
declare -A pid_of
pid_of[dnsmasq]=$!

# shibafu-dns under test, with the same records through its API.
"$tmp/shibafu-dns" serve --root "$tmp/root" --listen "$shibafu:$port" \
	--api "$shibafu:$api_port" --upstream "$upstream:$port" --ttl 5 \
	2>"$tmp/shibafu-dns.log" &
pids+=($!)
pid_of[shibafu-dns]=$!
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

# cpu_ticks PID prints the CPU time a process has used so far, user and
# system, in clock ticks (proc(5), fields 14 and 15 of /proc/PID/stat).
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# measure SERVER FILE prints "QPS LATENCY_MS LOST CPU_US" from one dnsperf
# run: CLIENTS sockets spread over two sending threads, so that dnsperf
# itself is not the bottleneck. CPU_US is the server's CPU time per
# answered query in microseconds, a figure that moves much less with
# the machine's load than queries per second do.
measure() {
	local pid=${pid_of[$1]} addr=$shibafu before
	[ "$1" = dnsmasq ] && addr=$dnsmasq
	before=$(cpu_ticks "$pid")
	dnsperf -s "$addr" -p "$port" -d "$tmp/$2" -l "$duration" -c "$clients" -T 2 -q 200 \
		>"$tmp/perf.txt" 2>&1
	awk -v ticks=$(($(cpu_ticks "$pid") - before)) -v hz="$(getconf CLK_TCK)" '
	     /Queries completed:/ { done = $3 }
	     /Queries per second:/ { q = $4 }
	     /Average Latency \(s\):/ { l = $4 * 1000 }
	     / Queries lost:/ { lost = $3 }
	     END { printf "%.0f %.3f %s %.1f\n", q, l, lost, done ? ticks / hz * 1e6 / done : 0 }' \
		"$tmp/perf.txt"
}

# median N... prints the median of its arguments.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	     END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "== dnsperf, $runs runs of ${duration}s per server, $clients clients, $(nproc) CPUs"
printf '%-8s %-4s %-12s %10s %10s %6s %8s\n' kind run server "queries/s" "latency ms" lost "cpu us/q"
declare -A qps cpu ratios
for kind in zone cached; do
	# Warm the caches (and the Go runtime) before the measured runs.
	dnsperf -s "$shibafu" -p "$port" -d "$tmp/$kind.txt" -l 1 >/dev/null 2>&1
	dnsperf -s "$dnsmasq" -p "$port" -d "$tmp/$kind.txt" -l 1 >/dev/null 2>&1
	for run in $(seq "$runs"); do
		# Alternate which server goes first, so neither always gets the
		# quieter moment; the two runs of a pair are compared together.
		order="shibafu-dns dnsmasq"
		[ $((run % 2)) = 0 ] && order="dnsmasq shibafu-dns"
		declare -A this
		for server in $order; do
			read -r q l lost c < <(measure "$server" "$kind.txt")
			this[$server]=$q
			qps[$kind-$server]="${qps[$kind-$server]:-} $q"
			cpu[$kind-$server]="${cpu[$kind-$server]:-} $c"
			printf '%-8s %-4s %-12s %10s %10s %6s %8s\n' "$kind" "$run" "$server" "$q" "$l" "$lost" "$c"
		done
		ratios[$kind]="${ratios[$kind]:-} $(awk -v a="${this[shibafu-dns]}" -v b="${this[dnsmasq]}" \
			'BEGIN { printf "%.3f", a / b }')"
	done
done

# The medians; the ratio is the median of the ratios of each pair of
# runs, which cancels the load that both runs of a pair shared.
echo "== medians; ratio shibafu-dns / dnsmasq (1.00 = as fast)"
printf '%-8s %12s %10s %12s %10s %8s\n' kind "shibafu q/s" "cpu us/q" "dnsmasq q/s" "cpu us/q" ratio
for kind in zone cached; do
	# Word splitting of the lists of runs is wanted here.
	# shellcheck disable=SC2086
	printf '%-8s %12s %10s %12s %10s %8.2f\n' "$kind" \
		"$(median ${qps[$kind-shibafu-dns]})" "$(median ${cpu[$kind-shibafu-dns]})" \
		"$(median ${qps[$kind-dnsmasq]})" "$(median ${cpu[$kind-dnsmasq]})" \
		"$(median ${ratios[$kind]})"
done
