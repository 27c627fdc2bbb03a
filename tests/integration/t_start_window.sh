# The viewer's start window on a private X server: started with no session
# number, it takes the relay from the settings file, asks for number and
# code, says in words why a join failed (no such session, wrong code) and
# lets the supporter try again; with the right ones the session window
# takes over in the same process. Then: a host that does not answer in
# time, with the relay from the command line. A second viewer with a refused settings
# file and no relay asks for the relay in the window. Typing is XTest
# (xdotool). Leaves build/screenshots/viewer-start.png for people to look at.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
command -v xwd >/dev/null || fail "xwd is not installed (make deps)"
start_xvfb 1024x768
shots="$top/build/screenshots"
mkdir -p "$shots"
start_relay relay
start_master host "$RELAY" --auto-accept

# window_shot NAME WIN: the window's pixels (from the screen, as the
# supporter sees them) into $T/NAME.ppm.
window_shot() {
	eval "$(xdotool getwindowgeometry --shell "$2")"
	xwd -root -silent -out "$T/$1.xwd" 2>>"$T/xwd.log" || fail "xwd failed"
	[ -s "$T/$1.xwd" ] || fail "xwd wrote no $1.xwd"
	python3 "$top/tests/tools/xwd2ppm.py" "$T/$1.xwd" "$T/$1.ppm" "$X" "$Y" "$WIDTH" \
	    "$HEIGHT" || fail "cannot crop $1"
}

# red PPM: pixels in the windows' red (C_DANGER), the colour of a failure.
red() {
	python3 - "$1" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
head = d.split(b"\n", 3)
px = head[3]
print(sum(1 for i in range(0, len(px) - 2, 3) if px[i:i + 3] == bytes((168, 28, 28))))
EOF
}

# type_in TEXT: as keys, into the focused window.
type_in() { xdotool type --delay 40 "$1" || fail "xdotool could not type"; }
key() { xdotool key --delay 40 "$@" || fail "xdotool could not press $*"; }

# Only the settings file names the relay: the user's, through HOME.
mkdir -p "$T/home/.config/fernsicht"
cat >"$T/home/.config/fernsicht/viewer.conf" <<EOF
# the support desk's relay
relay = $RELAY
transport = tcp
name = desk
EOF
# Under ASan, libdbus and the X libraries SDL loads report leaks of their
# own, so leak checks are off for this one program.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" HOME="$T/home" \
    SDL_VIDEODRIVER=x11 env -u XDG_CONFIG_HOME "$B/fernsicht-viewer" --quiet-frames \
    >"$T/v.out" 2>"$T/v.log" &
VIEWER_PID=$!
pids="$pids $VIEWER_PID"
wait_for "$T/v.out" "^start-window relay=\"$RELAY\"$" 10
WIN=$(timeout 10 xdotool search --sync --name '^Fernsicht - join a session$' | head -1)
[ -n "$WIN" ] || fail "no start window"
# Without a window manager the focus follows the pointer: keep it inside.
xdotool windowfocus --sync "$WIN" || fail "xdotool could not focus the window"
xdotool mousemove --window "$WIN" 20 20
sleep 0.3
window_shot before "$WIN"
[ "$(red "$T/before.ppm")" -lt 50 ] || fail "the new window already shows a failure"

# A session that does not exist: the relay says so, the window too.
other=$(( SESSION == 99999 ? 10000 : SESSION + 1 ))
type_in "$other"
key Tab
type_in "$CODE"
key Return
wait_for "$T/v.out" "^start-connect session=$other relay=\"$RELAY\"$" 10
wait_for "$T/v.out" '^start-failed reason="no such session"$' 20
note "session $other: start-failed reason=\"no such session\""

