# A session from a wlroots compositor (master/capture_wlr.c and
# inject_wlr.c): a headless sway (pixman, no input devices, no Xwayland)
# run as an unprivileged test user, as in t_wayland_sway.sh, and the master
# as that user too (it talks to sway's socket) with --source wlr; relay and
# viewers as root.
#
#   a. A fullscreen window with a known picture (tests/tools/wl_pattern): the
#      viewer's decoded frame equals grim's copy of the output pixel for
#      pixel, and both are the picture wl_pattern drew.
#   b. A still screen: no frames and little CPU in the master (reported;
#      only a loose bound is checked: copies wait for damage, there is no
#      busy loop).
#   c. The output's mode changes (swaymsg output HEADLESS-1 mode 800x600):
#      the viewer gets frames of the new size, equal to grim's again.
#   d. A second viewer types into foot (running cat into a file): the keys
#      go viewer -> relay -> master -> sway's virtual keyboard -> foot; the
#      text foot drew (damage only) reaches the viewer exactly as grim sees it.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "  SKIPPED: sway refuses root and this test needs root to run it as a test user"
	exit 0
fi
for p in sway swaymsg foot grim setpriv useradd python3; do
	command -v $p >/dev/null || fail "$p is not installed (make deps)"
done
tu=fernsicht-test
id -u "$tu" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$tu" ||
    id -u "$tu" >/dev/null 2>&1 || fail "cannot create the test user $tu"
chmod 711 "$T"
install -m 755 "$B/fernsicht-master" "$T/fernsicht-master"
install -m 755 "$B/tools/wl_pattern" "$T/wl_pattern"

# as_user CMD... &: as in t_wayland_sway.sh (exec: $! is the command's pid).
as_user() {
	exec setpriv --reuid="$tu" --regid="$tu" --init-groups env -i HOME="$T/home" \
	    XDG_RUNTIME_DIR="$T/run" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
	    ${WAYLAND_DISPLAY:+WAYLAND_DISPLAY=$WAYLAND_DISPLAY} \
	    ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
	    "$@"
}

# Without a Wayland display: the clear word, and no session.
env -u WAYLAND_DISPLAY -u WAYLAND_SOCKET "$B/fernsicht-master" --relay 127.0.0.1:1 --headless \
    --source wlr </dev/null >/dev/null 2>"$T/nodisplay.log" &&
    fail "the master ran without a display"
grep -q "no Wayland display: WAYLAND_DISPLAY is not set" "$T/nodisplay.log" ||
    fail "no display: $(cat "$T/nodisplay.log")"

start=$(date +%s)
mkdir -m 700 "$T/run" "$T/home" "$T/foot"
chown "$tu:" "$T/run" "$T/home" "$T/foot"
# The headless output has no cursor plane: sway paints the pointer into the
# output's picture, where overlay_cursor 0 cannot leave it out (grim's copy
# has it too). Hidden after 100 ms at rest, the picture is wl_pattern's alone.
printf '%s\n' "xwayland disable" "output HEADLESS-1 resolution 1024x768" "default_border none" \
    "seat * hide_cursor 100" >"$T/sway.conf"
unset WAYLAND_DISPLAY
as_user env WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
    sway -c "$T/sway.conf" >"$T/sway.log" 2>&1 &
SWAY_PID=$!
pids="$pids $SWAY_PID"
i=0
until sock=$(ls "$T/run" 2>/dev/null | grep -E '^wayland-[0-9]+$' | head -1) && [ -n "$sock" ]; do
	kill -0 "$SWAY_PID" 2>/dev/null || fail "sway ended at start"
	i=$((i + 1)); [ $i -lt 200 ] || fail "sway made no Wayland socket"
	sleep 0.05
