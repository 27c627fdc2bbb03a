# The master's --source portal on a headless GNOME desktop (mutter with
# xdg-desktop-portal-gnome, as portal_gnome_lib.sh starts it): the
# attended path, where the desktop's own dialog asks the host; a test
# tool (tests/tools/portal_dialog.py) is the host in front of it.
#
#   a. Cancel in the dialog: the master stops with the reason, no session;
#      the same with --window, whose dialog asks for a window.
#   b. Share with remote interaction on: a remote desktop session with
#      keyboard and pointer; the master says it will be asked every time
#      (RemoteDesktop version 1 cannot remember); nothing is kept.
#   c. A viewer clicks into a terminal and types: the keysyms arrive
#      through the portal's RemoteDesktop.
#   d. A fullscreen client's known picture reaches the viewer pixel for
#      pixel (the cursor is metadata, never in the picture); a second
#      viewer's click lands in the client at the viewer's coordinates.
#   e. The desktop closes the portal's session (a monitor turns): the
#      master ends the session and does not start the portal again.
#   f. Shared with remote interaction off: the viewer is let in as view
#      only, and the master says that input is off.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/portal_gnome_lib.sh"
command -v foot >/dev/null || fail "foot is not installed (make deps)"

start_gnome_portal 640x480
dialog() { "$PORTAL_PY" "$top/tests/tools/portal_dialog.py" "$@"; }
mkdir -m 700 "$T/config"
TOKEN_FILE=$T/config/fernsicht/portal-restore-token

"$B/tools/wl_paint" "$T/ref.ppm" >"$T/paint.out" 2>"$T/paint.log" &
pids="$pids $!"
wait_for "$T/paint.out" '^painted 640x480' 10
(cd "$T" && exec foot -o "font=DejaVu Sans Mono:size=10" \
    sh -c 'touch ready; exec cat > typed') >"$T/foot.out" 2>&1 &
