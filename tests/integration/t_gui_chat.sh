# Chat between the two windows of a real session, each on its own X
# server with a German layout: the supporter opens the panel (F9), types
# a line and the host gets it as a 'chat' event and in its window, with
# none of the keys reaching the host's screen; the host clicks into its
# chat, answers, and the viewer gets a 'chat' event and draws the line;
# with the panel hidden the next line leaves an unread mark on the Chat
# button. A file dropped on the viewer's window (XDND) is a 'drop' event
# and arrives in the host's inbox, and the host's transfer list offers to
# open its folder; a folder dropped on the host's window arrives at the
# supporter.
. "$(dirname "$0")/lib.sh"
for p in xdotool xwd setxkbmap; do
	command -v $p >/dev/null || fail "$p is not installed (make deps)"
done
px() { python3 "$top/tests/tools/pixels.py" "$@"; }
BADGE=214,40,40         # GUI_BADGE in gui/paint.h
TEXT=28,28,28           # GUI_TEXT
start_xvfb 1024x768
HOST=$DISPLAY
setxkbmap -display "$HOST" de || fail "setxkbmap de"
start_xvfb 1280x800
DESK=$DISPLAY
setxkbmap -display "$DESK" de || fail "setxkbmap de"
export DISPLAY="$HOST"
start_relay relay

mkfifo "$T/host.in"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" HOSTUI_DEBUG=1 SDL_VIDEODRIVER=x11 \
    "$B/fernsicht-master" --relay "$RELAY" --source test-pattern --fps 10 --name host-pc \
    --auto-accept --print-input --inbox "$T/hin" <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
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

DISPLAY=$DESK ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    VIEWER_WINDOW_DEBUG=1 SDL_VIDEODRIVER=x11 "$B/fernsicht-viewer" --relay "$RELAY" \
    "$SESSION" --code "$CODE" --name support-desk --quiet-frames --inbox "$T/vin" \
    >"$T/v.out" 2>"$T/v.log" &
VIEWER_PID=$!
pids="$pids $VIEWER_PID"
wait_for "$T/host.out" '^allowed slot=1 ' 20
wait_for "$T/v.out" '^allowed ' 20
VWIN=$(DISPLAY=$DESK timeout 10 xdotool search --sync --name 'Fernsicht - session' | head -1)
[ -n "$VWIN" ] || fail "no viewer window"
# Fitted to the picture it may reach past the screen's edge (no window
# manager here to keep it on screen): xwd reads only what is on screen.
DISPLAY=$DESK xdotool windowmove --sync "$VWIN" 0 0 || fail "cannot move the viewer window"
DISPLAY=$DESK xdotool windowfocus --sync "$VWIN" || fail "cannot focus the viewer window"
DISPLAY=$DESK xdotool mousemove --window "$VWIN" 200 200

