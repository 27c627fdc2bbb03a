# The ScreenCast portal (xdg-desktop-portal with xdg-desktop-portal-wlr) on a
# headless sway, as portal_lib.sh starts it, driven by tests/tools/portal_probe.py
# (the reference for the master's portal client): the environment the
# master's --source portal is tested in works, and does what the client
# must expect.
#
#   a. The portal has ScreenCast (version 4, monitors) and no RemoteDesktop
#      (wlr.portal does not offer it: a portal session on sway cannot take
#      input).
#   b. CreateSession, SelectSources (persist until revoked), Start,
#      OpenPipeWireRemote: a node of the output's size and a restore token.
#      A stream on the portal's PipeWire socket is linked to the node (BGRx
#      in shared memory, as pw-dump says), and once a window with a known
#      picture (tests/tools/wl_pattern) is shown, the picture that comes
#      through is that window's, pixel for pixel.
#   c. A second session with the restore token starts on the same output
#      without the output being chosen again, and the master's own PipeWire
#      stream (master/pipewire_stream.c) on it gets wl_pattern's picture
#      once the screen changes (what it gets while it is still is said).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/portal_lib.sh"
for p in python3 gst-launch-1.0 gst-inspect-1.0 pw-dump; do
	command -v $p >/dev/null || fail "$p is not installed (make deps)"
done

start=$(date +%s)
start_sway_portal 1024x768
# (The test user's python3 and gstreamer: the system's, as the probe runs.)
(as_user python3 -c 'import dbus, dbus.mainloop.glib; from gi.repository import GLib') \
    2>"$T/py.log" || fail "python3-dbus or python3-gi is not installed (make deps)"
(as_user gst-inspect-1.0 pipewiresrc) >/dev/null 2>&1 ||
    fail "gstreamer's pipewiresrc is not installed (gstreamer1.0-pipewire, make deps)"
install -m 755 "$B/tools/wl_pattern" "$T/wl_pattern"
install -m 644 "$top/tests/tools/portal_probe.py" "$T/portal_probe.py"
note "the portal answered after $(($(date +%s) - start)) s"

# a. What the portal offers.
portal_call introspect org.freedesktop.portal.Desktop /org/freedesktop/portal/desktop \
    >"$T/introspect.out" 2>"$T/introspect.log" || fail "cannot introspect the portal"
ifaces=$(awk '$2 == "interface" && $1 ~ /^org\.freedesktop\.portal\./ {
    sub(/^org\.freedesktop\.portal\./, "", $1); print $1 }' "$T/introspect.out" | tr '\n' ' ')
grep -q '^org\.freedesktop\.portal\.ScreenCast ' "$T/introspect.out" || fail "no ScreenCast"
grep -q '^org\.freedesktop\.portal\.RemoteDesktop ' "$T/introspect.out" &&
    fail "a RemoteDesktop portal on sway: the tests of input through the portal can run now"
note "a. portal interfaces: $ifaces(no RemoteDesktop)"

# b. A session, its stream, and a picture through it.
(as_user python3 "$T/portal_probe.py" --frame "$T/home/cast.raw" --until "$T/home/stop") \
    >"$T/probe1.out" 2>"$T/probe1.log" &
PROBE_PID=$!
pids="$pids $PROBE_PID"
wait_for "$T/probe1.out" '^(linked |error=)' 20
grep '^error=' "$T/probe1.out" && fail "the portal session failed"
grep -q '^version=4 source_types=1 ' "$T/probe1.out" ||
    fail "ScreenCast: $(head -1 "$T/probe1.out")"
grep -q '^stream node=[0-9]* size=1024x768 ' "$T/probe1.out" ||
    fail "the stream: $(grep '^stream' "$T/probe1.out")"
token=$(sed -n 's/^start=0 .*restore_token=\([0-9a-f-]*\)$/\1/p' "$T/probe1.out")
[ -n "$token" ] || fail "no restore token: $(grep '^start' "$T/probe1.out")"
linked=$(grep '^linked ' "$T/probe1.out")
case "$linked" in
*"format=BGRx 1024x768"*"stride=4096 data=MemFd"*) ;;
*) fail "the negotiated stream: $linked" ;;
esac
# The still screen gave no picture yet (see portal_probe.py); a window does.
(as_user "$T/wl_pattern") >"$T/paint.out" 2>"$T/paint.log" &
PAINT_PID=$!
pids="$pids $PAINT_PID"
wait_for "$T/paint.out" '^painted 1024x768$' 10
# The last whole picture in the file is wl_pattern's (BGRx rows, no padding:
# stride 4096); the ones before may show the window on its way.
is_pattern() {
	python3 - "$T/home/cast.raw" 1024 768 <<'EOF'
import sys
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = w * h * 4
d = open(path, "rb").read()
n = len(d) // size
if n == 0:
    sys.exit("no whole picture (%d bytes)" % len(d))
px = d[(n - 1) * size:n * size]
want = bytearray(size)
for y in range(h):
    for x in range(w):
        i = (y * w + x) * 4
        want[i:i + 3] = ((x ^ y) & 255, (y * 5 + (x >> 2)) & 255, (x * 3 + y) & 255)
bad = sum(1 for i in range(0, size, 4) if px[i:i + 3] != want[i:i + 3]) if px != want else 0
if bad:
    sys.exit("picture %d of %d: %d of %d pixels are not wl_pattern's" % (n, n, bad, w * h))
print(n)
EOF
}
i=0
until frames=$(is_pattern 2>"$T/compare.log"); do
	i=$((i + 1)); [ $i -lt 20 ] || fail "the cast's picture: $(cat "$T/compare.log")"
	sleep 0.25
