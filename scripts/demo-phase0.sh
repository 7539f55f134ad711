#!/usr/bin/env bash
# Phase 0 walk-through: an OCI bundle, run by the real runc.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
demo_workdir
export RUNC_ROOT="$DEMO_DIR/state"
demo_teardown() { shibafu-bundle --root "$RUNC_ROOT" delete --force web >/dev/null 2>&1 || true; }

say "A bundle is a directory: a root filesystem and a config.json."
step 'shibafu-bundle init hello --hostname demo -- sh -c "echo hello from PID \$\$ on \$(hostname)"'
step 'ls hello; ls hello/rootfs'

say "config.json is the OCI runtime spec: process, namespaces, mounts, limits."
step "jq -c '.process.args, [.linux.namespaces[].type]' hello/config.json"

say "runc turns it into clone(2), mounts, pivot_root(2) and execve(2)."
step 'shibafu-bundle --root "$RUNC_ROOT" run hello'

say "The container's exit code becomes ours."
step 'shibafu-bundle init fails -- sh -c "exit 42"'
step 'shibafu-bundle --root "$RUNC_ROOT" run fails || echo "exit code: $?"'

say "Limits are cgroup files. Start a web server in the background with 64 MiB."
step 'shibafu-bundle init web --memory 64m -- httpd -f -p 8080'
step 'shibafu-bundle --root "$RUNC_ROOT" run --detach --id web web'
step 'shibafu-bundle --root "$RUNC_ROOT" list'
step 'pid=$(shibafu-bundle --root "$RUNC_ROOT" state web | jq .pid); grep -E "memory|pids" /proc/$pid/cgroup'

say "Stop it with a signal, then delete its state and cgroups."
step 'shibafu-bundle --root "$RUNC_ROOT" kill web KILL; sleep 0.3'
step 'shibafu-bundle --root "$RUNC_ROOT" delete web'
step 'shibafu-bundle --root "$RUNC_ROOT" list'
say "That is a container: a process, namespaces, cgroups and a root directory."
