#!/usr/bin/env bash
# Phase 5 walk-through: an OCI registry, and pushing and pulling images.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
demo_workdir
export SHIBAFU_ROOT="$DEMO_DIR/state"
demo_teardown() {
	[ -n "${REG_PID:-}" ] && kill "$REG_PID" 2>/dev/null || true
}

say "A registry is an HTTP server for the OCI distribution API. Ours keeps its content under \$SHIBAFU_ROOT/registry."
step 'shibafu-registry serve --addr 127.0.0.1:0 --addr-file addr 2>registry.log & REG_PID=$!'
step 'for i in $(seq 1 100); do [ -s addr ] && break; sleep 0.1; done; REG=$(cat addr); echo "$REG"'
step 'curl -si "http://$REG/v2/" | head -n 1'

say "Blobs are named by their SHA-256. A push whose bytes do not match the name is refused."
step 'printf "hello\n" >hello.txt; D=sha256:$(sha256sum hello.txt | cut -d" " -f1); echo "$D"'
step 'curl -s -o /dev/null -w "%{http_code}\n" -X POST --data-binary @hello.txt "http://$REG/v2/demo/hello/blobs/uploads/?digest=$D"'
step 'curl -s -X POST --data-binary @hello.txt "http://$REG/v2/demo/hello/blobs/uploads/?digest=sha256:$(printf x | sha256sum | cut -d" " -f1)"; echo'

say "A real image from the phase 3 store: blobs first, then the manifest that names them."
step 'shibafu-image build-base busybox >/dev/null && shibafu-registry push busybox "$REG/demo/busybox:1.36"'
step 'shibafu-registry inspect "$REG/demo/busybox:1.36" | jq -c "{digest, layers: [.manifest.layers[].digest]}"'

say "Pushing to a second repository sends no layer again: the registry mounts what it has."
step 'shibafu-registry push busybox "$REG/demo/again:1"'
step 'grep -o "\"method\":\"[A-Z]*\",\"path\":\"/v2/demo/again[^\"]*\",\"status\":[0-9]*" registry.log'

say "Any OCI tool speaks the same API: skopeo copies the image back out, and our client pulls it."
step 'skopeo copy -q --src-tls-verify=false "docker://$REG/demo/busybox:1.36" oci:copy:1.36 && ls copy/blobs/sha256'
step 'shibafu-registry pull "$REG/demo/busybox:1.36" busybox:pulled && shibafu-image ls'
step 'shibafu-registry tags "$REG/demo/busybox"'

say "Deleting a manifest frees nothing at once; garbage collection sweeps what nothing needs."
step 'M=$(shibafu-registry inspect "$REG/demo/again:1" | jq -r .digest); curl -s -o /dev/null -w "%{http_code}\n" -X DELETE "http://$REG/v2/demo/again/manifests/$M"'
step 'shibafu-registry gc --grace 0 && shibafu-registry fsck'
say "That is a registry: content-addressed blobs, manifests that name them, and an API any tool can speak."
