# Three viewers of the test pattern share one zstd stream: the master
# compresses each diff part once for all of them. One viewer is stopped
# twice (SIGSTOP: it reads nothing and grants no credit), so it misses
# frames, leaves the shared stream, is caught up on its own stream (which
# restarts) and rejoins at a later restart of the shared one. Every
# viewer's recorded pictures equal the master's pattern pixel for pixel: a
# viewer decoding a part with the wrong stream's history would fail to
# inflate it, or show a picture that matches no pattern frame.
. "$(dirname "$0")/lib.sh"
start_relay relay
# --lossless: the pictures can be compared exactly.
start_master host "$RELAY" --auto-accept --fps 30 --size 320x200 --lossless --log-level debug
k=0
for v in v1 v2 v3; do
	code=$(latest_code host)
	mkdir "$T/$v.rec"
	# v1 and v2 watch longer: the others are still there when v3 rejoins.
	n=240
	[ "$v" != v3 ] || n=150
	start_viewer "$v" "$RELAY" "$SESSION" "$code" --frames $n --record "$T/$v.rec/" \
	    --input-script /dev/null
	eval "pid_$v=$VIEWER_PID"
	k=$((k + 1))
	i=0
	while [ "$(count "$T/host.out" '^verified slot=')" -lt $k ]; do
		i=$((i + 1)); [ $i -lt 400 ] || fail "$v was not verified"; sleep 0.05
	done
done
wait_for "$T/v3.out" '^frame n=10 ' 20
for pause in 1.5 1; do
	sleep 1
	kill -STOP "$pid_v3"
	sleep "$pause"
	kill -CONT "$pid_v3"
done
for v in v1 v2 v3; do
	eval "wait_exit \$pid_$v 60"
	[ "$rc" = 0 ] || fail "$v exited $rc"
	[ "$(frames $v)" -ge 150 ] || fail "$v decoded only $(frames $v) frames"
done
# The master shared parts, a viewer left the shared stream and came back.
grep -q 'shared stream: starts afresh for [23] viewers' "$T/host.log" ||
    fail "the shared stream never had several viewers"
grep -q 'shared stream: slot [0-9]* leaves it (missed a frame)' "$T/host.log" ||
    fail "the stopped viewer never left the shared stream"
sed -n '/leaves it (missed a frame)/,$p' "$T/host.log" |
    grep -q 'shared stream: starts afresh for 3 viewers (1 joining)' ||
    fail "the stopped viewer never rejoined the shared stream"
saved=$(sed -n 's/.* \([0-9]*\) compressions saved/\1/p' "$T/host.log" | tail -1)
[ "${saved:-0}" -ge 100 ] || fail "only ${saved:-0} compressions saved by sharing"
# Every 5th recorded picture of each viewer is a pattern frame, exactly.
for v in v1 v2 v3; do
	checked=0
	for f in $(ls "$T/$v.rec" | awk 'NR % 5 == 0'); do
		"$B/tools/pattern_ppm" --match "$T/$v.rec/$f" 3000 >/dev/null ||
		    fail "$v: frame $f matches no pattern frame"
		checked=$((checked + 1))
	done
	[ "$checked" -ge 30 ] || fail "$v: only $checked frames compared"
done
note "frames $(frames v1)/$(frames v2)/$(frames v3);" \
    "$(count "$T/host.log" 'starts afresh') restarts, $saved compressions saved"
