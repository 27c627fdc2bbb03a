# The master's wlroots capture (master/capture_wlr.c) against a hostile
# compositor (tests/tools/wl_fakecopy): buffers of absurd sizes, strides
# and formats are refused with a clear reason before anything is mapped; a
# compositor without the screen copy, failing every copy or saying a copy
# is ready before one was asked for, is named; and
# damage outside the buffer is clipped: the session runs, the viewer gets
# the grey the compositor copied.
. "$(dirname "$0")/lib.sh"
mkdir -m 700 "$T/run"
export XDG_RUNTIME_DIR="$T/run"

# fake NAME MODE FORMAT W H STRIDE: a fake compositor; sets WAYLAND_DISPLAY.
fake() {
	_n=$1; shift
	"$B/tools/wl_fakecopy" "$@" >"$T/fake.$_n.out" 2>"$T/fake.$_n.log" &
	FAKE_PID=$!
	pids="$pids $FAKE_PID"
	wait_for "$T/fake.$_n.out" '^socket ' 10
	export WAYLAND_DISPLAY=$(sed -n 's/^socket //p' "$T/fake.$_n.out")
}

# refused NAME REASON MODE FORMAT W H STRIDE: the master stops at once
# (exit 3, the capture could not start) with REASON in its log.
refused() {
	_n=$1; _why=$2; shift 2
	fake "$_n" "$@"
	timeout 20 "$B/fernsicht-master" --relay 127.0.0.1:1 --headless --source wlr </dev/null \
	    >/dev/null 2>"$T/$_n.log"
	rc=$?
	[ $rc = 3 ] || fail "$_n: exit $rc, want 3 (the capture refused)"
	grep -q "cannot capture the screen: .*$_why" "$T/$_n.log" ||
	    fail "$_n: no '$_why' in: $(cat "$T/$_n.log")"
	kill "$FAKE_PID"
	wait_exit "$FAKE_PID" 5
}

XRGB=1
refused zero-width "offers a 0x480 screen copy" copy $XRGB 0 480 0
refused huge "offers a 100000x480 screen copy; at most 8192x8192" copy $XRGB 100000 480 400000
refused short-stride "with 2559 bytes per row; that does not fit" copy $XRGB 640 480 2559
refused long-stride "with 4294967295 bytes per row" copy $XRGB 640 480 4294967295
refused too-large "with 36868 bytes per row" copy $XRGB 8192 8192 36868
refused format "in pixel format 0x12345678 only" copy 0x12345678 640 480 2560
refused failing "failed 8 screen copies in a row" fail $XRGB 640 480 2560
refused early "ready before it was asked to make one" early $XRGB 640 480 2560
refused no-screencopy \
    "offers no screen copy (zwlr_screencopy_manager_v1): use --source pipewire or x11" \
    none $XRGB 640 480 2560
note "absurd sizes, strides and a format refused; no screen copy, failing copies and a" \
    "copy ready before it was asked for named"

# Damage partly and wholly outside the buffer with every copy: clipped.
fake damage copy $XRGB 640 480 2600
start_relay relay
start_master host "$RELAY" --source wlr --auto-accept
grep -q 'wlr-screencopy v3, shared memory, damage' "$T/host.log" || fail "not with damage"
mkdir "$T/rec"
start_viewer v "$RELAY" "$SESSION" "$CODE" --record "$T/rec/"
wait_for "$T/v.out" '^frame n=1 ' 10
sleep 1
first=$(ls "$T/rec" | head -1)
python3 - "$T/rec/$first" <<'EOF' || fail "the viewer's picture is not the compositor's grey"
import sys
d = open(sys.argv[1], "rb").read()
assert d.startswith(b"P6\n640 480\n255\n"), d[:20]
px = d[len(b"P6\n640 480\n255\n"):]
assert px == b"\x40" * (640 * 480 * 3), "not all 0x404040"
EOF
kill -0 "$MASTER_PID" || fail "the master ended"
kill "$MASTER_PID"
wait_exit "$MASTER_PID" 10
[ "$rc" = 0 ] || fail "the master ended with $rc when told to stop"
grep -Eq 'Sanitizer|runtime error' "$T"/*.log && fail "the master's sanitizers spoke"
note "damage outside the buffer clipped: the session runs, the picture is the copied grey"