done
touch "$T/home/stop"
wait_exit "$PROBE_PID" 15
[ "$rc" = 0 ] || fail "the probe ended with $rc"
grep -q '^closed=ok' "$T/probe1.out" || fail "the session did not close"
[ "$(count "$PORTAL_CHOOSER_LOG" asked)" = 1 ] || fail "the output chooser was not asked"
note "b. $(grep '^start=' "$T/probe1.out"); $(grep '^stream ' "$T/probe1.out")"
note "   $linked"
note "   picture $frames through the portal is wl_pattern's, pixel for pixel"

# c. The restore token: a second session on the same output, no choice
#    made; the master's own PipeWire stream (master/pipewire_stream.c, in
#    tests/tools/pw_portal_frame) on the portal's connection.
install -m 755 "$B/tools/pw_portal_frame" "$T/pw_portal_frame"
(as_user python3 "$T/portal_probe.py" --restore "$token" --stream "$T/pw_portal_frame" \
    "$T/home/master.ppm" --until "$T/home/stop2") >"$T/probe2.out" 2>"$T/probe2.log" &
PROBE_PID=$!
pids="$pids $PROBE_PID"
wait_for "$T/probe2.out" '^(format |error=)' 20
grep '^error=' "$T/probe2.out" && fail "the session with the restore token failed"
grep -q '^stream node=[0-9]* size=1024x768 ' "$T/probe2.out" ||
    fail "restored: $(grep '^stream' "$T/probe2.out")"
grep -q 'restore_data.output_name: HEADLESS-1' "$T/xdpw.log" ||
    fail "the backend did not restore the output"
[ "$(count "$PORTAL_CHOOSER_LOG" asked)" = 1 ] ||
    fail "the output chooser was asked $(count "$PORTAL_CHOOSER_LOG" asked) times, want once"
# The screen is still: does a first picture come, or after the nudge?
wait_for "$T/probe2.out" '^(frame 1 |nudged)' 5
sleep 1
first="no picture on the still screen"
grep -q '^nudged' "$T/probe2.out" && first="$first, nor after pausing and resuming"
grep -q '^frame 1 ' "$T/probe2.out" && first="a picture on the still screen" &&
    grep -q '^nudged' "$T/probe2.out" && first="$first after pausing and resuming"
# A window drawn again (the same picture) changes the screen.
kill "$PAINT_PID"
(as_user "$T/wl_pattern") >"$T/paint2.out" 2>"$T/paint2.log" &
pids="$pids $!"
wait_for "$T/paint2.out" '^painted 1024x768$' 10
master_is_pattern() {
	python3 - "$T/home/master.ppm" 1024 768 <<'EOF'
import sys
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = open(path, "rb").read()
head = ("P6\n%d %d\n255\n" % (w, h)).encode()
if not d.startswith(head) or len(d) != len(head) + w * h * 3:
    sys.exit("not a %dx%d picture: %r" % (w, h, d[:20]))
px = d[len(head):]
want = bytearray(w * h * 3)
for y in range(h):
    for x in range(w):
        i = (y * w + x) * 3
        want[i:i + 3] = ((x * 3 + y) & 255, (y * 5 + (x >> 2)) & 255, (x ^ y) & 255)
if px != want:
    bad = sum(1 for i in range(0, len(px), 3) if px[i:i + 3] != want[i:i + 3])
    sys.exit("%d of %d pixels are not wl_pattern's" % (bad, w * h))
EOF
}
i=0
until master_is_pattern 2>"$T/compare2.log"; do
	i=$((i + 1)); [ $i -lt 20 ] || fail "the master's stream: $(cat "$T/compare2.log")"
	sleep 0.25
done
touch "$T/home/stop2"
wait_exit "$PROBE_PID" 15
[ "$rc" = 0 ] || fail "the probe ended with $rc"
grep -q '^closed=ok' "$T/probe2.out" || fail "the second session did not close"
note "c. with the restore token, the chooser not asked: $(grep '^start=' "$T/probe2.out")"
note "   the master's stream: $(grep '^frame ' "$T/probe2.out" | tail -1 | cut -d' ' -f3-);" \
    "$first; the picture after a redraw is wl_pattern's"
note "   ($(($(date +%s) - start)) s)"
