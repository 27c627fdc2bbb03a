# The windows' chat panel and transfer list without a session, on a
# private X server: hostui_demo and display_demo are given chat lines and
# fake transfer rows. A line that arrives is drawn, and marked unread
# while the host's window has no focus or the viewer's panel is hidden;
# what is typed into the chat goes there and not to a consent prompt or
# the host's keyboard; the entry holds MSG_TEXT_MAX bytes, cut on a
# character boundary, without control characters; Cancel and Open folder
# work (xdg-open missing is said plainly); a file dropped on the viewer's
# window is reported. Leaves build/screenshots/{host,viewer}-chat.png.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
command -v xwininfo >/dev/null || fail "xwininfo is not installed (make deps)"
command -v setxkbmap >/dev/null || fail "setxkbmap is not installed (make deps)"
start_xvfb 1024x768
# A German layout: umlauts are keys of their own, and the key beside
# ß is a dead acute, as a supporter's keyboard may have them.
setxkbmap -display "$DISPLAY" de || fail "setxkbmap de"
shots="$top/build/screenshots"
mkdir -p "$shots"
px() { python3 "$top/tests/tools/pixels.py" "$@"; }
BADGE=214,40,40         # GUI_BADGE in gui/paint.h
TEXT=28,28,28           # GUI_TEXT
DANGER=168,28,28        # GUI_DANGER

# A file manager that only notes what it was asked to open; and a PATH
# without any.
mkdir -p "$T/bin" "$T/nobin" "$T/inbox" "$T/files"
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s/opened"\n' "$T" >"$T/bin/xdg-open"
chmod +x "$T/bin/xdg-open"
echo data >"$T/inbox/logs.tar.gz"

