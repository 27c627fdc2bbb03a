# The desktop portals on a headless GNOME (mutter with xdg-desktop-portal
# and xdg-desktop-portal-gnome, portal_gnome_lib.sh), as the portal source
# of the master meets them: a remote desktop session with a screen cast
# granted in the desktop's own dialog (answered by portal_dialog.py through
# Mutter's RemoteDesktop), its frame read through the portal's PipeWire
# remote, pointer and keyboard input through the portal arriving in Wayland
# clients; Cancel in the dialog is Start's response 1; a screen cast
# alone remembered by a restore token starts again without a dialog.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/portal_gnome_lib.sh"

for _p in gst-launch-1.0 foot; do
	command -v "$_p" >/dev/null || fail "$_p is not installed (make deps)"
done
start_gnome_portal 1280x800

probe() { "$PORTAL_PY" "$top/tests/tools/portal_probe_gnome.py" "$@"; }
dialog() { "$PORTAL_PY" "$top/tests/tools/portal_dialog.py" "$@"; }

# run_session NAME ANSWER PROBE-ARGS...: the probe asks, and once it says
# so the dialog is answered (ANSWER "none": no dialog is expected).
# The probe's exit code in $rc.
run_session() {
	_n=$1 _answer=$2; shift 2
	probe "$@" --timeout 10 >"$T/$_n.out" 2>"$T/$_n.log" &
	_probe=$!
	pids="$pids $_probe"
	if [ "$_answer" != none ]; then
		wait_for "$T/$_n.out" '^waiting start' 10
		dialog "$_answer" >"$T/$_n-dialog.out" 2>"$T/$_n-dialog.log" ||
			fail "$_n: the dialog was not answered: $(cat "$T/$_n-dialog.log")"
	fi
	wait_exit "$_probe" 20
}

# 1. The portals the desktop offers.
"$B/tools/wl_paint" "$T/ref.ppm" >"$T/paint.out" 2>"$T/paint.log" &
paint_pid=$!
pids="$pids $paint_pid"
wait_for "$T/paint.out" '^painted 1280x800' 10

# 2. Remote desktop and screen cast, granted in the dialog with remote
# interaction turned on: keyboard and pointer, one monitor stream, shared
# memory frames of the monitor's size; the pointer lands in wl_paint.
run_session remote accept-remote remote --frame --pointer 300,200 --click
[ $rc = 0 ] || fail "remote desktop: exit $rc: $(cat "$T/remote.log")"
grep -q '^portal ScreenCast version=[4-9] sources=3 cursors=7' "$T/remote.out" ||
	fail "ScreenCast: $(head -1 "$T/remote.out")"
grep -q '^portal RemoteDesktop version=[1-9] devices=7' "$T/remote.out" ||
	fail "RemoteDesktop: $(sed -n 2p "$T/remote.out")"
grep -q '^dialog' "$T/remote-dialog.out" || fail "no dialog was seen"
grep -q '^start code=0' "$T/remote.out" || fail "remote desktop not granted"
grep -q '^devices=3' "$T/remote.out" ||
	fail "not keyboard and pointer: $(grep devices "$T/remote.out")"
grep -q '^stream node=[0-9]* size=1280x800 position=0,0 source_type=1' "$T/remote.out" ||
	fail "the stream: $(grep stream "$T/remote.out")"
grep -q '^frame caps=video/x-raw, format=(string)BGRx, width=(int)1280, height=(int)800' \
    "$T/remote.out" || fail "the frame: $(grep frame "$T/remote.out")"
wait_for "$T/paint.out" '^button 0x110 released 300 200' 10

# 3. Cancel: Start's response is 1, nothing is shared.
run_session denied cancel remote
[ $rc = 3 ] || fail "after Cancel: exit $rc, want 3: $(cat "$T/denied.log")"
grep -q '^start code=1' "$T/denied.out" || fail "after Cancel: $(grep start "$T/denied.out")"
grep -q '^stream' "$T/denied.out" && fail "after Cancel a stream was granted"

# 4. A screen cast alone, remembered (persist_mode 2): a restore token;
# with it, the next one starts without a dialog (none is answered: one
# shown would hold Start until the probe's time is up).
run_session cast accept-screencast screencast --persist 2 --frame
[ $rc = 0 ] || fail "screen cast: exit $rc: $(cat "$T/cast.log")"
token=$(sed -n 's/^restore_token=//p' "$T/cast.out")
case $token in
none | "") fail "no restore token for a remembered screen cast" ;;
esac
run_session restored none screencast --persist 2 --restore "$token" --frame
[ $rc = 0 ] || fail "restored screen cast: exit $rc: $(cat "$T/restored.log")"
grep -q '^frame caps=video/x-raw, format=(string)BGRx' "$T/restored.out" ||
	fail "restored screen cast: no frame"

# 5. Keyboard: keysyms through the portal typed into a terminal, the only
# window (wl_paint goes: the terminal could open under it, unfocused).
kill "$paint_pid"
wait "$paint_pid" 2>/dev/null
(cd "$T" && exec foot -o "font=DejaVu Sans Mono:size=10" \
    sh -c 'touch ready; exec cat > typed') >"$T/foot.out" 2>&1 &
pids="$pids $!"
i=0
until [ -e "$T/ready" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "foot did not start"; sleep 0.05
done
run_session keys accept-remote remote --settle 1 --pointer 640,400 --click \
    --keysym 48 --keysym 69 --keysym 21 --keysym ff0d
[ $rc = 0 ] || fail "remote desktop (keys): exit $rc: $(cat "$T/keys.log")"
i=0
until [ "$(cat "$T/typed")" = 'Hi!' ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "typed '$(cat "$T/typed")', want 'Hi!'"
	sleep 0.05
done
note "$(head -2 "$T/remote.out" | tr '\n' ';') remote desktop granted (devices=3)," \
    "denied with Cancel (code 1), screen cast restored without a dialog; BGRx frames," \
    "pointer and keys arrive"
