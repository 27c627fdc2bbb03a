# shellcheck shell=sh
# tests/bench/lib.sh - what the bench scripts share; sourced after they cd
# to the top of the tree.
#
#   bench_init NAME   a temporary directory $T, removed at exit together
#                     with every process listed in $pids
#   wait_for FILE REGEX SECONDS   until a line of FILE matches; 1 on timeout
#   stop PID...       end processes we started and reap them

# shellcheck disable=SC2317 # called by the EXIT trap
bench_cleanup() {
	for _p in $pids; do kill "$_p" 2>/dev/null || true; done
	for _p in $pids; do wait "$_p" 2>/dev/null || true; done
	rm -rf "$T"
}

bench_init() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/fernsicht-$1.XXXXXX")
	pids=""
	trap bench_cleanup EXIT
	trap 'exit 1' INT TERM
}

# Polls every 10 ms: tiers.sh times first frames with it.
wait_for() {
	_i=0
	until grep -Eq "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt $(($3 * 100)) ] || return 1
		sleep 0.01
	done
}

stop() {
	for _p in "$@"; do kill "$_p" 2>/dev/null || true; done
	for _p in "$@"; do wait "$_p" 2>/dev/null || true; done
}
