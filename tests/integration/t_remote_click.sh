# A supporter with control moves the pointer of the very screen the host's
# window is on, so its clicks can land on that window. One could allow
# another viewer (an accomplice) or make a new code. A click in the host's
# window that comes within MASTER_REMOTE_INPUT_GUARD_MS of a viewer's
# injected click may be that viewer's: Allow is ignored then, with an
# event line, and the host's own click a moment later still allows.
# (Xvfb without a window manager; the master shares it with --source x11.)
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
start_xvfb 1024x768
start_relay relay
mkfifo "$T/host.in"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
HOSTUI_DEBUG=1 SDL_VIDEODRIVER=x11 "$B/fernsicht-master" --relay "$RELAY" \
    --source x11 --name host --fps 10 --inbox "$T/in" <"$T/host.in" >"$T/host.out" \
    2>"$T/host.log" &
MASTER_PID=$!
pids="$pids $MASTER_PID"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10
SESSION=$(sed -n 's/^session=\([0-9]*\) .*/\1/p' "$T/host.out" | head -1)
HWIN=$(timeout 10 xdotool search --sync --name '^Fernsicht - session' | head -1)
[ -n "$HWIN" ] || fail "no host window"

# center SLOT: the screen position of the Allow button of SLOT's prompt,
# as the window last drew it ("button ALLOW_CONTROL SLOT X Y W H").
center() {
	eval "$(xdotool getwindowgeometry --shell "$HWIN")"
	grep "^button ALLOW_CONTROL $1 " "$T/host.log" | tail -1 |
	    awk -v wx="$X" -v wy="$Y" '{ print wx + $4 + int($6 / 2), wy + $5 + int($7 / 2) }'
}

# Learn where the prompt's Allow is while one viewer watches and one asks
# (names of the same length as below, so the same layout), then end both.
start_viewer a0 "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames
wait_for "$T/host.out" '^consent slot=1 ' 15
master_cmd host y
wait_for "$T/host.out" '^allowed slot=1 ' 10
start_viewer b0 "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames
wait_for "$T/host.out" '^consent slot=2 ' 15
wait_for "$T/host.log" '^button ALLOW_CONTROL 2 ' 10
sleep 0.5
set -- $(center 2)
cx=$1 cy=$2
[ -n "$cx" ] && [ -n "$cy" ] || fail "no Allow button for slot 2"
master_cmd host n
master_cmd host "kick 1"
wait_for "$T/host.out" '^kicked slot=1' 10

# The supporter's script: wait until the other viewer asks, then click
# the host's Allow for it.
printf 'sleep 6000\npointer %s %s\nbutton 1 down\nbutton 1 up\n' "$cx" "$cy" >"$T/click"
start_viewer a1 "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames --input-script "$T/click"
A_PID=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=3 ' 15
master_cmd host y
wait_for "$T/host.out" '^allowed slot=3 rights=control' 10
start_viewer b1 "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames
wait_for "$T/host.out" '^consent slot=4 ' 15
set -- $(center 4)
[ "$1 $2" = "$cx $cy" ] || fail "the prompt moved: $1 $2, not $cx $cy"
wait_for "$T/host.out" '^input slot=3 kind=button|^ignored: a click' 15
wait_for "$T/host.out" '^ignored: a click in the host.s window right after a viewer.s input \(allow\)' 10
sleep 0.5
grep -q '^allowed slot=4' "$T/host.out" && fail "the supporter's click allowed the other viewer"
note "a supporter's click on the host's Allow: ignored, the other viewer still waits"

# The host's own click, once the supporter's input is a while ago, allows.
sleep 1.6
xdotool mousemove "$cx" "$cy" click 1
wait_for "$T/host.out" '^allowed slot=4 ' 10
note "the host's own click 1.6 s later allows"
kill "$A_PID" 2>/dev/null
