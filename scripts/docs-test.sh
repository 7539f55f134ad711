#!/usr/bin/env bash
# docs-test.sh runs the runnable commands of the lessons, so that no lesson
# can drift from the code.
#
# In a lesson, a fenced block whose info string is exactly "sh run" is
# runnable; any other block is only shown. The runnable blocks of one
# lesson run in order in one bash process (so a variable set in one block
# is seen by the next) with `set -euo pipefail`, as root, in a fresh
# temporary directory, with the repository's bin/ first on PATH and
# SHIBAFU_ROOT naming a fresh state root. A block that fails fails the
# lesson, and the report names the block's line in the lesson. A lesson
# that runs longer than DOCS_TEST_TIMEOUT seconds (default 900) is
# stopped and fails, so that a command that hangs cannot hang the run.
#
# usage: scripts/docs-test.sh LESSON.md...
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
failed=0
passed=0

# extract writes LESSON's runnable blocks as one bash script on stdout,
# each block announced with its line number.
extract() {
	awk -v file="$1" '
		/^```sh run[[:space:]]*$/ { inblock = 1; start = NR;
			printf "echo \"--- %s:%d\" >&2\n__block=%d\n", file, NR + 1, NR + 1; next }
		/^```/ && inblock { inblock = 0; next }
		inblock { print }
	' "$1"
}

for lesson in "$@"; do
	blocks=$(grep -c '^```sh run[[:space:]]*$' "$lesson" || true)
	if [ "$blocks" -eq 0 ]; then
		echo "docs-test: $lesson has no runnable blocks, skipped"
		continue
	fi
	work=$(mktemp -d /tmp/sbf-docs.XXXXXX)
	mkdir -p "$work/root" "$work/cwd"
	script="$work/lesson.sh"
	{
		echo 'set -euo pipefail'
		echo "echo \$\$ >'$work/sid'"
		echo 'trap '\''echo "docs-test: FAILED in the block at '"$lesson"':$__block" >&2'\'' ERR'
		extract "$lesson"
	} >"$script"

	echo "=== docs-test: $lesson ($blocks runnable blocks)"
	# The lesson runs in a process group of its own, so that a server it
	# started in the background and never reached the block that stops
	# (because an earlier block failed) is ended here.
	if (cd "$work/cwd" && PATH="$repo/bin:$PATH" SHIBAFU_ROOT="$work/root" \
		SHIBAFU_REPO="$repo" timeout "${DOCS_TEST_TIMEOUT:-900}" \
		setsid --wait bash "$script"); then
		passed=$((passed + 1))
	else
		[ $? -eq 124 ] && echo "docs-test: $lesson took over ${DOCS_TEST_TIMEOUT:-900}s, stopped" >&2
		failed=$((failed + 1))
		pkill -TERM -s "$(cat "$work/sid")" 2>/dev/null || true
	fi
	# A lesson cleans up after itself; this catches what a failed one left.
	umount -R "$work" 2>/dev/null || true
	rm -rf "$work"
done

echo "docs-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
