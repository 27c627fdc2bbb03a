#!/bin/sh
# tests/bench/viewers.sh - many viewers of one screen: the master's CPU and
# each viewer's frames with 1, 2 and 3 headless viewers of one session
# (viewers in step share one zstd stream, master/shared_stream.h: three
# should cost the master little more than one, and each should get the
# frames one alone gets). Three workloads, one run per viewer count:
#
#   animation  relay + master --source x11 on a fresh Xvfb 1920x1080x24 +
#              workload.sh animation (a 200x200 region repainted with a
#              new image every 100 ms for 10 s)
#   pattern    relay + master --source test-pattern --size 1280x720
#              (VIEWERS_PATTERN_SIZE): a moving bar and a noise tile every
#              frame, for VIEWERS_SECONDS
#   big        master --source x11 --lossless on Xvfb, a 1600x900 region
#              repainted with a new image (x11_paint: colour bars and
#              noise) every 50 ms for VIEWERS_SECONDS (x11_paint's start
#              makes it fewer): the largest diffs of the three
#
# The master's CPU seconds (run time of its threads, /proc/PID/task/*/
# schedstat, or utime+stime) from just before the workload to just after
# VIEWERS_DRAIN; frames are each viewer's decoded frames in that time, and
# ms/frame the master's CPU per frame the first viewer decoded (the x11
# workloads' frame counts vary from run to run with x11_paint's pace).
#
# Environment: VIEWERS_COUNTS ("1 2 3"), VIEWERS_WORKLOADS ("animation
# pattern big"), VIEWERS_SECONDS (10), VIEWERS_DRAIN (1), VIEWERS_FPS (30) the
# master's frame cap, VIEWERS_PATTERN_SIZE (1280x720), B (build) where the
# programs are.
# Ends with "bench: viewers ..." lines for grep; exit 1 only when a
# measurement could not be taken.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
COUNTS=${VIEWERS_COUNTS:-1 2 3}
WORKLOADS=${VIEWERS_WORKLOADS:-animation pattern big}
SECS=${VIEWERS_SECONDS:-10}
DRAIN=${VIEWERS_DRAIN:-1}
FPS=${VIEWERS_FPS:-30}
PATTERN_SIZE=${VIEWERS_PATTERN_SIZE:-1280x720}
missing=""
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init viewers

for f in fernsicht-relay fernsicht-master fernsicht-viewer tools/x11_paint; do
	[ -x "$B/$f" ] || { echo "bench: $B/$f missing (make all tests)" >&2; exit 1; }
done
for c in Xvfb xterm xdotool timeout; do
	command -v $c >/dev/null 2>&1 || { sh scripts/deps.sh || exit 1; break; }
done

# big_paint: a new 1600x900 picture every 50 ms for SECS seconds.
big_paint() {
	_old="" _seed=1 _end=$(($(date +%s) + SECS))
	while [ "$(date +%s)" -lt "$_end" ]; do
		"$B/tools/x11_paint" 160 90 1600 900 "$_seed" >"$T/paint.out" 2>&1 &
		_p=$!
		wait_for "$T/paint.out" '^painted' 10 || true
		[ -z "$_old" ] || stop "$_old"
		_old=$_p _seed=$((_seed + 1))
		sleep 0.05
	done
	[ -z "$_old" ] || stop "$_old"
}

# run WORKLOAD N: sets R_CPU and R_FRAMES ("a/b/c"), empty when not measured.
run() {
	_r=$1-$2
	R_CPU="" R_FRAMES=""
	_stop=""
	if [ "$1" = animation ] || [ "$1" = big ]; then
		xvfb "$_r" || { echo "  $_r: Xvfb did not start"; return; }
		_stop=$XVFB_PID
		if [ "$1" = big ]; then
			set -- "$1" "$2" --source x11 --lossless
		else
			set -- "$1" "$2" --source x11
		fi
	else
		set -- "$1" "$2" --source test-pattern --size "$PATTERN_SIZE"
	fi
	bench_relay "$_r" || { stop "$RELAY_PID" $_stop; return; }
	_addr=$RELAY_ADDR
	_stop="$RELAY_PID $_stop"
	_w=$1 _n=$2
	shift 2
	bench_master "$_r" "$_addr" "$@" || { stop "$MASTER_PID" $_stop; return; }
	_master=$MASTER_PID
	_stop="$_master $_stop"
	_k=1
	while [ $_k -le "$_n" ]; do
		"$B/fernsicht-viewer" --relay "$_addr" "$SESSION" --code "$(latest_code "$_r")" \
		    --headless \
		    --name "v$_k" >"$T/$_r.v$_k.out" 2>"$T/$_r.v$_k.log" &
		_v=$!
		pids="$pids $_v"
		_stop="$_v $_stop"
		if ! wait_for "$T/$_r.v$_k.out" '^frame ' 15; then
			echo "  $_r: no frame reached viewer $_k: $(tail -2 "$T/$_r.v$_k.log")"
			stop $_stop
			return
		fi
		_k=$((_k + 1))
	done
	sleep 1         # every viewer in step (and on the shared stream)
	_c0=$(cpu "$_master")
	_k=1
	while [ $_k -le "$_n" ]; do
		eval "_l$_k=\$(grep -c '^frame ' \"\$T/\$_r.v\$_k.out\")"
		_k=$((_k + 1))
	done
	if [ "$_w" = animation ]; then
		LANG=C timeout 60 sh tests/bench/workload.sh animation >"$T/$_r.workload.log" 2>&1 ||
		    echo "  $_r: workload failed: $(tail -2 "$T/$_r.workload.log")"
	elif [ "$_w" = big ]; then
		big_paint
	else
		sleep "$SECS"
	fi
	sleep "$DRAIN"
	_c1=$(cpu "$_master")
	_k=1
	while [ $_k -le "$_n" ]; do
		eval "_f=\$((\$(grep -c '^frame ' \"\$T/\$_r.v\$_k.out\") - _l$_k))"
		R_FRAMES="${R_FRAMES:+$R_FRAMES/}$_f"
		_k=$((_k + 1))
	done
	[ -z "$_c0" ] || [ -z "$_c1" ] ||
	    R_CPU=$(awk -v a="$_c1" -v b="$_c0" 'BEGIN { printf "%.3f\n", a - b }')
	stop $_stop
}

echo "== viewers: master CPU and frames per viewer with $COUNTS viewers ($WORKLOADS)"
for w in $WORKLOADS; do
	one=""
	for n in $COUNTS; do
		run "$w" "$n"
		[ -n "$R_CPU" ] || missing="$missing $w-$n"
		[ -n "$one" ] || one=$R_CPU
		ratio=$(awk -v a="$R_CPU" -v b="$one" 'BEGIN { if (a == "" || b == "" || b + 0 == 0)
		    print "n/a"; else printf "%.2f\n", a / b }')
		per=$(awk -v a="$R_CPU" -v f="${R_FRAMES%%/*}" 'BEGIN { if (a == "" || f + 0 == 0)
		    print "n/a"; else printf "%.2f\n", a * 1000 / f }')
		echo "  $w $n viewers: master cpu_s=${R_CPU:-n/a} (x$ratio of the first)" \
		    "frames=${R_FRAMES:-n/a} ms/frame=$per"
		echo "bench: viewers $w $n cpu s = ${R_CPU:-n/a}"
		echo "bench: viewers $w $n frames = ${R_FRAMES:-n/a}"
		echo "bench: viewers $w $n cpu ms per frame = $per"
	done
done
[ -z "$missing" ] || { echo "bench: viewers: not measured:$missing" >&2; exit 1; }
exit 0
