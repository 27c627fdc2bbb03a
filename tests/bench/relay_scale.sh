#!/bin/sh
# tests/bench/relay_scale.sh - many small sessions at once: the latency the
# relay adds to 100-byte frames sent 10 times a second by every session's
# master to its viewer, against pair_forward (a plain epoll forwarder that
# pairs connections in order, no protocol) carrying the same frames in the
# same run. Both are timed by the same tool (tests/tools/relay_load.c).
#
# Environment: RELAY_SCALE_SESSIONS ("1000 3000 9950x2 9950x4": N sessions,
# or NxHZ for N at HZ frames a second), RELAY_SCALE_SECONDS (6) measured per
# run after 2 s of warm-up, RELAY_SCALE_HZ (10) frames a second per session
# where an entry names none, RELAY_SCALE_ROUNDS (3): rounds
# of relay then forwarder, a fresh relay and forwarder for each run; every
# round is printed (none is picked), and so are its "bench:" lines. B (build).
# RELAY_SCALE_BEFORE: another fernsicht-relay binary (an older build) run as
# a third contender in each round, "before", to measure a change in one run.
# RELAY_SCALE_PIN (1 where taskset and two or more cores are there; 0 to
# leave it to the scheduler): the forwarder on the first core, relay_load on
# the second, so that neither takes the other's time and a saturated
# forwarder shows as its own CPU near 100 %, not as the load's queue.
#
# 9950 sessions, not 10,000: one process may hold 20,000 descriptors on
# the machines this runs on (the hard RLIMIT_NOFILE, which only
# CAP_SYS_RESOURCE raises), and the relay holds 2 a session and keeps 97
# for itself (it says so at start, and refuses connections past that).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
# 10,000 sessions at 10 Hz (100,000 frames a second) is more than two cores
# carry for the load alone: there, 2 and 4 Hz (docs/benchmarks.md)
SESSIONS=${RELAY_SCALE_SESSIONS:-1000 3000 9950x2 9950x4}
SECS=${RELAY_SCALE_SECONDS:-6}
ROUNDS=${RELAY_SCALE_ROUNDS:-3}
HZ=${RELAY_SCALE_HZ:-10}
PIN=${RELAY_SCALE_PIN:-1}
if [ "$PIN" = 1 ] && { ! command -v taskset >/dev/null || [ "$(nproc)" -lt 2 ]; }; then
	PIN=0
fi
# on_core N: the command prefix that keeps a process on core N when pinning
on_core() { [ "$PIN" = 1 ] && echo "taskset -c $1"; }
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init relay-scale

for f in fernsicht-relay tools/relay_load tools/pair_forward; do
	[ -x "$B/$f" ] || { echo "relay_scale: $B/$f missing (make all tests)" >&2; exit 1; }
done
# (ulimit -n is not POSIX, but dash and bash have it)
# shellcheck disable=SC3045
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# shellcheck disable=SC3045
echo "descriptors per process: $(ulimit -n)"
echo "sessions: $SESSIONS; $SECS s measured per run; 100-byte bodies, $HZ Hz unless NxHZ"
[ "$PIN" = 1 ] && echo "forwarder on core 0, relay_load on core 1"

# one run: "relay", "before" or "plain", N or NxHZ sessions; the line of
# relay_load into $T/NAME.out
run() {
	_count=${2%x*}
	_hz=$HZ
	case $2 in *x*) _hz=${2#*x} ;; esac
	_port=$(free_port)
	if [ "$1" != plain ]; then
		_bin="$B/fernsicht-relay"
		[ "$1" = before ] && _bin=$RELAY_SCALE_BEFORE
		# shellcheck disable=SC2046 # on_core's words are meant to split
		$(on_core 0) "$_bin" --listen "127.0.0.1:$_port" --log-level warn \
		    >"$T/$3.fwd.log" 2>&1 &
	else
		# shellcheck disable=SC2046
		$(on_core 0) "$B/tools/pair_forward" "127.0.0.1:$_port" >"$T/$3.fwd.log" 2>&1 &
	fi
	_fp=$!
	pids="$pids $_fp"
	if ! wait_for "$T/$3.fwd.log" "listening=" 10; then
		echo "relay_scale: $1 did not listen" >&2
		cat "$T/$3.fwd.log" >&2
		stop $_fp
		return 1
	fi
	_mode=relay
	[ "$1" = plain ] && _mode=plain
	# shellcheck disable=SC2046
	timeout $((SECS + 120)) $(on_core 1) "$B/tools/relay_load" $_mode "127.0.0.1:$_port" \
	    "$_count" "$SECS" "$_fp" "$_hz" >"$T/$3.out" 2>"$T/$3.log"
	_rc=$?
	stop $_fp
	[ $_rc = 0 ] || { echo "relay_scale: $1 $2 failed:" >&2; tail -3 "$T/$3.log" >&2
		tail -3 "$T/$3.fwd.log" >&2; return 1; }
	return 0
}

