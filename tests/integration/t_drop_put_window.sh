# Leaving a file on the relay from either window: once the relay keeps
# drops, both windows show a button that says where dragged files go. The
# host switches it to the relay and drags a file onto its window (XDND):
# the file is uploaded, the viewer gets a link and fetches it with its
# Fetch button, byte-identical. The viewer does the same the other way;
# the host fetches with its own Fetch button. Switched back, a dragged
# file is sent straight to the other side again.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
export HOME="$T/home"
mkdir -p "$HOME" "$T/drop" "$T/src" "$T/vhome"
start_xvfb 1600x900
start_relay relay --drop-dir "$T/drop"
head -c 3000000 /dev/urandom >"$T/src/from host.bin"
head -c 2000000 /dev/urandom >"$T/src/from-viewer.bin"
echo "sent straight" >"$T/src/direct.txt"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

mkfifo "$T/host.in"
HOSTUI_DEBUG=1 SDL_VIDEODRIVER=x11 "$B/fernsicht-master" --relay "$RELAY" \
    --source test-pattern --fps 10 --name host-pc --auto-accept --inbox "$T/hin" \
    <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
MASTER_PID=$!
pids="$pids $MASTER_PID"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10
line=$(grep '^session=' "$T/host.out" | tail -1)
SESSION=$(echo "$line" | sed 's/session=\([0-9]*\) .*/\1/')
CODE=$(echo "$line" | sed 's/.*code=\([0-9]*\).*/\1/')
HWIN=$(timeout 10 xdotool search --sync --name 'Fernsicht - session' | head -1)
[ -n "$HWIN" ] || fail "no host window"
xdotool windowmove --sync "$HWIN" 0 0 || fail "cannot move the host window"

HOME="$T/vhome" VIEWER_WINDOW_DEBUG=1 SDL_VIDEODRIVER=x11 "$B/fernsicht-viewer" \
    --relay "$RELAY" "$SESSION" --code "$CODE" --name desk --inbox "$T/vin" \
    >"$T/v.out" 2>"$T/v.log" &
VIEWER_PID=$!
pids="$pids $VIEWER_PID"
wait_for "$T/host.out" '^drop-identity slot=1$' 20
wait_for "$T/v.out" '^drop-grant ' 20
_i=0
while VWIN=$(xdotool search --name 'Fernsicht - session' | grep -v "^$HWIN\$" | head -1)
    [ -z "$VWIN" ]; do
	_i=$((_i + 1)); [ $_i -lt 100 ] || fail "no viewer window"; sleep 0.1
done
xdotool windowmove --sync "$VWIN" 620 0 || fail "cannot move the viewer window"

# drawn LOG KIND: "ARG x y w h" of the button the window last printed.
drawn() {
	awk -v k="$2" '/^redraw /{r = ""} $1 == "button" && $2 == k { r = $3 " " $4 " " $5 " " \
	    $6 " " $7 } END { print r }' "$1"
}
# click WIN LOG KIND [ARG]: once the button is drawn (with that argument)
# and has settled (a window may grow once it is there).
click() {
	_i=0
	while BTN=$(drawn "$2" "$3"); [ -z "$BTN" ] || { [ -n "${4:-}" ] &&
	    [ "${BTN%% *}" != "$4" ]; }; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || fail "no $3 ${4:-} drawn in $2"; sleep 0.05
	done
	sleep 0.5
	set -- "$1" $(drawn "$2" "$3")
	xdotool mousemove --window "$1" $(($3 + $5 / 2)) $(($4 + $6 / 2)) click 1
}
dnd() {
	"$B/tools/xdnd_drop" --window "$1" "$2" >"$T/dnd.out" 2>&1 ||
	    fail "the drag onto the window was not taken: $(cat "$T/dnd.out")"
}

# The host: dragged files to the relay; one dragged onto its window.
click "$HWIN" "$T/host.log" DROP_MODE 0
wait_for "$T/host.out" '^drop-mode relay=1$' 10
dnd "$HWIN" "$T/src/from host.bin"
wait_for "$T/host.out" '^drop-started path=".*from host.bin" identities=2$' 10
wait_for "$T/host.out" '^drop-sent slot=1$' 30
wait_for "$T/v.out" '^drop-offer link=' 10
! grep -q '^file-offer' "$T/v.out" || fail "the file was sent straight, not left on the relay"
click "$VWIN" "$T/v.log" DROP_FETCH
wait_for "$T/v.out" '^drop-fetched name="from host.bin" bytes=3000000$' 30
cmp "$T/src/from host.bin" "$T/vin/from host.bin" || fail "the viewer's copy differs"
grep -q 'chat lines=[1-9]' "$T/host.log" || fail "no note in the host's window"
note "host: a file dragged onto the window with the relay chosen reached the viewer's Fetch"

# The viewer: the same the other way.
click "$VWIN" "$T/v.log" DROP_MODE 0
wait_for "$T/v.out" '^drop-mode relay=1$' 10
dnd "$VWIN" "$T/src/from-viewer.bin"
wait_for "$T/v.out" '^drop-started path=".*from-viewer.bin" identities=2$' 10
wait_for "$T/v.out" '^drop-sent host$' 30
wait_for "$T/host.out" '^drop-offer slot=1 link=' 10
! grep -q '^file-offer' "$T/host.out" || fail "the viewer's file was sent straight"
click "$HWIN" "$T/host.log" FETCH_DROP
wait_for "$T/host.out" '^drop-fetched name="from-viewer.bin" bytes=2000000$' 30
cmp "$T/src/from-viewer.bin" "$T/hin/from-viewer.bin" || fail "the host's copy differs"
note "viewer: a file dragged onto the window with the relay chosen reached the host's Fetch"

# Switched back: a dragged file goes straight to the other side.
click "$VWIN" "$T/v.log" DROP_MODE 1
wait_for "$T/v.out" '^drop-mode relay=0$' 10
dnd "$VWIN" "$T/src/direct.txt"
wait_for "$T/host.out" '^file-done .*dir=in name="direct.txt"' 30
cmp "$T/src/direct.txt" "$T/hin/direct.txt" || fail "the file sent straight differs"
[ "$(grep -c '^drop-started' "$T/v.out")" = 1 ] || fail "the viewer dropped again"
# Nothing readable was left on the relay.
! grep -rqs "sent straight" "$T/drop" || fail "plain text in the drop dir"
! grep -rl "from host\|from-viewer" "$T/drop" >/dev/null 2>&1 || fail "a file name in the drop dir"
kill -0 "$MASTER_PID" || fail "the master ended"
kill -0 "$VIEWER_PID" || fail "the viewer ended"
note "switched back, a dragged file is sent straight again"
exit 0
