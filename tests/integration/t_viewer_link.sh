# A fernsicht://RELAY/SESSION link, as the desktop's URL handler passes it
# (fernsicht-viewer %u): the start window opens with relay and session
# number filled in, only the code is typed, and the session runs. Hostile
# links end the viewer at once with exit 1 and a reason, before any
# window or connection; a link beside --relay is refused too.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"

# Refused links: exit 1, the reason on stderr, nothing on stdout.
# (No display: the message box a link clicked in a browser gets comes below.)
refused() {
	env -u DISPLAY "$B/fernsicht-viewer" "$1" >"$T/bad.out" 2>"$T/bad.log"
	rc=$?
	[ "$rc" = 1 ] || fail "link '$1': exit $rc, want 1"
	grep -q "$2" "$T/bad.log" || fail "link '$1': no '$2' in: $(cat "$T/bad.log")"
	[ ! -s "$T/bad.out" ] || fail "link '$1' printed events: $(cat "$T/bad.out")"
}
refused "fernsicht://user:pw@127.0.0.1/48213" "no user name or password"
refused "fernsicht://127.0.0.1/4821x" "five digits"
refused "fernsicht://127.0.0.1:70000/48213" "number from 1 to 65535"
refused "fernsicht://127.0.0.1/48213/more" "goes on after the session number"
refused "fernsicht://127.0.0.1/48%3213" "percent-escapes"
refused "fernsicht://$(printf '%0300d' 0)/48213" "longer than"
env -u DISPLAY "$B/fernsicht-viewer" --relay 127.0.0.1 "fernsicht://127.0.0.1/48213" \
    2>"$T/bad.log"
[ $? = 1 ] && grep -q "names its relay" "$T/bad.log" || fail "a link beside --relay was taken"
env -u DISPLAY LANGUAGE=de "$B/fernsicht-viewer" "fernsicht://127.0.0.1/4821x" 2>"$T/bad.log"
grep -q "fünfstellig" "$T/bad.log" || fail "no German reason: $(cat "$T/bad.log")"
note "hostile links refused with exit 1 and a reason (also in German)"

start_xvfb 1024x768

# With a display (a link clicked in a browser) the reason is also shown in
# a message box; Return closes it and the viewer ends with exit 1.
"$B/fernsicht-viewer" "fernsicht://127.0.0.1/4821x" >"$T/box.out" 2>"$T/box.log" &
box=$!
pids="$pids $box"
message_box "$box" "a bad link with a display"
win=$MESSAGE_BOX
xdotool windowfocus --sync "$win" key Return 2>/dev/null || true
wait_exit "$box" 10
[ "$rc" = 1 ] || fail "the viewer exits $rc after the bad link's message box, not 1"
note "with a display a bad link is also told in a message box"
start_relay relay
start_master host "$RELAY" --auto-accept
mkdir -p "$T/empty"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" XDG_CONFIG_HOME="$T/empty" \
    SDL_VIDEODRIVER=x11 "$B/fernsicht-viewer" --quiet-frames --name desk \
    "fernsicht://$RELAY/$SESSION" >"$T/v.out" 2>"$T/v.log" &
VIEWER_PID=$!
pids="$pids $VIEWER_PID"
wait_for "$T/v.out" "^start-window relay=\"$RELAY\" from=link$" 10
WIN=$(timeout 10 xdotool search --sync --name '^Fernsicht - join a session$' | head -1)
[ -n "$WIN" ] || fail "no start window for the link"
xdotool windowfocus --sync "$WIN" || fail "xdotool could not focus the window"
xdotool mousemove --window "$WIN" 20 20
sleep 0.3
# The focus is on the code: the number came from the link.
xdotool type --delay 40 "$CODE" || fail "xdotool could not type"
xdotool key Return || fail "xdotool could not press Return"
wait_for "$T/v.out" "^start-connect session=$SESSION relay=\"$RELAY\"$" 10
wait_for "$T/host.out" '^verified slot=[0-9]* name="desk"' 20
wait_for "$T/v.out" '^allowed rights=' 10
note "link fernsicht://$RELAY/$SESSION: the window asked only for the code, session allowed"
kill -TERM "$VIEWER_PID"
wait_exit "$VIEWER_PID" 10
[ "$rc" = 0 ] || fail "viewer exit $rc after the session"