# drawn LOG KIND ARG: the place "x y w h" in the window's latest redraw.
drawn() {
	awk -v k="$2" -v s="$3" '/^redraw /{r = ""} $1 == "button" && $2 == k && $3 == s {
	    r = $4 " " $5 " " $6 " " $7} END {print r}' "$1"
}
# wait_drawn LOG KIND ARG: until it is there; sets BTN.
wait_drawn() {
	_i=0
	while BTN=$(drawn "$1" "$2" "$3"); [ -z "$BTN" ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "no $2 $3 was drawn"
		sleep 0.05
	done
}
# click LOG WIN KIND ARG: the left button at the centre of that place.
click() {
	wait_drawn "$1" "$3" "$4"
	set -- "$2" $BTN
	xdotool mousemove --window "$1" $(($2 + $4 / 2)) $(($3 + $5 / 2)) click 1 ||
	    fail "xdotool could not click"
}
# last_state LOG: the latest "chat lines=..." line.
last_state() { grep '^chat lines=' "$1" | tail -1; }
wait_state() {
	_i=0
	until last_state "$1" | grep -q "$2"; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "chat state is '$(last_state "$1")', not /$2/"
		sleep 0.05
	done
}

# Without X (no DISPLAY, SDL's dummy driver: then SDL opens no D-Bus, whose
# buffers LeakSanitizer would report), so that under ASan the widgets'
# memory is leak-checked too: lines, notes, rows, a screenshot, closing.
demo_lines='chat host-pc hello
mine hi
note a note of the window
transfer 0 1 in done 100 100 0 host-pc a.txt /tmp/a.txt
transfer 0 2 out running 1000 10 5 host-pc b.txt
untransfer 2'
{ printf '%s\nscreenshot %s\n' "$demo_lines" "$T/dummy-v.bmp"; sleep 1; } |
    DISPLAY= SDL_VIDEODRIVER=dummy "$B/tools/display_demo" --seconds 2 --commands >"$T/dummy-v.out" \
    2>"$T/dummy-v.log" || fail "display_demo (dummy driver) failed"
{ printf 'session 48213 071934\nviewer 1 VIEWING alice 192.0.2.7:1 123456\n%s\n' "$demo_lines"
  printf 'screenshot %s\n' "$T/dummy-h.bmp"; } |
    DISPLAY= SDL_VIDEODRIVER=dummy "$B/tools/hostui_demo" >"$T/dummy-h.out" 2>"$T/dummy-h.log" ||
    fail "hostui_demo (dummy driver) failed"
grep -q '^screenshot ' "$T/dummy-v.out" && grep -q '^screenshot ' "$T/dummy-h.out" ||
    fail "the dummy-driver demos saved no screenshot"

# ---- the host's window ----
mkfifo "$T/ui.in"
PATH="$T/bin:$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
SDL_VIDEODRIVER=x11 HOSTUI_DEBUG=1 "$B/tools/hostui_demo" <"$T/ui.in" >"$T/ui.out" 2>"$T/ui.log" &
UI_PID=$!
pids="$pids $UI_PID"
sleep 1000000 >"$T/ui.in" &
pids="$pids $!"
wait_for "$T/ui.out" '^ready$' 10
ui() { printf '%s\n' "$1" >>"$T/ui.in"; }
shot() { ui "screenshot $1"; wait_for "$T/ui.out" "^screenshot $1\$" 10; }

ui "session 48213 071934"
ui "status connected to the relay"
ui "viewer 1 VIEWING alice 192.0.2.7:51234 123456"
WIN=$(timeout 10 xdotool search --sync --name 'Fernsicht - session' | head -1)
[ -n "$WIN" ] || fail "no host window"
wait_drawn "$T/ui.log" CHAT_ENTRY 0
set -- $BTN
HIST="$1 $(($2 - 120)) $3 114"          # the history, above the entry
# The window is not the one the host looks at: the focus is elsewhere.
ROOT=$(xwininfo -root | awk '/Window id/ {print $4}')
xdotool windowfocus "$ROOT" || fail "xdotool could not move the focus away"
sleep 0.3
shot "$T/h0.bmp"
ui "chat alice Hello, I am connected. Can you see my pointer?"
wait_state "$T/ui.log" 'lines=1 unread=1 focus=0'
shot "$T/h1.bmp"
before=$(px count "$T/h0.bmp" $TEXT $HIST)
after=$(px count "$T/h1.bmp" $TEXT $HIST)
[ "$after" -gt $((before + 80)) ] || fail "the line is not drawn ($before -> $after text pixels)"
badge=$(px count "$T/h1.bmp" $BADGE)
[ "$badge" -gt 50 ] || fail "no unread mark on the host's chat ($badge pixels)"
note "host: a viewer's line is drawn ($before -> $after text pixels), unread mark while unfocused"
xdotool windowfocus --sync "$WIN" || fail "xdotool could not focus the host window"
xdotool mousemove --window "$WIN" 5 5
wait_state "$T/ui.log" 'unread=0'
shot "$T/h2.bmp"
[ "$(px count "$T/h2.bmp" $BADGE)" = 0 ] || fail "the unread mark stays once the host looks"

# A prompt waits while the host types: A, V and D go into the chat.
ui "viewer 2 WAITING bob 198.51.100.2:40000 654321"
wait_drawn "$T/ui.log" ALLOW_CONTROL 2
sleep 1
click "$T/ui.log" "$WIN" CHAT_ENTRY 0
wait_state "$T/ui.log" 'focus=1'
xdotool type --delay 40 'a v d Grüße' || fail "xdotool could not type"
xdotool key Return
wait_for "$T/ui.out" '^action CHAT_SEND slot=0 text="a v d Grüße"$' 10
[ "$(count "$T/ui.out" '^action ')" = 1 ] || fail "keys typed into the chat did more: $(grep '^action' "$T/ui.out")"
xdotool key Escape
wait_state "$T/ui.log" 'focus=0'
xdotool key d
wait_for "$T/ui.out" '^action DENY slot=2$' 10
note "host: typed into the chat with a prompt waiting -> CHAT_SEND only; after Esc, D denies"
ui "drop 2"

# The transfer list: Cancel is reported, Open folder runs xdg-open.
ui "mine Yes. The printer in the hall only prints blank pages."
ui "chat alice I will look at its settings. Please send me its log."
ui "transfer 1 1 in failed 9000 0 0 alice setup.exe you cancelled it"
ui "transfer 1 3 out done 48200 48200 0 alice printer-log.txt"
ui "transfer 1 2 in done 1200000 1200000 0 alice report.pdf $T/inbox/logs.tar.gz"
ui "transfer 1 7 in running 34500000 14100000 2100000 alice driver-5.2.deb"
click "$T/ui.log" "$WIN" CANCEL_TRANSFER 7
wait_for "$T/ui.out" '^action CANCEL_TRANSFER slot=1 id=7 incoming=1$' 10
click "$T/ui.log" "$WIN" OPEN_FOLDER 2
wait_for "$T/opened" "^$T/inbox\$" 10
note "host: Cancel -> CANCEL_TRANSFER slot=1 id=7, Open folder -> xdg-open $T/inbox"
xdotool mousemove --window "$WIN" 5 5
shot "$shots/host-chat.bmp"
python3 "$top/tests/tools/topng.py" "$shots/host-chat.bmp" "$shots/host-chat.png" ||
    fail "cannot convert host-chat"
click "$T/ui.log" "$WIN" END 0
wait_exit "$UI_PID" 10
[ "$rc" = 0 ] || fail "hostui_demo exit $rc"

# ---- the viewer's window ----
mkfifo "$T/demo.in"
PATH="$T/nobin" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
SDL_VIDEODRIVER=x11 VIEWER_WINDOW_DEBUG=1 "$B/tools/display_demo" --seconds 100 --size 1280x720 \
    --commands <"$T/demo.in" >"$T/demo.out" 2>"$T/demo.log" &
DEMO_PID=$!
pids="$pids $DEMO_PID"
sleep 1000000 >"$T/demo.in" &
pids="$pids $!"
wait_for "$T/demo.out" '^ready ' 10
dm() { printf '%s\n' "$1" >>"$T/demo.in"; }
dshot() { dm "screenshot $1"; wait_for "$T/demo.out" "^screenshot $1\$" 10; }
VWIN=$(timeout 10 xdotool search --sync --name '^Fernsicht display demo$' | head -1)
[ -n "$VWIN" ] || fail "no viewer window"
xdotool windowfocus --sync "$VWIN" || fail "xdotool could not focus the viewer window"
xdotool mousemove --window "$VWIN" 5 5
eval "$(xdotool getwindowgeometry --shell "$VWIN")"
BAR="0 $((HEIGHT - 20)) $WIDTH 20"      # STATUS_H in viewer/display.c

wait_state "$T/demo.log" 'panel=0'
dshot "$T/v0.bmp"
dm "chat host-pc Hello, I am the host."
wait_state "$T/demo.log" 'lines=1 unread=1 focus=0 panel=0'
dshot "$T/v1.bmp"
b0=$(px count "$T/v0.bmp" $BADGE $BAR)
b1=$(px count "$T/v1.bmp" $BADGE $BAR)
[ "$b0" = 0 ] && [ "$b1" -gt 50 ] || fail "no unread mark on the Chat button ($b0 -> $b1 pixels)"
xdotool key F9
wait_state "$T/demo.log" 'lines=1 unread=0 focus=1 panel=1'
dshot "$T/v2.bmp"
[ "$(px count "$T/v2.bmp" $BADGE $BAR)" = 0 ] || fail "the unread mark stays with the panel open"
wait_drawn "$T/demo.log" CHAT_ENTRY 0
set -- $BTN
PANEL="$(($1 - 10)) 0 $((WIDTH - $1 + 10)) $2"
[ "$(px count "$T/v2.bmp" $TEXT $PANEL)" -gt 200 ] || fail "the host's line is not drawn in the panel"
note "viewer: unread mark on the Chat button while hidden ($b1 pixels); F9 shows the line"

# Typing goes to the chat, not to the host; Esc gives the keys back.
keys=$(count "$T/demo.out" '^input kind=key ')
xdotool type --delay 40 'Grüße, ok' || fail "xdotool could not type"
# A dead key composes with the next one (SDL_TEXTEDITING, then SDL_TEXTINPUT).
xdotool key dead_acute e Return
wait_for "$T/demo.out" '^chat-send text="Grüße, oké"$' 10
[ "$(count "$T/demo.out" '^input kind=key ')" = "$keys" ] || fail "chat typing reached the host"
# The clipboard's text, pasted: control characters out, then the limit.
"$B/tools/x11_clip" serve "$(printf 'tab\there\001 bell')" 20 >"$T/clip.out" 2>&1 &
CLIP=$!
pids="$pids $CLIP"
wait_for "$T/clip.out" '^serving' 10
xdotool key ctrl+v Return
wait_for "$T/demo.out" '^chat-send text="tab here bell"$' 10
kill "$CLIP" 2>/dev/null
long=$(python3 -c 'print("a" * 4095 + "\u00e9", end="")')
"$B/tools/x11_clip" serve "$long" 20 >"$T/clip2.out" 2>&1 &
pids="$pids $!"
wait_for "$T/clip2.out" '^serving' 10
xdotool key ctrl+v Return
wait_for "$T/demo.out" '^chat-send text="a{4095}"$' 10
note "viewer: typed (umlauts, dead acute) and pasted lines sent (controls out; 4095 a + e-acute cut to 4095 bytes)"
xdotool key Escape
wait_state "$T/demo.log" 'focus=0 panel=1'
xdotool type x
wait_for "$T/demo.out" '^input kind=key code=0x78 arg=1 ' 10

# Files dropped on the window.
echo one >"$T/files/report 1.txt"
echo two >"$T/files/Grüße.pdf"
"$B/tools/xdnd_drop" --window "$VWIN" "$T/files/report 1.txt" "$T/files/Grüße.pdf" \
    >"$T/drop.out" 2>&1 || fail "the drop was not accepted: $(cat "$T/drop.out")"
wait_for "$T/demo.out" "^drop path=\"$T/files/report 1.txt\"\$" 10
wait_for "$T/demo.out" "^drop path=\"$T/files/Grüße.pdf\"\$" 10
note "viewer: two files dropped through XDND -> two drop events"

# The transfer list: Cancel is reported; Open folder without xdg-open says so.
dm "mine Yes, I see it."
dm "transfer 0 3 out failed 5000 0 0 host secret.key the host refused it"
dm "transfer 0 2 in done 1200000 1200000 0 host logs.tar.gz $T/inbox/logs.tar.gz"
dm "transfer 0 1 out running 34500000 12000000 2100000 host report-2024.pdf"
click "$T/demo.log" "$VWIN" CANCEL_TRANSFER 1
wait_for "$T/demo.out" '^cancel id=1 incoming=0$' 10
dshot "$T/v3.bmp"
click "$T/demo.log" "$VWIN" OPEN_FOLDER 2
wait_for "$T/demo.log" 'xdg-open is not installed' 10
sleep 0.3
dshot "$T/v4.bmp"

PANEL_ALL="$(($1 - 10)) 0 $((WIDTH - $1 + 10)) $((HEIGHT - 20))"
r3=$(px count "$T/v3.bmp" $DANGER $PANEL_ALL)
r4=$(px count "$T/v4.bmp" $DANGER $PANEL_ALL)
[ "$r4" -gt $((r3 + 100)) ] || fail "the missing xdg-open is not shown ($r3 -> $r4 red pixels)"
note "viewer: Cancel -> cancel id=1, Open folder without xdg-open is shown in the panel"
kill -TERM "$DEMO_PID"
wait_exit "$DEMO_PID" 20
[ "$rc" = 0 ] || fail "display_demo exit $rc"

# A window for the README: a conversation and two transfers.
mkfifo "$T/doc.in"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" SDL_VIDEODRIVER=x11 \
    "$B/tools/display_demo" --seconds 60 --size 1280x720 --desktop --commands <"$T/doc.in" \
    >"$T/doc.out" 2>"$T/doc.log" &
DOC_PID=$!
pids="$pids $DOC_PID"
sleep 1000000 >"$T/doc.in" &
pids="$pids $!"
wait_for "$T/doc.out" '^ready ' 10
VWIN=$(timeout 10 xdotool search --sync --name '^Fernsicht display demo$' | head -1)
xdotool windowfocus --sync "$VWIN"
xdotool mousemove --window "$VWIN" 320 220
while read -r line; do printf '%s\n' "$line" >>"$T/doc.in"; done <<LINES
transfer 0 1 in done 48200 48200 0 host-pc printer-log.txt $T/inbox/logs.tar.gz
transfer 0 2 out running 34500000 14100000 2100000 host-pc driver-5.2.deb
chat host-pc Hello! The printer in the hall only prints blank pages.
mine I see it. I am opening the printer settings now.
chat host-pc Thank you. The log the printer wrote is on its way to you.
mine Got it. I am sending you the newer driver.
LINES
sleep 0.5
printf 'screenshot %s\n' "$shots/viewer-chat.bmp" >>"$T/doc.in"
wait_for "$T/doc.out" "^screenshot $shots/viewer-chat.bmp\$" 10
python3 "$top/tests/tools/topng.py" "$shots/viewer-chat.bmp" "$shots/viewer-chat.png" ||
    fail "cannot convert viewer-chat"
kill -TERM "$DOC_PID"
wait_exit "$DOC_PID" 20
note "screenshots in build/screenshots/{host,viewer}-chat.png"
