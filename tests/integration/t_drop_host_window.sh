# A viewer's drop for the host, in the host's window: a headless viewer
# drops a file with --drop during the session; the host's window gets a
# chat line and a Fetch button; a click fetches the file with the host's
# identity into its inbox (byte-identical) beside the session; a second
# click on the spent one-time link fails and writes nothing.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
export HOME="$T/home"
mkdir -p "$HOME" "$T/drop" "$T/src" "$T/vhome"
start_xvfb 1024x768
start_relay relay --drop-dir "$T/drop"
head -c 2000000 /dev/urandom >"$T/src/notes.bin"

mkfifo "$T/host.in"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" HOSTUI_DEBUG=1 SDL_VIDEODRIVER=x11 \
    "$B/fernsicht-master" --relay "$RELAY" --source test-pattern --fps 10 --name host-pc \
    --auto-accept --inbox "$T/hin" <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
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

HOME="$T/vhome" start_viewer desk "$RELAY" "$SESSION" "$CODE" --drop "$T/src/notes.bin"
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "the viewer's --drop: exit $rc: $(cat "$T/desk.out")"
wait_for "$T/host.out" '^drop-offer slot=1 link=' 10

# drawn KIND: the place "x y w h" of the button the window last printed.
drawn() {
	awk -v k="$1" '/^redraw /{r = ""} $1 == "button" && $2 == k { r = $4 " " $5 " " $6 " " $7 }
	    END { print r }' "$T/host.log"
}
_i=0
while BTN=$(drawn FETCH_DROP); [ -z "$BTN" ]; do
	_i=$((_i + 1))
	[ $_i -lt 200 ] || fail "no Fetch button was drawn"
	sleep 0.05
done
# The window may grow once the button is there: click where it settled.
click() {
	sleep 0.5
	BTN=$(drawn FETCH_DROP)
	set -- $BTN
	xdotool mousemove --window "$HWIN" $(($1 + $3 / 2)) $(($2 + $4 / 2)) click 1
}
click
wait_for "$T/host.out" '^drop-fetched name="notes.bin" bytes=2000000$' 30
cmp "$T/src/notes.bin" "$T/hin/notes.bin" || fail "the file fetched from the window differs"
grep -q 'chat lines=[1-9]' "$T/host.log" || fail "no chat line for the drop"

# The link is spent: a second click says so and writes nothing.
sleep 0.5
_i=0
while BTN=$(drawn FETCH_DROP); [ -z "$BTN" ]; do
	_i=$((_i + 1)); [ $_i -lt 200 ] || fail "no Fetch button after the fetch"; sleep 0.05
done
click
wait_for "$T/host.out" '^fetch-failed reason=".*used up' 30
[ "$(ls "$T/hin")" = "notes.bin" ] || fail "a failed fetch left files: $(ls "$T/hin")"
kill -0 "$MASTER_PID" || fail "the master ended"
note "the host's window fetched a viewer's drop; the one-time link is spent"
exit 0