# The right number, a wrong code (typed grouped, with the blank): the
# master counts it, the window says so in red, the code field is emptied.
bad=$(echo "$CODE" | sed 's/.$//')$(( (${CODE#?????} + 1) % 10 ))
xdotool mousemove --window "$WIN" 20 20
key shift+Tab ctrl+BackSpace
type_in "$SESSION"
key Tab ctrl+BackSpace
type_in "$(echo "$bad" | cut -c1-3) $(echo "$bad" | cut -c4-6)"
key Return
wait_for "$T/v.out" "^start-connect session=$SESSION " 10
wait_for "$T/v.out" '^start-failed reason="wrong code"$' 30
wait_for "$T/host.out" '^code-failed slot=' 10
sleep 0.5
window_shot failed "$WIN"
before=$(red "$T/before.ppm")
after=$(red "$T/failed.ppm")
note "red pixels in the window: $before before, $after after the wrong code"
[ "$after" -gt $((before + 300)) ] || fail "the window shows no failure after the wrong code"
python3 "$top/tests/tools/topng.py" "$T/failed.ppm" "$shots/viewer-start.png" ||
    fail "cannot convert the screenshot"
[ "$(count "$T/v.out" '^start-window')" = 1 ] || fail "a second start window appeared"
kill -0 "$VIEWER_PID" 2>/dev/null || fail "the viewer ended after a failed join"

# The right code, pasted with the number from what the host might send
# in a mail: Ctrl+V in the emptied number field, the digits that do not
# fit go on into the code, everything else is dropped.
code=$(latest_code host)
"$B/tools/x11_clip" serve "Session $SESSION, code $(echo "$code" | cut -c1-3) \
$(echo "$code" | cut -c4-6)." 20 >"$T/clip.out" 2>"$T/clip.log" &
pids="$pids $!"
wait_for "$T/clip.out" '^serving' 10
xdotool mousemove --window "$WIN" 20 20
key shift+Tab ctrl+BackSpace ctrl+v
key Return
wait_for "$T/host.out" '^verified slot=[0-9]* name="desk"' 20
wait_for "$T/host.out" '^allowed slot=' 10
wait_for "$T/v.out" '^allowed rights=' 10
wait_for "$T/v.out" '^key epoch=' 10
SWIN=$(timeout 10 xdotool search --sync --name "^Fernsicht - session $SESSION\$" | head -1)
[ -n "$SWIN" ] || fail "no session window"
xdotool search --name '^Fernsicht - join a session$' >/dev/null &&
    fail "the start window is still open"
sleep 1
# One closed line per failed join, and none for the session that runs.
[ "$(count "$T/v.out" '^closed ')" = 2 ] ||
    fail "the session ended: $(grep '^closed ' "$T/v.out" | tail -1)"
note "pasted code $code: verified, allowed, the session window '$(xdotool getwindowname "$SWIN")'"
kill -TERM "$VIEWER_PID"
wait_exit "$VIEWER_PID" 10
[ "$rc" = 0 ] || fail "viewer exit $rc after the session"

# A refused settings file and no relay anywhere: the window says both and
# asks for the relay; the file's line is named in the log. Then a missing
# session again, a join given up with Escape, and a host that refuses.
mkdir -p "$T/xdg/fernsicht"
printf 'relay = %s:0\n' "${RELAY%:*}" >"$T/xdg/fernsicht/viewer.conf"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" XDG_CONFIG_HOME="$T/xdg" \
    SDL_VIDEODRIVER=x11 "$B/fernsicht-viewer" >"$T/v2.out" 2>"$T/v2.log" &
V2=$!
pids="$pids $V2"
wait_for "$T/v2.out" '^start-window relay=""$' 10
grep -q "xdg/fernsicht/viewer.conf:1: bad relay" "$T/v2.log" ||
    fail "the refused settings file is not named with its line"
WIN=$(timeout 10 xdotool search --sync --name '^Fernsicht - join a session$' | head -1)
[ -n "$WIN" ] || fail "no start window without a relay"
xdotool windowfocus --sync "$WIN"
xdotool mousemove --window "$WIN" 20 20
sleep 0.3
window_shot norelay "$WIN"
[ "$(red "$T/norelay.ppm")" -gt 300 ] || fail "the window does not say the settings were refused"
type_in "$RELAY"
key Tab
type_in "$other"
key Tab
type_in "000000"
key Return
wait_for "$T/v2.out" "^start-connect session=$other relay=\"$RELAY\"$" 10
wait_for "$T/v2.out" '^start-failed reason="no such session"$' 20

# A host that says no: the window waits with the check code, then says so.
S1=$SESSION
start_master host2 "$RELAY"
xdotool mousemove --window "$WIN" 20 20
key shift+Tab ctrl+BackSpace
type_in "$SESSION"
key Tab ctrl+BackSpace
type_in "$CODE"
key Return
wait_for "$T/host2.out" '^consent slot=' 20
wait_for "$T/v2.out" '^waiting for the host' 10
sleep 1.2       # the window's status line follows once a second
window_shot waiting "$WIN"
# Escape gives the join up: the host sees the viewer leave, the fields stay.
key Escape
wait_for "$T/v2.out" '^closed reason="cancelled"$' 10
wait_for "$T/host2.out" '^left slot=' 10
[ "$(count "$T/v2.out" '^start-failed')" = 1 ] || fail "a cancel was told as a failure"
# The code was used up: the host shows a new one, typed into the kept form.
i=0
while [ "$(count "$T/host2.out" '^session=')" -lt 2 ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "host2 showed no new code"; sleep 0.05
done
key ctrl+BackSpace
type_in "$(latest_code host2)"
key Return
i=0
while [ "$(count "$T/host2.out" '^consent slot=')" -lt 2 ]; do
	i=$((i + 1)); [ $i -lt 400 ] || fail "host2 was not asked again"; sleep 0.05
done
master_cmd host2 n
wait_for "$T/v2.out" '^start-failed reason="refused"$' 20
note "host2 said no: start-failed reason=\"refused\""
# Closing the window after a failed join: the viewer ends with that code.
kill -TERM "$V2"
wait_exit "$V2" 10
[ "$rc" = 4 ] || fail "viewer exit $rc after giving up on a refused join, want 4"

# A host that does not answer in time, the relay from the command line.
code=$(latest_code host2)
mkdir -p "$T/empty"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" XDG_CONFIG_HOME="$T/empty" \
    SDL_VIDEODRIVER=x11 "$B/fernsicht-viewer" --relay "$RELAY" --consent-timeout 1 \
    >"$T/v4.out" 2>"$T/v4.log" &
V4=$!
pids="$pids $V4"
wait_for "$T/v4.out" "^start-window relay=\"$RELAY\"$" 10
WIN=$(timeout 10 xdotool search --sync --name '^Fernsicht - join a session$' | head -1)
[ -n "$WIN" ] || fail "no start window with --relay"
xdotool windowfocus --sync "$WIN"
xdotool mousemove --window "$WIN" 20 20
type_in "$SESSION"
key Tab
type_in "$code"
key Return
wait_for "$T/v4.out" '^start-failed reason="timed out"$' 20
note "no answer within --consent-timeout 1: start-failed reason=\"timed out\""
kill -TERM "$V4"
wait_exit "$V4" 10
[ "$rc" = 4 ] || fail "viewer exit $rc after the host did not answer, want 4"

# The settings file works without a window too: number and code on the
# command line, the relay and the name from the file.
code=$(latest_code host)
HOME="$T/home" env -u XDG_CONFIG_HOME "$B/fernsicht-viewer" --headless --frames 2 \
    "$S1" --code "$code" >"$T/v3.out" 2>"$T/v3.log" &
V3=$!
pids="$pids $V3"
wait_exit "$V3" 30
[ "$rc" = 0 ] || fail "headless viewer with the relay from the settings file: exit $rc"
note "headless: the relay and the name from the settings file"
