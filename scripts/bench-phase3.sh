#!/usr/bin/env bash
# bench-phase3.sh: what overlay snapshots buy, measured on a ~200 MB image.
#
#   1. preparing a container root: an overlay mount vs copying the tree;
#   2. unpacking the image's layer: shibafu-image vs umoci unpack.
#
# The image is generated here (half random, half compressible bytes, plus
# many small files), everything lives in one temporary directory, and all
# of it, mounts included, is removed at the end. Needs root, umoci, jq.
# Then the Go benchmarks of phase 3 run (go test -bench).
#
# usage: sudo scripts/bench-phase3.sh [SIZE_MB]   (default 200)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-200}
runs=5

work=$(mktemp -d /tmp/sbf-bench3.XXXXXX)
cleanup() {
	for m in $(grep -o " $work/[^ ]*" /proc/self/mountinfo | sort -r); do umount "$m" || true; done
	rm -rf "$work"
}
trap cleanup EXIT
bin="$work/shibafu-image"
(cd "$repo/phase3-overlay" && go build -o "$bin" ./cmd/shibafu-image)
export SHIBAFU_ROOT="$work/state"

now() { date +%s%N; }
ms() { echo "scale=1; ($2 - $1) / 1000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== generating a ${size_mb} MB tree"
tree="$work/tree"
mkdir -p "$tree/random" "$tree/text" "$tree/small"
half=$((size_mb / 2 - 8))
for i in $(seq 1 "$half"); do
	head -c 1M /dev/urandom >"$tree/random/r$i.bin"
	head -c 1M <(yes "shibafu layer benchmark line $i") >"$tree/text/t$i.txt"
done
for i in $(seq 1 4000); do head -c 4096 /dev/urandom >"$tree/small/s$i"; done
echo "tree: $(du -sm "$tree" | cut -f1) MB, $(find "$tree" | wc -l) entries"

echo "== importing it as a one-layer image"
t0=$(now); "$bin" build-base dir "$tree" big >/dev/null; t1=$(now)
echo "import (pack + gzip + store): $(ms "$t0" "$t1") ms"
rm -rf "$tree"   # keep disk use bounded: the image holds it now

echo "== 1. preparing a container root"
t0=$(now); mnt=$("$bin" mount big first); t1=$(now)
unpack_ms=$(ms "$t0" "$t1")
echo "first snapshot (unpack + mount): $unpack_ms ms"
mount_times=() copy_times=()
for i in $(seq 1 $runs); do
	t0=$(now); "$bin" mount big "s$i" >/dev/null; t1=$(now)
	mount_times+=("$(ms "$t0" "$t1")")
	"$bin" unmount --rm "s$i"
	t0=$(now); cp -a "$mnt" "$work/copy"; sync; t1=$(now)
	copy_times+=("$(ms "$t0" "$t1")")
	rm -rf "$work/copy"
done
mount_med=$(printf '%s\n' "${mount_times[@]}" | median)
copy_med=$(printf '%s\n' "${copy_times[@]}" | median)
printf '%-38s %10s ms (median of %d)\n' "overlay snapshot (shibafu-image mount)" "$mount_med" $runs
printf '%-38s %10s ms (median of %d)\n' "copy of the tree (cp -a + sync)" "$copy_med" $runs
printf '%-38s %10sx\n' "copy / overlay" "$(echo "scale=1; $copy_med / $mount_med" | bc)"
"$bin" unmount --rm first

echo "== 2. unpacking the layer"
layer_bytes=$("$bin" inspect big | jq '.manifest.layers[0].size')
unpacked_mb=$(du -sm "$SHIBAFU_ROOT/snapshots/layers" | cut -f1)
ours=() theirs=()
for i in $(seq 1 3); do
	# Forget the unpacked layer (the image still wants it, so gc would
	# keep it) to make the next mount unpack it again.
	rm -rf "$SHIBAFU_ROOT/snapshots/layers/sha256/"*
	t0=$(now); "$bin" mount big u >/dev/null; t1=$(now)
	ours+=("$(ms "$t0" "$t1")")
	"$bin" unmount --rm u
	t0=$(now); umoci unpack --image "$SHIBAFU_ROOT/images:big" "$work/bundle" >/dev/null; t1=$(now)
	theirs+=("$(ms "$t0" "$t1")")
	rm -rf "$work/bundle"
done
ours_med=$(printf '%s\n' "${ours[@]}" | median)
theirs_med=$(printf '%s\n' "${theirs[@]}" | median)
rate() { echo "scale=1; $unpacked_mb * 1000 / $1" | bc; }
echo "layer: $((layer_bytes / 1000000)) MB gzip, $unpacked_mb MB unpacked"
printf '%-38s %10s ms  %7s MB/s\n' "shibafu-image (unpack + mount)" "$ours_med" "$(rate "$ours_med")"
printf '%-38s %10s ms  %7s MB/s\n' "umoci unpack" "$theirs_med" "$(rate "$theirs_med")"
printf '%-38s %10sx\n' "umoci / shibafu" "$(echo "scale=2; $theirs_med / $ours_med" | bc)"

echo "== Go benchmarks"
(cd "$repo/phase3-overlay" && go test -run '^$' -bench . -benchtime 20x ./layer ./snapshot |
	grep -E '^Benchmark')