val() { sed -n "s/.*[ ^]$2=\([0-9.-]*\).*/\1/p" "$T/$1.out"; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

vias="relay plain"
[ -n "${RELAY_SCALE_BEFORE:-}" ] && vias="before relay plain"
fail=0
printf '%-8s %-5s %-6s %9s %9s %9s %9s %8s %7s %6s %6s\n' sessions round via p50_us p99_us \
    p999_us max_us frames lost cpu% load%
for n in $SESSIONS; do
	r=1
	while [ $r -le "$ROUNDS" ]; do
		# every other round the other way round: no contender always goes
		# first on a freshly quiet machine or last after the others' sockets
		order=$vias
		if [ $((r % 2)) = 0 ]; then
			order=""
			for via in $vias; do order="$via $order"; done
		fi
		for via in $order; do
			id="$via.$n.$r"
			run "$via" "$n" "$id" || { fail=1; continue; }
			printf '%-8s %-5s %-6s %9s %9s %9s %9s %8s %7s %6s %6s\n' "$n" "$r" \
			    "$via" "$(val "$id" p50_us)" "$(val "$id" p99_us)" \
			    "$(val "$id" p999_us)" "$(val "$id" max_us)" "$(val "$id" frames)" \
			    "$(val "$id" lost)" "$(val "$id" fwd_cpu_pct)" "$(val "$id" load_cpu_pct)"
		done
		r=$((r + 1))
	done
done

echo
echo "relay / forwarder, each round (same run):"
printf '%-8s %-5s %-6s %7s %7s %7s %7s\n' sessions round via p50 p99 p999 cpu
for n in $SESSIONS; do
	r=1
	while [ $r -le "$ROUNDS" ]; do
		for via in ${vias% plain}; do
			id="$via.$n.$r"
			if [ ! -s "$T/$id.out" ] || [ ! -s "$T/plain.$n.$r.out" ]; then
				continue
			fi
			printf '%-8s %-5s %-6s' "$n" "$r" "$via"
			for k in p50_us p99_us p999_us fwd_cpu_pct; do
				_q=$(div "$(val "$id" $k)" "$(val "plain.$n.$r" $k)")
				printf ' %7s' "$_q"
				echo "$n $via $k $_q" >>"$T/ratios"
			done
			echo
		done
		for via in $vias; do
			id="$via.$n.$r"
			[ -s "$T/$id.out" ] || continue
			for k in p50_us p99_us p999_us fwd_cpu_pct; do
				echo "bench: relay_scale_${n}_r${r}_${via}_$k = $(val "$id" $k)"
			done >>"$T/bench"
		done
		r=$((r + 1))
	done
done

# The rounds of one contender differ about as much as the contenders do:
# the median of the rounds' ratios is the figure to quote.
if [ -s "$T/ratios" ]; then
	echo
	echo "relay / forwarder, median over the rounds:"
	printf '%-8s %-6s %7s %7s %7s %7s\n' sessions via p50 p99 p999 cpu
	for n in $SESSIONS; do
		for via in ${vias% plain}; do
			printf '%-8s %-6s' "$n" "$via"
			for k in p50_us p99_us p999_us fwd_cpu_pct; do
				_m=$(awk -v n="$n" -v v="$via" -v k="$k" '$1 == n && $2 == v && $3 == k &&
				    $4 != "-" { q[++c] = $4 } END {
					if (c == 0) { print "-"; exit }
					for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
						if (q[j] < q[i]) { t = q[i]; q[i] = q[j]; q[j] = t }
					printf "%.2f", c % 2 ? q[(c + 1) / 2] : (q[c / 2] + q[c / 2 + 1]) / 2
				    }' "$T/ratios")
				printf ' %7s' "$_m"
				echo "bench: relay_scale_${n}_${via}_median_${k%_*}_ratio = $_m" >>"$T/bench"
			done
			echo
		done
	done
fi
[ -f "$T/bench" ] && cat "$T/bench"
exit $fail
