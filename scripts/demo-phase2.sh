#!/usr/bin/env bash
# Phase 2 walk-through: container networks from bridges, veth pairs, IPAM,
# NAT and iptables isolation, with shibafu-net running phase 1 containers.
# Everything lives on 10.217.0.0/16 and in namespaces the demo makes; no
# packet leaves the machine.
set -euo pipefail
source "$(dirname "$0")/lib/demo.sh"
demo_workdir
export NET_ROOT="$DEMO_DIR/state"
demo_teardown() {
	shibafu-net --root "$NET_ROOT" stop web >/dev/null 2>&1 || true
	shibafu-net --root "$NET_ROOT" rm demo-front demo-back >/dev/null 2>&1 || true
	ip link del demo-world 2>/dev/null || true
	ip netns del demo-world 2>/dev/null || true
}
sn() { shibafu-net --root "$NET_ROOT" "$@"; }

say "A network is a Linux bridge (a virtual switch) holding the subnet's gateway."
step 'sn create --subnet 10.217.1.0/24 demo-front'
step 'sn create --subnet 10.217.2.0/24 demo-back'
step 'ip -br addr show demo-front; sn ls'

say "Overlapping subnets are refused before anything changes."
step 'sn create --subnet 10.217.1.0/25 demo-clash || true'

say "A container joins through a veth pair: eth0 inside, the other end on the bridge."
step 'sn run -d --name web --network demo-front --hostname web sh -c "echo hello from web > /index.html; exec httpd -f -p 80 -h /"'
step 'bridge link show master demo-front'
step "sn inspect demo-front | jq '.[0].endpoints[0]'"
web=$(sn inspect demo-front | jq -r '.[0].endpoints[0].address | split("/")[0]')

say "The address came from a pool on disk, locked with flock(2) for concurrent callers."
step 'jq . "$NET_ROOT/networks/demo-front/ipam.json"'

say "Containers on the same network reach each other."
step "sn run --network demo-front sh -c 'ip -4 -o addr show eth0; ip route; ping -c 1 -W 1 $web'"

say "Networks are isolated by a two-stage rule in Shibafu's own chains."
step 'iptables -S SHIBAFU-ISOLATE-1; iptables -S SHIBAFU-ISOLATE-2'
step "sn run --network demo-back sh -c 'nc -w 1 $web 80 </dev/null' || echo 'isolated: no way from demo-back to demo-front'"

say "A container on both networks has eth0 and eth1 and reaches both."
step "sn run --network demo-back --network demo-front sh -c \"ip -4 -o addr | grep eth; printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 2 $web 80 | tail -1\""

say "Egress: a namespace plays the outside world, on a subnet with no route back."
step 'ip netns add demo-world; ip link add demo-world type veth peer name eth0 netns demo-world'
step 'ip addr add 10.217.9.1/24 dev demo-world; ip link set demo-world up'
step 'ip -n demo-world addr add 10.217.9.2/24 dev eth0; ip -n demo-world link set eth0 up; ip -n demo-world link set lo up'
printf '#!/bin/sh\nss -Htn state established "( sport = :9000 )" | awk "{print \\$4}"\n' > who.sh
chmod +x who.sh
say "Its server answers with the source address it sees: the host's, thanks to MASQUERADE."
step 'iptables -t nat -S SHIBAFU-POSTROUTING'
step "ip netns exec demo-world timeout 10 busybox nc -l -p 9000 -e ./who.sh & sleep 0.3; sn run --network demo-front sh -c 'sleep 1 | nc -w 2 10.217.9.2 9000'; wait"

say "Take it all down: the container, its veth pair and address, the networks and their rules."
step 'sn stop web'
step 'sn rm demo-front demo-back; sn ls'
step 'ip link del demo-world; ip netns del demo-world'
step 'iptables -S | grep SHIBAFU || echo "no SHIBAFU rules left"'
say "That is container networking: namespaces, cables, a switch, routes and NAT."
