#!/usr/bin/env bash
# bench-phase7.sh: what does the daemon cost? Runs `echo hi` to exit with
# `shibafu run --rm` (CLI -> API -> overlay snapshot, netns + veth, DNS
# name, container, output back), `runc run` of a busybox bundle and
# `podman run --rm --rootfs` of that same root filesystem, side by side in
# one hyperfine run, and prints the ratios. Then it starts 100 `sleep 300`
# containers in parallel with `run -d`, reports the wall time, and reads
# the daemon's resident memory with those 100 containers idle.
#
# The daemon gets a temporary root, its own bridge on 10.221.250.0/24 and
# its own iptables chain prefix; everything is removed on exit. Needs
# root, hyperfine and runc; podman is compared when installed.
#
# Usage: sudo scripts/bench-phase7.sh        RUNS=100 for more runs
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$repo/bin
runs=${RUNS:-30}
count=${COUNT:-100}

if [ "$(id -u)" != 0 ]; then
	echo "bench-phase7: needs root (for namespaces, cgroups and iptables)" >&2
	exit 1
fi
for tool in hyperfine runc; do
	command -v "$tool" >/dev/null || { echo "bench-phase7: $tool not found: run make setup" >&2; exit 1; }
done
for b in shibafud shibafu shibafu-bundle; do
	[ -x "$bin/$b" ] || { echo "bench-phase7: $bin/$b missing: run make build" >&2; exit 1; }
done
podman=
if command -v podman >/dev/null; then
	podman=podman
else
	echo "bench-phase7: podman not found (apt-get install podman): comparing with runc only" >&2
fi

tmp=$(mktemp -d /tmp/sbfbench7.XXXXXX)
export SHIBAFU_HOST=$tmp/shibafu.sock
net=bench7-$$
daemon_pid=
cleanup() {
	set +e
	if [ -n "$daemon_pid" ]; then
		ids=$("$bin/shibafu" ps -a -q 2>/dev/null)
		[ -z "$ids" ] || echo "$ids" | xargs -r -n 20 "$bin/shibafu" rm -f >/dev/null 2>&1
		"$bin/shibafu" network rm "$net" >/dev/null 2>&1
		kill "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null
	fi
	runc --root "$tmp/runc" delete -f bench >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$bin/shibafud" --root "$tmp/root" --socket "$SHIBAFU_HOST" --network "$net" \
	--subnet 10.221.250.0/24 --chain-prefix "SBFB7-$$" --no-dns-forward \
	>"$tmp/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do "$bin/shibafu" info >/dev/null 2>&1 && break; sleep 0.1; done
"$bin/shibafu" info >/dev/null || { cat "$tmp/daemon.log" >&2; exit 1; }
"$bin/shibafu" build-base busybox >/dev/null

# One busybox root filesystem for runc and podman, from the host's static
# busybox like the daemon's base image.
"$bin/shibafu-bundle" init "$tmp/bundle" -- echo hi >/dev/null

cmds=(--command-name "shibafu run --rm" "$bin/shibafu run --rm busybox echo hi"
	--command-name "runc run" "runc --root $tmp/runc run --bundle $tmp/bundle bench")
if [ -n "$podman" ]; then
	# On the CI machines podman must be told limits under the hard ones
	# (CAP_SYS_RESOURCE is missing), and --network=none spares it netavark.
	pflags="--network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
	cmds+=(--command-name "podman run --rm"
		"podman run --rm $pflags --rootfs $tmp/bundle/rootfs echo hi")
	# shellcheck disable=SC2086 # pflags holds several flags
	if ! podman run --rm $pflags --rootfs "$tmp/bundle/rootfs" echo hi >"$tmp/podman.out" 2>&1; then
		echo "bench-phase7: podman cannot run here, comparing with runc only:" >&2
		sed 's/^/  /' "$tmp/podman.out" >&2
		podman=
		cmds=("${cmds[@]:0:4}")
	fi
fi

cd "$tmp"
hyperfine -N --warmup 3 --runs "$runs" \
	--export-csv "$tmp/results.csv" --export-markdown "$tmp/results.md" "${cmds[@]}"
echo
cat "$tmp/results.md"
echo
# results.csv: command,mean,stddev,median,user,system,min,max (seconds).
awk -F, -v podman="$podman" '
	NR > 1 { median[$1] = $4 * 1000 }
	END {
		s = median["shibafu run --rm"]; r = median["runc run"]
		printf "median ms: shibafu run --rm %.1f, runc run %.1f", s, r
		if (podman != "") printf ", podman run --rm %.1f", median["podman run --rm"]
		printf "\nshibafu/runc = %.2f (target < 5)", s / r
		if (podman != "")
			printf ", shibafu/podman = %.2f (target < 1)", s / median["podman run --rm"]
		printf "\n"
	}' "$tmp/results.csv"

echo
echo "starting $count containers in parallel (run -d busybox sleep 300)..."
start=$(date +%s%N)
seq "$count" | xargs -P "$count" -I{} "$bin/shibafu" run -d --name "b{}" busybox sleep 300 \
	>/dev/null
elapsed=$((($(date +%s%N) - start) / 1000000))
running=$("$bin/shibafu" ps -q | wc -l)
sleep 2 # let the daemon settle: the first stats samples, the GC
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$daemon_pid/status")
printf "%d containers started in %d ms (%.1f ms each, %d running)\n" \
	"$count" "$elapsed" "$(echo "$elapsed / $count" | bc -l)" "$running"
printf "daemon RSS with %d idle containers: %.1f MB (target < 100 MB)\n" \
	"$running" "$(echo "$rss / 1024" | bc -l)"

start=$(date +%s%N)
"$bin/shibafu" ps -q | xargs -r -P 20 -n 5 "$bin/shibafu" rm -f >/dev/null
printf "removed them in %d ms\n" $((($(date +%s%N) - start) / 1000000))
