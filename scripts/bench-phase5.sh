#!/usr/bin/env bash
# bench-phase5.sh: the phase 5 registry side by side with distribution 2.8
# (the Debian docker-registry), both on loopback in one run:
#
#   1. skopeo push and pull (median of 3) of a ~200 MB, 4-layer image of
#      random bytes;
#   2. manifest GET requests per second (wrk, 32 connections);
#   3. blob GET throughput (wrk, 8 connections on a 50 MB layer).
#
# Ratios are shibafu / distribution, so above 1.00 means shibafu is ahead
# (for times, distribution's time over shibafu's). Both registries run in
# one temporary directory with access logs off, and are killed by PID at
# the end. Needs skopeo, umoci, wrk, jq and docker-registry
# (apt-get install -y docker-registry wrk).
#
# usage: scripts/bench-phase5.sh [LAYER_MB]   (default 50, 4 layers)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
layer_mb=${1:-50}
secs=5

for tool in skopeo umoci wrk jq docker-registry; do
	command -v "$tool" >/dev/null || { echo "bench-phase5: $tool is missing" >&2; exit 1; }
done
work=$(mktemp -d /tmp/sbf-bench5.XXXXXX)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# free_port prints a loopback TCP port nothing listens on.
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	echo "bench-phase5: no free port" >&2; exit 1
}

# wait_up waits for a registry's /v2/ to answer.
wait_up() {
	for _ in $(seq 1 100); do
		curl -fs -o /dev/null "http://$1/v2/" && return
		sleep 0.1
	done
	echo "bench-phase5: registry $1 did not start" >&2; exit 1
}

now() { date +%s%N; }
secs_since() { echo "scale=2; ($(now) - $1) / 1000000000" | bc; }
ratio() { printf '%.2f' "$(echo "scale=3; $1 / $2" | bc)"; }

echo "== building shibafu-registry and a $((4 * layer_mb)) MB image of random bytes"
(cd "$repo/phase5-registry" && go build -o "$work/shibafu-registry" ./cmd/shibafu-registry)
umoci init --layout "$work/img" >/dev/null
umoci new --image "$work/img:bench" >/dev/null
for i in 1 2 3 4; do
	head -c "${layer_mb}M" /dev/urandom >"$work/layer$i.bin"
	umoci insert --image "$work/img:bench" "$work/layer$i.bin" "/data/layer$i.bin" >/dev/null
	rm "$work/layer$i.bin"
done
umoci gc --layout "$work/img"
du -sh "$work/img" | awk '{print "image layout:", $1}'

echo "== starting both registries on loopback"
dist_addr=127.0.0.1:$(free_port)
cat >"$work/dist.yml" <<CONF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $work/dist
  delete:
    enabled: true
http:
  addr: $dist_addr
CONF
docker-registry serve "$work/dist.yml" >"$work/dist.log" 2>&1 &
pids+=($!)
sbf_addr=127.0.0.1:$(free_port)
"$work/shibafu-registry" serve --root "$work/sbf" --addr "$sbf_addr" --quiet \
	>"$work/sbf.log" 2>&1 &
pids+=($!)
wait_up "$dist_addr"
wait_up "$sbf_addr"

declare -A push pull mrps blob
for who in dist sbf; do
	addr=$dist_addr
	[ "$who" = sbf ] && addr=$sbf_addr
	echo "== $who ($addr)"

	t=$(now)
	skopeo copy -q --dest-tls-verify=false "oci:$work/img:bench" "docker://$addr/bench/img:1"
	push[$who]=$(secs_since "$t")
	# Pulls are noisy on a small machine: the median of three.
	pull[$who]=$(for run in 1 2 3; do
		t=$(now)
		skopeo copy -q --src-tls-verify=false "docker://$addr/bench/img:1" "oci:$work/pulled:1"
		secs_since "$t"
		rm -rf "$work/pulled"
	done | sort -n | sed -n 2p)
	echo "push ${push[$who]} s, pull ${pull[$who]} s"

	accept="Accept: application/vnd.oci.image.manifest.v1+json"
	mrps[$who]=$(wrk -t2 -c32 -d${secs}s -H "$accept" \
		"http://$addr/v2/bench/img/manifests/1" | awk '/^Requests\/sec/ {print $2}')
	layer=$(curl -fs -H "$accept" "http://$addr/v2/bench/img/manifests/1" |
		jq -r '.layers | max_by(.size) | .digest')
	blob[$who]=$(wrk -t2 -c8 -d${secs}s "http://$addr/v2/bench/img/blobs/$layer" |
		awk '/^Transfer\/sec/ {
			v = $2; u = substr(v, length(v) - 1); n = v + 0
			if (u == "GB") n *= 1024; else if (u == "KB") n /= 1024
			printf "%.0f", n }')
	echo "manifest GET ${mrps[$who]} req/s, blob GET ${blob[$who]} MB/s"
done

echo
echo "== phase 5 registry vs distribution 2.8 ($(nproc) CPUs, loopback)"
printf '%-22s %14s %14s %8s\n' "" distribution shibafu ratio
printf '%-22s %14s %14s %8s\n' "skopeo push (s)" "${push[dist]}" "${push[sbf]}" \
	"$(ratio "${push[dist]}" "${push[sbf]}")"
printf '%-22s %14s %14s %8s\n' "skopeo pull (s)" "${pull[dist]}" "${pull[sbf]}" \
	"$(ratio "${pull[dist]}" "${pull[sbf]}")"
printf '%-22s %14s %14s %8s\n' "manifest GET (req/s)" "${mrps[dist]}" "${mrps[sbf]}" \
	"$(ratio "${mrps[sbf]}" "${mrps[dist]}")"
printf '%-22s %14s %14s %8s\n' "blob GET (MB/s)" "${blob[dist]}" "${blob[sbf]}" \
	"$(ratio "${blob[sbf]}" "${blob[dist]}")"
echo "(ratio: above 1.00 means shibafu is ahead)"
