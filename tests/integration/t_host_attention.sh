# The host's side of a session on a private X server without a window
# manager. A supporter's request brings the host's window up from under
# another window, once per request and not with later redraws; while
# anyone watches, a small indicator on top in the top-right corner says
# who (one viewer, then two, a long name cut), goes when they leave, and
# ends the session with one click; a --headless master has neither.
# Leaves build/screenshots/host-indicator.{xwd,png}.
. "$(dirname "$0")/lib.sh"
for p in xdotool xwd xprop; do
	command -v $p >/dev/null || fail "$p is not installed (make deps)"
done
start_xvfb 1024x768
shots="$top/build/screenshots"
mkdir -p "$shots"
start_relay relay

# The master with its window and the indicator. Under ASan, libdbus (which
# SDL loads) reports a leak of its own when the master exits, so leak
# checks are off for this program (as for hostui_demo in t_hostui.sh).
mkfifo "$T/host.in"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
HOSTUI_DEBUG=1 SDL_VIDEODRIVER=x11 "$B/fernsicht-master" --relay "$RELAY" \
    --source test-pattern --name host --fps 10 <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
MASTER_PID=$!
pids="$pids $MASTER_PID"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10
SESSION=$(sed -n 's/^session=\([0-9]*\) .*/\1/p' "$T/host.out" | head -1)

HOST='^Fernsicht - session '
IND='^Fernsicht: '
COVER='^cover$'

