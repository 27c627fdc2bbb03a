# shellcheck shell=sh
# tests/bench/lib.sh - what the bench scripts share; sourced after they cd
# to the top of the tree.
#
#   bench_init NAME   a temporary directory $T, removed at exit together
#                     with every process listed in $pids
#   wait_for FILE REGEX SECONDS   until a line of FILE matches; 1 on timeout
#   stop PID...       end processes we started and reap them
#   percentiles FILE  "P50 P90 N TIMEOUTS" of its latency lines
#   free_port         a loopback TCP port nobody listens on right now
#   xvfb RUN          a fresh Xvfb 1920x1080x24: DISPLAY and XVFB_PID
#   cpu PID           its CPU seconds so far (empty when it is gone)
#   bench_relay RUN   a relay on a free port: RELAY_PID, RELAY_ADDR; 1 if not
#   bench_master RUN ADDR ARGS...   a headless master: MASTER_PID and its
#                     first SESSION and CODE; 1 (said) if it did not start
#   latest_code RUN   the code the master of RUN shows now (single use)

# shellcheck disable=SC2317 # called by the EXIT trap
bench_cleanup() {
	for _p in $pids; do kill "$_p" 2>/dev/null || true; done
	for _p in $pids; do wait "$_p" 2>/dev/null || true; done
	if [ "${KEEP:-0}" = 1 ]; then echo "  kept $T"; else rm -rf "$T"; fi
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

# percentiles FILE: "P50 P90 N TIMEOUTS" of the latency lines in FILE
# (nearest rank; a timeout counts as 2000 ms); "n/a n/a 0 0" without any.
percentiles() {
	sed -n 's/^latency ms=\([0-9.]*\)$/\1/p; s/^latency timeout$/2000 timeout/p' "$1" |
	    sort -n | awk '{ v[++n] = $1; if ($2 == "timeout") t++ }
	    function rank(p,  i) { i = int(p * n / 100); if (i < p * n / 100) i++; return v[i] }
	    END { if (n == 0) print "n/a n/a 0 0";
	        else printf "%.1f %.1f %d %d\n", rank(50), rank(90), n, t }'
}

# free_port: a loopback TCP port nobody listens on right now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# cpu PID: its user+system CPU seconds so far (empty when it is gone).
# The scheduler's nanosecond run time of every thread of PID
# (/proc/PID/task/*/schedstat) where the kernel has it: utime+stime count
# in 10 ms ticks, too coarse for workloads that cost a tenth of a second.
cpu() {
	if [ -r "/proc/$1/schedstat" ]; then
		cat /proc/"$1"/task/*/schedstat 2>/dev/null |
		    awk '{ ns += $1 } END { if (NR) printf "%.3f\n", ns / 1e9 }'
		return
	fi
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null |
	    awk -v t="$(getconf CLK_TCK 2>/dev/null || echo 100)" \
	    '{ printf "%.2f\n", ($12 + $13) / t }'
}

# bench_relay RUN: a relay for one run on a free loopback port, its files
# $T/RUN.relay.*; sets RELAY_PID and RELAY_ADDR, or says why and returns 1.
bench_relay() {
	"$B/fernsicht-relay" --listen 127.0.0.1:0 --state-dir "$T" --sessions-per-min 100000 \
	    >"$T/$1.relay.out" 2>"$T/$1.relay.log" &
	RELAY_PID=$!
	pids="$pids $RELAY_PID"
	if ! wait_for "$T/$1.relay.out" '^listening=' 10; then
		echo "  $1: relay did not start"
		return 1
	fi
	RELAY_ADDR=$(sed -n 's/^listening=//p' "$T/$1.relay.out" | head -1)
}

# bench_master RUN ADDR ARGS...: a headless master through the relay at
# ADDR that lets everyone in (--auto-accept, --fps $FPS), its files
# $T/RUN.master.*; sets MASTER_PID, SESSION and CODE, or says why and
# returns 1.
bench_master() {
	_run=$1 _addr=$2
	shift 2
	"$B/fernsicht-master" --relay "$_addr" --headless --auto-accept --fps "$FPS" \
	    --name bench "$@" </dev/null >"$T/$_run.master.out" 2>"$T/$_run.master.log" &
	MASTER_PID=$!
	pids="$pids $MASTER_PID"
	if ! wait_for "$T/$_run.master.out" '^session=' 10; then
		echo "  $_run: master did not start: $(tail -2 "$T/$_run.master.log")"
		return 1
	fi
	SESSION=$(grep '^session=' "$T/$_run.master.out" | tail -1 |
	    sed 's/session=\([0-9]*\) .*/\1/')
	CODE=$(latest_code "$_run")
}

# latest_code RUN: the code the master of RUN shows now; each code lets one
# viewer in, so every viewer takes the one shown when it starts.
latest_code() {
	grep '^session=' "$T/$1.master.out" | tail -1 | sed 's/.*code=\([0-9]*\).*/\1/'
}

# xvfb RUN: a fresh X server for one run; sets DISPLAY and XVFB_PID.
xvfb() {
	Xvfb -displayfd 9 -screen 0 1920x1080x24 -nolisten tcp -noreset \
	    +extension MIT-SHM +extension DAMAGE +extension XFIXES +extension RANDR \
	    +extension XTEST 9>"$T/$1.xvfb.num" 2>"$T/$1.xvfb.log" &
	XVFB_PID=$!
	pids="$pids $XVFB_PID"
	wait_for "$T/$1.xvfb.num" '^[0-9]+' 10 || return 1
	DISPLAY=:$(head -1 "$T/$1.xvfb.num")
	export DISPLAY
}
