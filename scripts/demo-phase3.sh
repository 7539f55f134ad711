#!/usr/bin/env bash
# Phase 3 walk-through: an OCI image store, layers and overlay snapshots.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
demo_workdir
export SHIBAFU_ROOT="$DEMO_DIR/state"
demo_teardown() {
	shibafu-image unmount --rm web >/dev/null 2>&1 || true
	shibafu-image unmount --rm first >/dev/null 2>&1 || true
}

say "An image made here from the static busybox: one layer, a config, a manifest."
step 'shibafu-image build-base busybox'
step 'shibafu-image ls'

say "The store is a standard OCI image layout: index.json names manifests by digest."
step 'ls "$SHIBAFU_ROOT/images" && jq -c ".manifests[]" "$SHIBAFU_ROOT/images/index.json"'

say "A snapshot is one overlay mount: the image's layers below, an empty upper dir on top."
step 'mnt=$(shibafu-image mount busybox web); echo "$mnt"'
step 'grep -o "lowerdir=[^,]*,upperdir=[^,]*" /proc/self/mountinfo | tail -1'

say "Writes land in the upper dir; a deleted lower file leaves a 0/0 device, a whiteout."
step 'echo "hello from a snapshot" > "$mnt/etc/motd"; rm "$mnt/etc/hostname"'
step 'ls -l "$SHIBAFU_ROOT/snapshots/mounts/web/upper/etc"'
step 'shibafu-image diff web'

say "Commit turns the upper dir into a new layer on top of the old ones, like docker commit."
step 'shibafu-image commit web busybox:motd -m demo'
step 'shibafu-image unmount --rm web'
step 'shibafu-image inspect busybox:motd | jq -c "[.manifest.layers[].digest]"'

say "Phase 1 containers run on snapshots. Two containers of one image share nothing writable."
step 'shibafu-image run --name first --keep busybox:motd -- sh -c "cat /etc/motd; echo mine > /data"'
step 'shibafu-image run busybox:motd -- sh -c "ls /data || echo no /data here"'
step 'shibafu-image diff first; shibafu-image unmount --rm first'

say "Other tools read the same store: umoci flattens it, skopeo copies it."
step 'umoci unpack --image "$SHIBAFU_ROOT/images:busybox:motd" bundle >/dev/null && cat bundle/rootfs/etc/motd'
step 'skopeo copy -q oci:"$SHIBAFU_ROOT/images":busybox:motd oci:copy:motd && ls copy'

say "rm drops a name; gc sweeps the blobs and unpacked layers nothing uses any more."
step 'shibafu-image rm busybox:motd && shibafu-image gc'
say "That is an image: content-addressed blobs, layers of changes, and overlayfs to stack them."
