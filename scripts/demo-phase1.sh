#!/usr/bin/env bash
# Phase 1 walk-through: containers driven from Go through libcontainer.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
demo_workdir
export CTR_ROOT="$DEMO_DIR/state"
ctr() { shibafu-ctr --root "$CTR_ROOT" "$@"; }
demo_teardown() { ctr delete -f web >/dev/null 2>&1 || true; }

say "shibafu-ctr is a Go program: libcontainer (runc's engine) is linked in."
step 'ctr run --rm --hostname demo sh -c "echo I am PID \$\$ on \$(hostname)"'

say "A detached container with limits. A shim process stays behind to wait for it."
step 'ctr run -d --name web --memory 32m --pids-limit 20 httpd -f -p 8080'
step 'ctr ps'
say "The container's PID 1 is a child of its shim, not of our shell:"
step 'pid=$(ctr state web | jq .pid); ps -o pid,ppid,args -p "$pid,$(ps -o ppid= -p "$pid" | tr -d " ")"'

say "exec joins the container's namespaces: it sees only the container's processes."
step 'ctr exec web ps'

say "Usage and limits come straight from the container's cgroup files."
step 'ctr stats web'
step 'cat /sys/fs/cgroup/memory/shibafu/web/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/shibafu/web/memory.max'

say "Pause freezes every process (the freezer cgroup); resume thaws them."
step 'ctr pause web && ctr ps'
step 'ctr resume web'

say "Kill it. The shim records the exit status, then removes the cgroups."
step 'ctr kill web; sleep 0.5; ctr ps'
step 'ctr delete web'

say "A memory hog under a 32 MiB limit: the kernel's OOM killer ends it."
step 'ctr run --name hog --memory 32m sh -c "x=\$(head -c 100000000 /dev/zero | tr \"\\0\" a)" || true'
step 'ctr ps; ctr delete hog'
say "Every container above was created, watched and removed from Go."
