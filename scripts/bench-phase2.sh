#!/bin/sh
# bench-phase2.sh: what does container networking cost? Measures, with the
# Go benchmarks of phase2-network/network:
#
#   - attaching a container's namespace to a network and detaching it
#     again (veth pair, address, routes, records), median of 100 rounds,
#     next to the kernel's own floor: `ip link add` + `ip link del` of a
#     bare veth pair;
#   - TCP throughput between two containers on one bridge (two veth pairs
#     and the bridge) and between two namespaces joined by one veth pair,
#     side by side in one run (median of 3 each), and their ratio.
#
# Everything runs in namespaces, bridges and chains the benchmarks create
# and remove; no traffic leaves the machine. Needs root.
#
# Usage: sudo scripts/bench-phase2.sh        TCP_TIME=5s for longer TCP runs
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
tcp_time=${TCP_TIME:-2s}

if [ "$(id -u)" != 0 ]; then
	echo "bench-phase2: needs root (for namespaces, links and iptables)" >&2
	exit 1
fi
for tool in go ip iptables nsenter; do
	if ! command -v "$tool" >/dev/null; then
		echo "bench-phase2: $tool not found: run make setup" >&2
		exit 1
	fi
done

tmp=$(mktemp -d /tmp/sbfbench2.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "building the benchmarks..."
(cd "$repo/phase2-network" && go test -c -o "$tmp/network.test" ./network)
cd "$tmp"

echo "== attach + detach, 100 rounds"
./network.test -test.run '^$' -test.bench '^BenchmarkAttachDetach$' -test.benchtime 100x \
	| tee attach.txt | grep '^Benchmark'

# The floor: creating and deleting a veth pair is most of an attach and
# detach, and the kernel's share of it (the deletion waits for RCU grace
# periods) is the same whoever asks. 100 rounds with ip, mean per round.
veth=sbfb$$
start=$(date +%s%N)
i=0
while [ $i -lt 100 ]; do
	ip link add "$veth" type veth peer name "${veth}p"
	ip link del "$veth"
	i=$((i + 1))
done
end=$(date +%s%N)
floor=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 100 / 1e6 }')

echo "== TCP throughput, $tcp_time per run, 3 runs each"
./network.test -test.run '^$' -test.bench '^BenchmarkTCP(Bridge|Veth)$' \
	-test.benchtime "$tcp_time" -test.count 3 | tee tcp.txt | grep '^Benchmark'

# median NAME FIELD-UNIT FILE: the median of the value before UNIT on the
# lines of benchmark NAME.
median() {
	awk -v name="$1" -v unit="$2" '
		$1 ~ "^" name "(-[0-9]+)?$" {
			for (i = 2; i <= NF; i++) if ($i == unit) v[n++] = $(i - 1) + 0
		}
		END {
			if (n == 0) { print "nan"; exit }
			for (i = 0; i < n; i++)
				for (j = i + 1; j < n; j++)
					if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			print v[int(n / 2)]
		}' "$3"
}

attach=$(median BenchmarkAttachDetach median-ms attach.txt)
bridge=$(median BenchmarkTCPBridge MB/s tcp.txt)
pair=$(median BenchmarkTCPVeth MB/s tcp.txt)

echo
echo "== phase 2 results"
printf '%-44s %10s\n' "attach + detach (median of 100)" "$attach ms"
printf '%-44s %10s\n' "ip link add + del veth pair (mean of 100)" "$floor ms"
# (the ip figure includes starting the ip program twice per round)
printf '%-44s %10s\n' "TCP, two containers on a bridge" "$bridge MB/s"
printf '%-44s %10s\n' "TCP, two namespaces on one veth pair" "$pair MB/s"
awk -v b="$bridge" -v p="$pair" 'BEGIN {
	printf "%-44s %10.2f\n", "bridge / veth pair throughput ratio", b / p }'
