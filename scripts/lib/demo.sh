# demo.sh: narration helpers for the instructor walk-throughs
# (scripts/demo-phaseN.sh). Source it; it is not a program.
#
#   say TEXT...    print a line of narration
#   step 'CMD'     show a command line exactly as typed, then run it
#
# DEMO_PAUSE=1 waits for Enter before each step, for a live class.

if [ -t 1 ]; then
	_bold=$'\e[1m' _dim=$'\e[2m' _cyan=$'\e[36m' _reset=$'\e[0m'
else
	_bold='' _dim='' _cyan='' _reset=''
fi

say() {
	printf '\n%s# %s%s\n' "$_bold" "$*" "$_reset"
}

step() {
	printf '%s$ %s%s\n' "$_cyan" "$1" "$_reset"
	if [ "${DEMO_PAUSE:-0}" = 1 ]; then
		read -r -p "${_dim}(Enter to run)${_reset}" _ </dev/tty
	fi
	eval "$1"
}

# The demos run the binaries that make build put in bin/.
PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bin:$PATH"

# demo_workdir makes a scratch directory removed when the demo exits, and
# changes into it.
demo_workdir() {
	DEMO_DIR=$(mktemp -d /tmp/shibafu-demo.XXXXXX)
	trap 'demo_cleanup' EXIT
	cd "$DEMO_DIR"
}

demo_cleanup() {
	local rc=$?
	[ "$(type -t demo_teardown)" = function ] && demo_teardown
	cd /
	rm -rf "$DEMO_DIR"
	exit $rc
}