done
WAYLAND_DISPLAY=$sock
i=0
until ipc=$(ls "$T/run"/sway-ipc.*.sock 2>/dev/null | head -1) && [ -n "$ipc" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "sway made no IPC socket"
	sleep 0.05
done

(as_user "$T/wl_pattern") >"$T/paint.out" 2>"$T/paint.log" &
PAINT_PID=$!
pids="$pids $PAINT_PID"
wait_for "$T/paint.out" '^painted 1024x768$' 10

# An output the compositor does not have: named, no session.
(as_user "$T/fernsicht-master" --relay 127.0.0.1:1 --headless --source wlr --monitor 5) \
    </dev/null >/dev/null 2>"$T/monitor.log" && fail "the master ran on output 5 of 1"
grep -q "there is no monitor 5: the compositor has 1 (numbered from 0)" "$T/monitor.log" ||
    fail "--monitor 5: $(cat "$T/monitor.log")"

start_relay relay
mkfifo "$T/host.in"
(as_user "$T/fernsicht-master" --relay "$RELAY" --headless --source wlr --name host \
    --auto-accept) <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
MASTER_PID=$!
pids="$pids $MASTER_PID"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10
SESSION=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/session=\([0-9]*\) .*/\1/')
grep -q 'wlr-screencopy v3, shared memory, damage' "$T/host.log" ||
    fail "the master does not copy with damage: $(grep -i sharing "$T/host.log")"
grep -q 'viewers cannot control' "$T/host.log" && fail "no input on sway"


# a. The first picture.
mkdir "$T/rec"
start_viewer v "$RELAY" "$SESSION" "$(grep '^session=' "$T/host.out" | tail -1 |
    sed 's/.*code=\([0-9]*\).*/\1/')" --record "$T/rec/"
wait_for "$T/v.out" '^frame n=1 ' 20
sleep 1
same_as_grim "$T/rec" 1024 768 "the first picture"
note "a. the viewer's picture equals grim's pixel for pixel, and wl_pattern's picture (1024x768)"

# b. Still: frames and the master's CPU time over 3 s.
cpu() { awk '{ print $14 + $15 }' "/proc/$MASTER_PID/stat"; }
f0=$(frames v)
c0=$(cpu)
sleep 3
c1=$(cpu)
f1=$(frames v)
hz=$(getconf CLK_TCK)
pct=$(( (c1 - c0) * 100 / (3 * hz) ))
note "b. still screen for 3 s: $((f1 - f0)) frames, the master used $((c1 - c0)) ticks of CPU" \
    "($pct % of one core)"
[ "$pct" -lt 20 ] || fail "the master used $pct % CPU on a still screen"
[ $((f1 - f0)) -le 1 ] || fail "$((f1 - f0)) frames on a still screen"

# c. A new mode: wl_pattern redraws at the new size, the viewer follows.
(as_user swaymsg -s "$ipc" output HEADLESS-1 mode 800x600) >"$T/swaymsg.log" 2>&1 ||
    fail "swaymsg output mode"
# (wl_pattern's first picture, before sway's first configure, was 800x600 too.)
i=0
until [ "$(tail -1 "$T/paint.out")" = "painted 800x600" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "wl_pattern did not redraw at 800x600"
	sleep 0.05
done
newest_frame_sized "$T/rec" 800 600 "after the mode change"
sleep 1
same_as_grim "$T/rec" 800 600 "after the mode change"
note "c. after 'output HEADLESS-1 mode 800x600': 800x600 frames, equal to grim's"

# d. Typing into foot through a second viewer.
kill "$PAINT_PID"
(as_user foot --working-directory="$T/foot" sh -c 'exec cat > typed') >"$T/foot.log" 2>&1 &
FOOT_PID=$!
pids="$pids $FOOT_PID"
i=0
until (as_user swaymsg -s "$ipc" -t get_tree) 2>/dev/null | grep -q '"app_id": "foot"'; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "foot's window did not appear"
	sleep 0.05
done
mkdir "$T/rec2"
printf 'sleep 700\ntype hello wlr-42\nkey 0xff0d\n' >"$T/script"
start_viewer w "$RELAY" "$SESSION" "$(grep '^session=' "$T/host.out" | tail -1 |
    sed 's/.*code=\([0-9]*\).*/\1/')" --input-script "$T/script" --record "$T/rec2/"
wait_for "$T/w.out" '^frame n=1 ' 20
i=0
until [ "$(cat "$T/foot/typed" 2>/dev/null)" = "hello wlr-42" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] ||
	    fail "foot's cat wrote '$(cat "$T/foot/typed" 2>/dev/null)', want 'hello wlr-42'"
	sleep 0.05
done
# What foot drew for the keys came as damaged tiles only: still exact.
sleep 1
same_as_grim "$T/rec2" 800 600 "after typing" any
note "d. a viewer's typing arrived in foot; its picture after typing equals grim's" \
    "($(($(date +%s) - start)) s)"

kill "$MASTER_PID"
wait_exit "$MASTER_PID" 10
[ "$rc" = 0 ] || fail "the master ended with $rc when told to stop"
grep -Eq 'Sanitizer|runtime error' "$T/host.log" && fail "the master's sanitizers spoke"
kill "$FOOT_PID"
kill "$SWAY_PID"
wait_exit "$SWAY_PID" 10
