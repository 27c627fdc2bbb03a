# The file drop in the viewer's window: the host drops a file during the
# session ("drop PATH"); the viewer's window shows the link in its chat
# and a Fetch button; a click fetches it with the viewer's identity into
# its inbox, beside the session (frames keep coming), and the chat says
# where it went. A second click on the spent one-time link says why it
# failed in the chat, and leaves no file.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
export HOME="$T/home"
mkdir -p "$HOME" "$T/drop" "$T/src"
start_xvfb 1280x800
start_relay relay --drop-dir "$T/drop"
start_master host "$RELAY" --auto-accept --fps 10
head -c $((20 * 1024 * 1024)) /dev/urandom >"$T/src/report.bin"

ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" VIEWER_WINDOW_DEBUG=1 \
    SDL_VIDEODRIVER=x11 "$B/fernsicht-viewer" --relay "$RELAY" "$SESSION" --code "$CODE" \
    --name desk --inbox "$T/vin" >"$T/v.out" 2>"$T/v.log" &
VIEWER_PID=$!
pids="$pids $VIEWER_PID"
wait_for "$T/host.out" '^drop-identity slot=1$' 20
VWIN=$(timeout 10 xdotool search --sync --name 'Fernsicht - session' | head -1)
[ -n "$VWIN" ] || fail "no viewer window"
xdotool windowmove --sync "$VWIN" 0 0 || fail "cannot move the viewer window"

master_cmd host "drop $T/src/report.bin"
wait_for "$T/host.out" '^drop-sent slot=1$' 30
wait_for "$T/v.out" '^drop-offer link=' 10

# drawn KIND: the place "x y w h" of the button the window last printed.
drawn() {
	awk -v k="$1" '$1 == "button" && $2 == k { r = $4 " " $5 " " $6 " " $7 } END { print r }' \
	    "$T/v.log"
}
_i=0
while BTN=$(drawn DROP_FETCH); [ -z "$BTN" ]; do
	_i=$((_i + 1))
	[ $_i -lt 200 ] || fail "no Fetch button was drawn"
	sleep 0.05
done
click() {
	set -- $BTN
	xdotool mousemove --window "$VWIN" $(($1 + $3 / 2)) $(($2 + $4 / 2)) click 1
}
before=$(frames v)
chat_before=$(grep '^chat lines=' "$T/v.log" | tail -1 | sed 's/chat lines=\([0-9]*\).*/\1/')
click
wait_for "$T/v.out" '^drop-fetched name="report.bin" bytes=20971520$' 30
cmp "$T/src/report.bin" "$T/vin/report.bin" || fail "the file fetched from the window differs"
wait_for "$T/v.out" '^frame ' 5
[ "$(frames v)" -gt "$before" ] || fail "no frame while the window fetched"
# The chat got the note (drawn, not logged: the window's debug lines count it).
lines() { grep '^chat lines=' "$T/v.log" | tail -1 | sed 's/chat lines=\([0-9]*\).*/\1/'; }
_i=0
until [ "$(lines)" -gt "$chat_before" ]; do
	_i=$((_i + 1))
	[ $_i -lt 100 ] || fail "no chat note after the fetch (lines $(lines))"
	sleep 0.05
done

# The link is spent: a second click says so, and writes nothing.
sleep 0.5
click
wait_for "$T/v.out" '^fetch-failed reason=".*used up' 30
[ "$(ls "$T/vin")" = "report.bin" ] || fail "a failed fetch left files: $(ls "$T/vin")"
kill -0 "$VIEWER_PID" || fail "the viewer ended"
exit 0