foot_pid=$!
pids="$pids $foot_pid"
i=0
until [ -e "$T/ready" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "foot did not start"; sleep 0.05
done

# host NAME ARGS...: the master through the portal, in the background.
host() {
	_n=$1; shift
	XDG_CONFIG_HOME=$T/config "$B/fernsicht-master" --headless --source portal --name "$_n" \
	    "$@" <"$T/host.in" >"$T/$_n.out" 2>"$T/$_n.log" &
	HOST_PID=$!
	pids="$pids $HOST_PID"
	wait_for "$T/$_n.log" 'the desktop shows its dialog' 10
}
mkfifo "$T/host.in"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"

# a. Cancel.
host denied --relay 127.0.0.1:1
dialog cancel >"$T/cancel.out" 2>"$T/cancel.log" ||
	fail "the dialog was not answered: $(cat "$T/cancel.log")"
wait_exit "$HOST_PID" 10
[ "$rc" = 3 ] || fail "after Cancel: exit $rc: $(cat "$T/denied.log")"
grep -q "cannot capture the screen: the host declined the sharing in the desktop's dialog" \
    "$T/denied.log" || fail "after Cancel: $(grep -v ': info: ' "$T/denied.log")"
grep -q '^session=' "$T/denied.out" && fail "a session after Cancel"
note "a. Cancel: $(grep -o 'the host declined.*' "$T/denied.log")"

# a2. --window: the session asks the portal for a window (SelectSources
# types 2) and the dialog offers windows; Cancel there. (The list stays
# empty on this desktop: xdg-desktop-portal-gnome gets the windows from
# GNOME Shell's org.gnome.Shell.Introspect, which mutter alone does not
# serve; docs/decisions.md.)
host window --relay 127.0.0.1:1 --window
grep -q 'portal: asking the desktop to share a window' "$T/window.log" ||
	fail "--window: $(grep 'portal:' "$T/window.log")"
dialog cancel >"$T/cancel2.out" 2>"$T/cancel2.log" ||
	fail "the window dialog was not answered: $(cat "$T/cancel2.log")"
# A monitor's dialog comes with the monitor chosen; a window's with none.
grep -q '^dialog share=insensitive' "$T/cancel2.out" ||
	fail "--window: the dialog has a source chosen already (a monitor's dialog?)"
wait_exit "$HOST_PID" 10
[ "$rc" = 3 ] || fail "--window after Cancel: exit $rc: $(cat "$T/window.log")"
grep -q "the host declined the sharing in the desktop's dialog" "$T/window.log" ||
	fail "--window after Cancel: $(grep -v ': info: ' "$T/window.log")"
note "a2. --window: the desktop's dialog asked for a window; Cancel"

# b. Share, with remote interaction.
start_relay relay
host host --relay "$RELAY" --auto-accept --fps 30
dialog accept-remote >"$T/accept.out" 2>"$T/accept.log" ||
	fail "the dialog was not answered: $(cat "$T/accept.log")"
wait_for "$T/host.out" '^session=' 20
MASTER_PID=$HOST_PID
SESSION=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/session=\([0-9]*\) .*/\1/')
grep -q 'sharing portal (ScreenCast portal, PipeWire Mem' "$T/host.log" ||
	fail "the master does not read the portal's stream: $(grep -i sharing "$T/host.log")"
grep -q 'RemoteDesktop version 1, with input$' "$T/host.log" ||
	fail "not a remote desktop session: $(grep 'portal: ScreenCast' "$T/host.log")"
grep -q 'devices 3$' "$T/host.log" || fail "keyboard and pointer not granted"
grep -q '^dialog share=sensitive' "$T/accept.out" ||
	fail "the monitor's dialog came without the monitor chosen: $(cat "$T/accept.out")"
grep -q 'viewers cannot control' "$T/host.log" && fail "no input through the portal"
[ -e "$TOKEN_FILE" ] && fail "a token kept where the portal cannot remember"
grep -q 'The desktop asks each time Fernsicht shares the screen' "$T/host.log" ||
	fail "the host is not told that the desktop will ask every time"
note "b. shared through the desktop's dialog: $(grep -o 'devices 3' "$T/host.log")," \
    "no token (RemoteDesktop 1)"

# c. Typing into foot (a click first: after the dialog no window has
# the keyboard).
mkdir "$T/rec"
printf '%s\n' "sleep 1000" "pointer 320 240" "sleep 200" "button 1 down" "button 1 up" \
    "sleep 300" "type Portal (ok) #2" "key 0xff0d" >"$T/script"
start_viewer v "$RELAY" "$SESSION" "$(latest_code host)" --record "$T/rec/" \
    --input-script "$T/script"
wait_for "$T/v.out" '^frame n=1 ' 20
want='Portal (ok) #2'
i=0
until [ "$(cat "$T/typed" 2>/dev/null)" = "$want" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "typed '$(cat "$T/typed" 2>/dev/null)', want '$want'"
	sleep 0.05
done
kill "$foot_pid"
wait "$foot_pid" 2>/dev/null
note "c. a viewer's typing arrived in foot through the portal"

# d. The picture, and a click in the client.
newest_frame_equals "$T/rec" "$T/ref.ppm" "wl_paint's picture"
printf '%s\n' "sleep 300" "pointer 100 120" "sleep 200" "button 1 down" "button 1 up" \
    >"$T/script2"
start_viewer v2 "$RELAY" "$SESSION" "$(latest_code host)" --input-script "$T/script2"
wait_for "$T/paint.out" '^button 0x110 released 100 120' 20
note "d. the viewer's picture equals wl_paint's, and a click lands at 100,120"

# e. The portal's session ends (a monitor turned: GNOME closes it, as it
# does when the host presses Stop): the master ends the session instead
# of asking again by itself, and the viewers hear so.
mutter_rotate 1
wait_exit "$MASTER_PID" 10
grep -q 'the screen cast ended: the desktop ended the screen sharing' "$T/host.log" ||
	fail "the master did not say why it ended: $(tail -3 "$T/host.log")"
grep -q 'starting a new one' "$T/host.log" && fail "the master started a portal session again"
wait_for "$T/v.out" '^closed reason="the host ended the session"' 10
grep -Eq 'Sanitizer|runtime error' "$T/host.log" && fail "the master's sanitizers spoke"
note "e. the desktop closed the sharing: the session ended, not asked again"

# f. Shared with remote interaction left off: no input granted, so the
# viewer is let in as view only although the host allows control.
host viewonly --relay "$RELAY" --auto-accept
dialog accept-view >"$T/view.out" 2>"$T/view.log" ||
	fail "the dialog was not answered: $(cat "$T/view.log")"
wait_for "$T/viewonly.out" '^session=' 20
grep -q 'devices 0$' "$T/viewonly.log" || fail "input granted without remote interaction"
grep -q 'viewers cannot control this screen: the desktop allows no input' \
    "$T/viewonly.log" || fail "the master does not say input is off"
start_viewer vo "$RELAY" "$(grep '^session=' "$T/viewonly.out" | tail -1 |
    sed 's/session=\([0-9]*\) .*/\1/')" "$(latest_code viewonly)"
wait_for "$T/vo.out" '^allowed rights=' 20
grep -q '^allowed rights=view' "$T/vo.out" ||
	fail "without input the viewer got: $(grep '^allowed' "$T/vo.out")"
wait_for "$T/viewonly.out" '^allowed slot=1 rights=view' 5
note "f. no remote interaction: the viewer is let in as view only"
exit 0
