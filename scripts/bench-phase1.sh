#!/bin/sh
# bench-phase1.sh: how long does a whole container life take? Runs `echo hi`
# to exit with shibafu-ctr (libcontainer from Go), runc and crun on the
# same busybox bundle, side by side in one hyperfine run, and prints the
# ratios. Needs root, hyperfine, runc and crun (make setup installs them).
#
# Usage: sudo scripts/bench-phase1.sh        RUNS=100 for more runs
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
ctr=$repo/bin/shibafu-ctr
runs=${RUNS:-50}

if [ "$(id -u)" != 0 ]; then
	echo "bench-phase1: needs root (for namespaces and cgroups)" >&2
	exit 1
fi
for tool in hyperfine runc crun unshare; do
	command -v "$tool" >/dev/null || { echo "bench-phase1: $tool not found: run make setup" >&2; exit 1; }
done
if [ ! -x "$ctr" ]; then
	echo "bench-phase1: building $ctr"
	(cd "$repo/phase1-libcontainer" && go build -o "$ctr" ./cmd/shibafu-ctr)
fi

# Everything goes in one temporary directory, removed on exit with any
# container a failed run left behind. It must not be the directory of the
# binary: libcontainer seals /proc/self/exe with an overlayfs whose layers
# (the binary's directory and the state directory) must not nest.
tmp=$(mktemp -d /tmp/sbfbench.XXXXXX)
cleanup() {
	"$ctr" --root "$tmp/shibafu" delete -f $("$ctr" --root "$tmp/shibafu" ps -q) 2>/dev/null || true
	runc --root "$tmp/runc" delete -f bench 2>/dev/null || true
	crun --root "$tmp/crun" delete -f bench 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# A stopped shibafu container's directory is an OCI bundle: config.json
# (from bundle.Spec, the same spec shibafu-ctr runs) and a busybox rootfs.
# runc and crun run that very bundle.
"$ctr" --root "$tmp/shibafu" run --name bundle echo hi >/dev/null
bundle=$tmp/shibafu/containers/bundle
# crun 1.8 rejects specs newer than it knows ("unknown version
# specified"); the fields this spec uses are all in runtime-spec 1.0.2.
sed -i 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2"/' "$bundle/config.json"

# crun refuses hybrid cgroups (v1 controllers plus a cgroup2 mount at
# /sys/fs/cgroup/unified). In a private mount namespace without that
# mount it sees plain cgroup v1. So that the comparison is fair, all three
# runtimes run under this same wrapper; on a pure v2 host the umount
# fails harmlessly.
wrap="unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec \"\$0\" \"\$@\"'"

cd "$tmp"
hyperfine -N --warmup 5 --runs "$runs" \
	--export-csv "$tmp/results.csv" --export-markdown "$tmp/results.md" \
	--command-name shibafu "$wrap $ctr --root $tmp/shibafu run --rm --rootfs $bundle/rootfs echo hi" \
	--command-name runc "$wrap runc --root $tmp/runc run --bundle $bundle bench" \
	--command-name crun "$wrap crun --root $tmp/crun run --bundle $bundle bench"

echo
cat "$tmp/results.md"
echo
# results.csv: command,mean,stddev,median,user,system,min,max (seconds).
awk -F, '
	NR > 1 { median[$1] = $4 * 1000 }
	END {
		printf "median ms: shibafu %.1f, runc %.1f, crun %.1f\n",
			median["shibafu"], median["runc"], median["crun"]
		printf "shibafu/runc = %.2f, shibafu/crun = %.2f\n",
			median["shibafu"] / median["runc"], median["shibafu"] / median["crun"]
	}' "$tmp/results.csv"
