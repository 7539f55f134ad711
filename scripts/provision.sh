#!/usr/bin/env bash
# provision.sh prepares a Debian 12 host for Shibafu: the packages its
# phases and tests use, a Go toolchain, and the kernel settings containers
# need. It is idempotent: a second run changes nothing and takes seconds.
# `make setup`, the course VM (Vagrantfile) and CI all run it, as root.
set -euo pipefail

GO_VERSION=1.26.8
GO_ROOT=/usr/local/go

# Packages by purpose. Every one comes from Debian 12's own archive.
PACKAGES=(
	# build
	build-essential git make curl ca-certificates unzip jq bc
	# phase 0/1: runtimes, a static busybox for root filesystems; podman
	# for the phase 7 benchmark
	runc crun busybox-static podman
	# phase 2/4: networking; wrk, nginx and haproxy for the proxy benchmark
	iproute2 iptables iputils-ping wrk nginx haproxy
	# phase 3/5: image tools to check interoperability; distribution's
	# registry for the registry benchmark
	skopeo umoci docker-registry
	# phase 6: DNS tools, and dnsmasq and dnsperf for the benchmark
	dnsutils dnsmasq dnsperf
	# benchmarks
	hyperfine
	# the test run checks the course VM definition
	vagrant
	# phase 8: the dashboard's browser tests drive headless Chromium
	chromium
	# phase 8: Pebble, Let's Encrypt's test CA, for the HTTPS lab tests
	pebble
)

log() { printf '==> %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "provision.sh must run as root (try: sudo make setup)" >&2
	exit 1
fi
if ! grep -q 'VERSION_ID="12"' /etc/os-release 2>/dev/null; then
	echo "warning: Shibafu is tested on Debian 12; this host is not" >&2
fi

install_packages() {
	local missing=()
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		log "packages: all installed"
		return
	fi
	log "packages: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Servers such as nginx start themselves on install. Shibafu only runs
	# its own instances, on loopback ports, so keep them stopped.
	local policy=/usr/sbin/policy-rc.d created=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1
	fi
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	[ "$created" = 1 ] && rm -f "$policy"
	return 0
}

# go_ok tells whether the Go at $GO_ROOT is at least $GO_VERSION's minor
# release.
go_ok() {
	[ -x "$GO_ROOT/bin/go" ] || return 1
	local have
	have=$("$GO_ROOT/bin/go" env GOVERSION 2>/dev/null | sed 's/^go//')
	[ "$(printf '%s\n%s\n' "${GO_VERSION%.*}" "${have%.*}" | sort -V | head -n1)" = "${GO_VERSION%.*}" ]
}

# install_go fetches the Go toolchain as the module golang.org/toolchain
# from the Go module proxy (the same download `GOTOOLCHAIN=go1.26.8`
# makes), since Debian 12's own Go (1.19) is too old.
install_go() {
	if go_ok; then
		log "go: $("$GO_ROOT/bin/go" env GOVERSION) at $GO_ROOT"
	else
		local proxy="${GOPROXY:-https://proxy.golang.org}"
		proxy="${proxy%%,*}"
		local zip=/tmp/go-toolchain-$$.zip tmp=/tmp/go-toolchain-$$
		log "go: installing go$GO_VERSION from $proxy"
		curl -fsSL -o "$zip" "$proxy/golang.org/toolchain/@v/v0.0.1-go$GO_VERSION.linux-amd64.zip"
		rm -rf "$tmp" && mkdir -p "$tmp"
		unzip -q "$zip" -d "$tmp"
		rm -rf "$GO_ROOT"
		mv "$tmp/golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-amd64" "$GO_ROOT"
		# Module zips do not keep file modes.
		chmod +x "$GO_ROOT"/bin/* "$GO_ROOT"/pkg/tool/*/*
		rm -rf "$zip" "$tmp"
	fi
	if [ ! -e /etc/profile.d/shibafu-go.sh ]; then
		echo 'export PATH=$PATH:/usr/local/go/bin' >/etc/profile.d/shibafu-go.sh
	fi
	ln -sf "$GO_ROOT/bin/go" /usr/local/bin/go
	ln -sf "$GO_ROOT/bin/gofmt" /usr/local/bin/gofmt
}

# kernel_settings turns on what container networking needs, now and at
# every boot.
kernel_settings() {
	local conf=/etc/sysctl.d/90-shibafu.conf
	cat >"$conf.tmp" <<-'EOF'
		# Shibafu: routing between container bridges and the outside.
		net.ipv4.ip_forward = 1
	EOF
	mv "$conf.tmp" "$conf"
	modprobe overlay 2>/dev/null || true
	sysctl -q -w net.ipv4.ip_forward=1
	mkdir -p /var/lib/shibafu /run/shibafu
	log "kernel: ip_forward=$(sysctl -n net.ipv4.ip_forward)"
}

# quiet_services stops the system copies of the servers that the
# benchmarks compare against: Shibafu runs its own instances on loopback
# ports, and the system ones would hold ports 53, 80 and 5000 that
# Shibafu's DNS, router and registry use.
quiet_services() {
	[ -d /run/systemd/system ] || return 0
	local s
	for s in nginx haproxy docker-registry dnsmasq; do
		if systemctl is-enabled --quiet "$s" 2>/dev/null || systemctl is-active --quiet "$s" 2>/dev/null; then
			systemctl disable --now --quiet "$s" 2>/dev/null || true
			log "services: disabled $s"
		fi
	done
}

install_packages
quiet_services
install_go
kernel_settings
log "host ready"