# drawn LOG KIND ARG: the place "x y w h" as the window last printed it.
drawn() {
	awk -v k="$2" -v s="$3" '/^redraw /{r = ""} $1 == "button" && $2 == k && $3 == s {
	    r = $4 " " $5 " " $6 " " $7} END {print r}' "$1"
}
wait_drawn() {
	_i=0
	while BTN=$(drawn "$1" "$2" "$3"); [ -z "$BTN" ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "no $2 $3 was drawn"
		sleep 0.05
	done
}
wait_state() {
	_i=0
	until grep '^chat lines=' "$1" | tail -1 | grep -q "$2"; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "chat state is '$(grep '^chat lines=' "$1" | tail -1)', not /$2/"
		sleep 0.05
	done
}

# The supporter writes: the host gets the line, the host's screen no key.
wait_drawn "$T/host.log" CHAT_ENTRY 0
set -- $BTN
HHIST="$1 $(($2 - 110)) $3 104"         # the host's history, above its entry
xwd -id "$HWIN" -silent -out "$T/h0.xwd" || fail "xwd"
DISPLAY=$DESK xdotool key F9
wait_state "$T/v.log" 'focus=1 panel=1'
keys=$(count "$T/host.out" '^input slot=1 kind=key')
DISPLAY=$DESK xdotool type --delay 40 'Grüße vom Support' || fail "xdotool could not type"
DISPLAY=$DESK xdotool key Return
wait_for "$T/host.out" '^chat slot=1 text="Grüße vom Support"$' 20
wait_state "$T/host.log" 'lines=1 '
[ "$(count "$T/host.out" '^input slot=1 kind=key')" = "$keys" ] ||
    fail "keys typed into the viewer's chat reached the host"
sleep 0.3
xwd -id "$HWIN" -silent -out "$T/h1.xwd" || fail "xwd"
a=$(px count "$T/h0.xwd" $TEXT $HHIST)
b=$(px count "$T/h1.xwd" $TEXT $HHIST)
[ "$b" -gt $((a + 80)) ] || fail "the host's window does not show the line ($a -> $b text pixels)"
note "supporter -> host: 'chat slot=1' event, drawn in the host's window ($a -> $b text pixels), no key sent"

# The host answers in its window; the viewer draws the line.
wait_drawn "$T/v.log" CHAT_ENTRY 0
set -- $BTN
VHIST="$1 $(($2 - 200)) $(($3 + 60)) 195"
DISPLAY=$DESK xwd -id "$VWIN" -silent -out "$T/v0.xwd" || fail "xwd"
wait_drawn "$T/host.log" CHAT_ENTRY 0
set -- $BTN
xdotool mousemove --window "$HWIN" $(($1 + 20)) $(($2 + $4 / 2)) click 1
wait_state "$T/host.log" 'focus=1'
xdotool type --delay 40 'Danke, ich sehe es' || fail "xdotool could not type on the host"
xdotool key Return
wait_for "$T/v.out" '^chat text="Danke, ich sehe es"$' 20
wait_state "$T/v.log" 'lines=2 '
wait_state "$T/host.log" 'lines=2 '
sleep 0.3
DISPLAY=$DESK xwd -id "$VWIN" -silent -out "$T/v1.xwd" || fail "xwd"
a=$(px count "$T/v0.xwd" $TEXT $VHIST)
b=$(px count "$T/v1.xwd" $TEXT $VHIST)
[ "$b" -gt $((a + 80)) ] || fail "the viewer's window does not show the line ($a -> $b text pixels)"
note "host -> supporter: 'chat' event, drawn in the viewer's panel ($a -> $b text pixels)"

# With the panel hidden, a line leaves an unread mark on the Chat button.
DISPLAY=$DESK xdotool key F9
wait_state "$T/v.log" 'unread=0 focus=0 panel=0'
eval "$(DISPLAY=$DESK xdotool getwindowgeometry --shell "$VWIN")"
BAR="0 $((HEIGHT - 20)) $WIDTH 20"      # STATUS_H in viewer/display.c
DISPLAY=$DESK xwd -id "$VWIN" -silent -out "$T/v2.xwd" || fail "xwd"
xdotool type --delay 40 'Noch da?'
xdotool key Return
wait_for "$T/v.out" '^chat text="Noch da\?"$' 20
wait_state "$T/v.log" 'lines=3 unread=1 focus=0 panel=0'
sleep 0.3
DISPLAY=$DESK xwd -id "$VWIN" -silent -out "$T/v3.xwd" || fail "xwd"
a=$(px count "$T/v2.xwd" $BADGE $BAR)
b=$(px count "$T/v3.xwd" $BADGE $BAR)
[ "$a" = 0 ] && [ "$b" -gt 50 ] || fail "no unread mark while the panel is hidden ($a -> $b)"
note "panel hidden: a line from the host marks the Chat button ($b pixels)"

# A file dropped on the viewer's window.
mkdir -p "$T/files"
echo "Bericht" >"$T/files/Bericht 1.txt"
DISPLAY=$DESK "$B/tools/xdnd_drop" --window "$VWIN" "$T/files/Bericht 1.txt" >"$T/drop.out" 2>&1 ||
    fail "the viewer window did not take the drop: $(cat "$T/drop.out")"
wait_for "$T/v.out" "^drop path=\"$T/files/Bericht 1.txt\"\$" 10
wait_for "$T/host.out" '^file-done slot=1 .*name="Bericht 1.txt"' 20
cmp "$T/files/Bericht 1.txt" "$T/hin/Bericht 1.txt" || fail "the dropped file did not arrive"
wait_for "$T/host.log" '^button OPEN_FOLDER 1 ' 10
note "drop -> 'drop path=...' event, the file in the host's inbox, Open folder in its list"

# A folder dropped on the host's window goes to the one supporter.
mkdir -p "$T/files/Protokolle"
echo "Zeile" >"$T/files/Protokolle/log 1.txt"
"$B/tools/xdnd_drop" --window "$HWIN" "$T/files/Protokolle" >"$T/hdrop.out" 2>&1 ||
    fail "the host window did not take the drop: $(cat "$T/hdrop.out")"
wait_for "$T/host.out" "^drop path=\"$T/files/Protokolle\"\$" 10
wait_for "$T/v.out" '^file-done .*dir=in name="Protokolle"' 20
diff -r "$T/files/Protokolle" "$T/vin/Protokolle" >/dev/null || fail "the host's folder differs"
note "a folder dropped on the host's window arrives at the supporter"

# The host takes the files right back with a click in the viewers list.
wait_for "$T/host.log" '^button FILES_OFF 1 ' 10
set -- $(grep '^button FILES_OFF 1 ' "$T/host.log" | tail -1 | cut -d' ' -f4-7)
xdotool mousemove --window "$HWIN" $(($1 + $3 / 2)) $(($2 + $4 / 2)) click 1
wait_for "$T/host.out" '^files-revoked slot=1 rights=control,clipboard$' 10
wait_for "$T/v.out" '^rights rights=control,clipboard size=' 10
wait_for "$T/host.log" '^button FILES_ON 1 ' 10
note "No files in the host's list takes the files right back"

master_cmd host end
wait_exit "$VIEWER_PID" 20
[ "$rc" = 0 ] || fail "viewer exit $rc"
wait_exit "$MASTER_PID" 20
[ "$rc" = 0 ] || fail "master exit $rc"