# The mapped top-level windows, bottom to top: "ID X Y W H NAME".
stack() { "$B/tools/x11_stack" list; }
# pos REGEX: the place in the stack (1 = bottom) of the window whose name
# matches, empty when none is mapped. info REGEX: its "ID X Y W H NAME".
# (mawk has no {5}: the five fields are cut one by one.)
NAMED='{ n = $0; for (i = 0; i < 5; i++) sub(/^[^ ]+ /, "", n) } n ~ re'
pos() { stack | awk -v re="$1" "$NAMED"' { print NR; exit }'; }
info() { stack | awk -v re="$1" "$NAMED"' { print; exit }'; }
above() { _a=$(pos "$1"); _b=$(pos "$2"); [ -n "$_a" ] && [ -n "$_b" ] && [ "$_a" -gt "$_b" ]; }
# wait_above A B WHAT: until A is above B in the stack.
wait_above() {
	_i=0
	until above "$1" "$2"; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { stack | sed 's/^/  | /'; fail "$3"; }
		sleep 0.05
	done
}
# stays_below A B WHAT: B is above A, and still after a second and a half
# (nothing but the master's window could move either).
stays_below() {
	above "$2" "$1" || { stack | sed 's/^/  | /'; fail "$3"; }
	sleep 1.5
	above "$2" "$1" || { stack | sed 's/^/  | /'; fail "$3"; }
}
# wait_name REGEX WHAT: until a mapped window's name matches.
wait_name() {
	_i=0
	until [ -n "$(pos "$1")" ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || { stack | sed 's/^/  | /'; fail "$2"; }
		sleep 0.05
	done
}
attention() { count "$T/host.log" '^attention slot '; }

wait_name "$HOST" "the host's window did not appear"
HOST_ID=$(info "$HOST" | cut -d' ' -f1)

# Another window over the whole screen, above the host's window.
mkfifo "$T/cover.in"
"$B/tools/x11_stack" cover cover <"$T/cover.in" >"$T/cover.out" 2>"$T/cover.log" &
pids="$pids $!"
sleep 1000000 >"$T/cover.in" &
pids="$pids $!"
wait_for "$T/cover.out" '^covering ' 10
cover_raise() {
	_n=$(count "$T/cover.out" '^raised$')
	printf 'raise\n' >>"$T/cover.in"
	_i=0
	until [ "$(count "$T/cover.out" '^raised$')" -gt "$_n" ]; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || fail "the cover was not raised"; sleep 0.05
	done
}
wait_above "$COVER" "$HOST" "the cover did not go over the host's window"
[ "$(attention)" = 0 ] || fail "the window asked for attention with nobody asking"
# The host works in the other window: it has the keyboard.
COVER_ID=$(sed -n 's/^covering //p' "$T/cover.out")
xdotool windowfocus --sync "$COVER_ID" || fail "xdotool could not focus the cover"
FOCUS=$(xdotool getwindowfocus)
urgent() { xprop -id "$HOST_ID" WM_HINTS | grep -qi 'urgency'; }
urgent && fail "the host's window is marked urgent before anyone asked"

# A supporter asks: the host's window comes up from under the cover.
start_viewer anna "$RELAY" "$SESSION" "$(latest_code host)"
PA=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=1 name="anna"' 20
wait_above "$HOST" "$COVER" "the host's window was not raised when a supporter asked"
[ "$(attention)" = 1 ] || fail "$(attention) calls for attention for one request"
# It also asks for attention (the urgency hint) until it has the focus or
# nobody asks any more.
urgent || fail "the host's window is not marked urgent: $(xprop -id "$HOST_ID" WM_HINTS)"
note "a request raised the host's window above the cover and marked it urgent"

# Covered again, it stays under while nothing new asks: the viewer is
# allowed (the answer on stdin), which changes the window, and the
# indicator appears on top of the cover.
cover_raise
wait_above "$COVER" "$HOST" "the cover did not go over the host's window again"
master_cmd host y
wait_for "$T/host.out" '^allowed slot=1 rights=control' 10
wait_above "$IND" "$COVER" "no indicator above the cover once a viewer was allowed"
_i=0
while urgent; do
	_i=$((_i + 1))
	[ $_i -lt 100 ] || fail "the host's window is still urgent after the answer"
	sleep 0.05
done
info "$IND" | grep -q ' Fernsicht: anna controls this computer$' ||
    fail "the indicator says '$(info "$IND")'"
set -- $(info "$IND")
IND_ID=$1
[ $(($2 + $4)) = $((1024 - 12)) ] && [ "$3" = 12 ] ||
    fail "the indicator is at $2,$3 ${4}x$5, not in the top-right corner"
xprop -id "$IND_ID" _NET_WM_STATE | grep -q '_NET_WM_STATE_ABOVE' ||
    fail "the indicator does not ask to stay on top: $(xprop -id "$IND_ID" _NET_WM_STATE)"
# For a window manager: no focus when it appears, on every desktop.
xprop -id "$IND_ID" _NET_WM_USER_TIME | grep -q '= 0$' ||
    fail "the indicator asks for the focus: $(xprop -id "$IND_ID" _NET_WM_USER_TIME)"
xprop -id "$IND_ID" _NET_WM_DESKTOP | grep -q '= 4294967295$' ||
    fail "the indicator is not on every desktop: $(xprop -id "$IND_ID" _NET_WM_DESKTOP)"
[ "$(xdotool getwindowfocus)" = "$FOCUS" ] ||
    fail "the indicator took the keyboard focus ($FOCUS before, $(xdotool getwindowfocus) now)"
stays_below "$HOST" "$COVER" "the host's window came up again with nobody new asking"
note "allowed: the host's window stayed under the cover, the indicator is on top ($4x$5 at $2,$3)"

# Its picture, for the docs: the top-right corner of the screen while a
# supporter controls (both buttons).
sleep 0.5
xwd -root -silent -out "$shots/host-indicator.xwd" || fail "xwd failed"
set -- $(info "$IND")
python3 "$top/tests/tools/xwd2ppm.py" "$shots/host-indicator.xwd" "$T/indicator.ppm" \
    $(($2 - 24)) 0 $((1024 - $2 + 24)) $(($5 + 36)) &&
    python3 "$top/tests/tools/topng.py" "$T/indicator.ppm" "$shots/host-indicator.png" ||
    fail "cannot convert the screenshot"
# Not a blank picture: the dark row, white text and the red End button.
python3 - "$T/indicator.ppm" <<'EOF' || fail "the screenshot does not show the indicator"
import sys
d = open(sys.argv[1], "rb").read()
px = d[d.index(b"255\n") + 4:]
pix = [px[i:i + 3] for i in range(0, len(px), 3)]
bg, red, text = pix.count(bytes((36, 36, 38))), pix.count(bytes((168, 28, 28))), \
    pix.count(bytes((246, 246, 244)))
print(f"  indicator pixels: {bg} background, {red} red, {text} text")
sys.exit(0 if bg > 3000 and red > 1000 and text > 100 else 1)
EOF
note "screenshot in build/screenshots/host-indicator.png"

# Take control back: the indicator says so; still nothing raises the window.
master_cmd host take
wait_for "$T/host.out" '^control-revoked slot=1' 10
wait_name "${IND}anna is watching\$" "the indicator did not change to 'anna is watching'"
stays_below "$HOST" "$COVER" "the host's window came up when control was taken back"
[ "$(attention)" = 1 ] || fail "$(attention) calls for attention for one request"

# The viewer leaves: the indicator goes.
kill "$PA"
wait_exit "$PA" 10
wait_for "$T/host.out" '^(left|bye) slot=1' 10
_i=0
while [ -n "$(pos "$IND")" ]; do
	_i=$((_i + 1))
	[ $_i -lt 100 ] || fail "the indicator stayed after the viewer left"
	sleep 0.05
done
note "the indicator went with the viewer"

# Two more: each request raises the window again; the indicator names both.
cover_raise
start_viewer ben "$RELAY" "$SESSION" "$(latest_code host)"
PB=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=2 name="ben"' 20
wait_above "$HOST" "$COVER" "the host's window was not raised for the second request"
master_cmd host y
wait_for "$T/host.out" '^allowed slot=2 ' 10
wait_name "${IND}ben controls this computer\$" "the indicator does not name ben"
# A long name (MSG_NAME_MAX is 64 bytes) is cut in the row, not in the title.
CLARA=clara-at-the-support-desk-of-a-company-with-a-long-name
start_viewer "$CLARA" "$RELAY" "$SESSION" "$(latest_code host)"
PC=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=3 name="'"$CLARA"'"' 20
master_cmd host v
wait_for "$T/host.out" '^allowed slot=3 ' 10
wait_name "${IND}2 supporters: ben, $CLARA\$" "the indicator does not name both supporters"
set -- $(info "$IND")
[ "$4" -lt 640 ] && [ $(($2 + $4)) = $((1024 - 12)) ] ||
    fail "the indicator grew with a long name: ${4}x$5 at $2,$3"
[ "$(attention)" = 3 ] || fail "$(attention) calls for attention for three requests"

# One click on its End button ends the session for everyone.
# The End button as drawn at the indicator's present place and size: the
# title, size and place change at once, the drawing follows in the
# master's next turn, and the buttons of the drawing before belong to a
# row of another width (where End was, Take control may be now).
_i=0
while :; do
	set -- $(info "$IND")
	btn=$(awk -v x="$2" -v w="$4" '
	    $1 == "indicator" { now = ($2 == x && $4 == w); r = "" }
	    now && $1 == "indicator-button" && $2 == "END" { r = $3 " " $4 " " $5 " " $6 }
	    END { print r }' "$T/host.log")
	[ -n "$btn" ] && break
	_i=$((_i + 1))
	[ $_i -lt 200 ] || fail "the indicator was not drawn at its place and size ($*)"
	sleep 0.05
done
set -- $1 $2 $3 $btn
X=$(($2 + $4 + $6 / 2))
Y=$(($3 + $5 + $7 / 2))
sleep 1         # the buttons take no click in their first moments
xdotool mousemove "$X" "$Y"
_i=0
until xdotool getmouselocation | grep -q "window:$1\$"; do
	_i=$((_i + 1))
	[ $_i -lt 40 ] ||
	    fail "the indicator is not under the pointer at $X,$Y: $(xdotool getmouselocation)"
	sleep 0.05
done
xdotool click 1
wait_for "$T/host.log" '^indicator-click END$' 10
wait_exit "$PB" 20
[ "$rc" = 0 ] || fail "viewer ben exit $rc after End, want 0"
wait_exit "$PC" 20
[ "$rc" = 0 ] || fail "viewer $CLARA exit $rc after End, want 0"
grep -qi 'ended' "$T/ben.out" || fail "viewer ben was not told the session ended"
wait_exit "$MASTER_PID" 10
[ "$rc" = 0 ] || fail "master exit $rc after End, want 0"
grep -q 'session ended' "$T/host.log" || fail "the master did not say the session ended"
note "End on the indicator at $X,$Y ended the session for both viewers"

# --headless: neither window nor indicator, even with a display and a viewer.
start_master quiet "$RELAY" --auto-accept
start_viewer dora "$RELAY" "$SESSION" "$CODE"
wait_for "$T/quiet.out" '^allowed slot=1 ' 20
wait_for "$T/dora.out" '^frame ' 20
stack | grep -q ' Fernsicht' && { stack | sed 's/^/  | /'; fail "a headless master opened a window"; }
note "--headless: no window, no indicator"
