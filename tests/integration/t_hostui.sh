# The host's window on a private X server: it shows the session number,
# the code and a consent prompt; clicks on its buttons and the A key become
# the host's actions. Leaves build/screenshots/hostui-consent.{bmp,xwd}
# for people to look at.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
command -v xwd >/dev/null || fail "xwd is not installed (make deps)"
start_xvfb 1024x768
shots="$top/build/screenshots"
mkdir -p "$shots"

# The demo's stdin is a fifo held open, as start_master does. Under ASan,
# libdbus and the X libraries SDL loads and unloads again report leaks of
# their own, so leak checks are off for this one program.
mkfifo "$T/ui.in"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
SDL_VIDEODRIVER=x11 HOSTUI_DEBUG=1 "$B/tools/hostui_demo" <"$T/ui.in" >"$T/ui.out" 2>"$T/ui.log" &
UI_PID=$!
pids="$pids $UI_PID"
sleep 1000000 >"$T/ui.in" &
pids="$pids $!"
wait_for "$T/ui.out" '^ready$' 10
ui() { printf '%s\n' "$1" >>"$T/ui.in"; }

# drawn KIND SLOT: the button "x y w h" in the window's latest redraw, if any.
drawn() {
	awk -v k="$1" -v s="$2" '/^redraw /{r = ""} $1 == "button" && $2 == k && $3 == s {
	    r = $4 " " $5 " " $6 " " $7} END {print r}' "$T/ui.log"
}

# wait_button KIND SLOT: until the window shows that button; sets BTN.
wait_button() {
	_i=0
	while BTN=$(drawn "$1" "$2"); [ -z "$BTN" ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "no button $1 $2 was drawn"
		sleep 0.05
	done
}

# click KIND SLOT: the left button at the centre of that button.
click() {
	wait_button "$1" "$2"
	set -- $BTN
	xdotool mousemove --window "$WIN" $(($1 + $3 / 2)) $(($2 + $4 / 2)) click 1 ||
	    fail "xdotool could not click"
}

ui "session 48213 071934"
ui "status connected to relay 127.0.0.1:7000"
ui "viewer 1 WAITING alice 192.0.2.7:51234 123456"
WIN=$(timeout 10 xdotool search --sync --name 'Fernsicht' | head -1)
[ -n "$WIN" ] || fail "no window named Fernsicht"
wait_button ALLOW_VIEW 1
xdotool getwindowname "$WIN" | grep -q '^Fernsicht - session 48213$' ||
    fail "window title is '$(xdotool getwindowname "$WIN")'"

ui "screenshot $shots/hostui-consent.bmp"
wait_for "$T/ui.out" '^screenshot ' 10
xwd -root -silent -out "$shots/hostui-consent.xwd" || fail "xwd failed"
# Not a blank picture: the prompt's background and solid text are there.
python3 - "$shots/hostui-consent.bmp" <<'EOF' || fail "the screenshot does not show the prompt"
import struct, sys
d = open(sys.argv[1], "rb").read()
off = struct.unpack_from("<I", d, 10)[0]
w, h = struct.unpack_from("<ii", d, 18)
px = d[off:off + w * abs(h) * 4]
prompt = px.count(bytes((204, 244, 255, 255)))   # BGRA of the prompt's background
text = px.count(bytes((28, 28, 28, 255)))
sys.exit(0 if d[:2] == b"BM" and (w, abs(h)) == (480, 360) and prompt > 5000 and text > 500 else 1)
EOF
note "screenshots in build/screenshots/hostui-consent.{bmp,xwd}"

# A prompt takes no Allow until it was on screen a moment (CONSENT_ARM_MS).
sleep 1
click ALLOW_VIEW 1
wait_for "$T/ui.out" '^action ALLOW_VIEW slot=1$' 10

ui "viewer 1 VIEWING alice 192.0.2.7:51234 123456"
ui "viewer 2 WAITING bob 198.51.100.2:40000 654321"
wait_button ALLOW_CONTROL 2
sleep 1
# Without a window manager the focus follows the pointer: keep it inside.
xdotool mousemove --window "$WIN" 5 5
xdotool key a || fail "xdotool could not type"
wait_for "$T/ui.out" '^action ALLOW_CONTROL slot=2$' 10

# Wrong codes: the window says so in plain words, and after ten it shows
# no code until the host presses New code.
# The same window before and after: other red (Deny, Remove) is in both,
# so only the warning and the blanked code can make the difference.
ui "screenshot $T/before-paused.bmp"
wait_for "$T/ui.out" '^screenshot .*before-paused' 10
ui "failures 10 paused"
ui "screenshot $shots/hostui-paused.bmp"
wait_for "$T/ui.out" '^screenshot .*hostui-paused' 10
python3 - "$T/before-paused.bmp" "$shots/hostui-paused.bmp" <<'EOF' ||
import struct, sys

def red(path):
    d = open(path, "rb").read()
    off = struct.unpack_from("<I", d, 10)[0]
    w, h = struct.unpack_from("<ii", d, 18)
    return d[off:off + w * abs(h) * 4].count(bytes((28, 28, 168, 255)))  # BGRA

before, after = red(sys.argv[1]), red(sys.argv[2])
print(f"  red pixels {before} -> {after}")
sys.exit(0 if after > before + 400 else 1)
EOF
    fail "the paused window shows no warning"
click NEW_CODE 0
wait_for "$T/ui.out" '^action NEW_CODE slot=0$' 10
ui "failures 0"

ui "viewer 2 CONTROLLING bob 198.51.100.2:40000 654321"
click TAKE_CONTROL 0
wait_for "$T/ui.out" '^action TAKE_CONTROL slot=0$' 10
click KICK 1
wait_for "$T/ui.out" '^action KICK slot=1$' 10
ui "viewer 3 AWAY carol - 0"
click KICK_AWAY 3
wait_for "$T/ui.out" '^action KICK_AWAY slot=3$' 10
click END 0
wait_for "$T/ui.out" '^action END slot=0$' 10
wait_exit "$UI_PID" 10
[ "$rc" = 0 ] || fail "hostui_demo exit $rc"
[ "$(count "$T/ui.out" '^action ')" = 7 ] || fail "actions other than the seven clicked"
note "View only, A, New code (paused: build/screenshots/hostui-paused.bmp), Take control back," \
    "Remove, Remove on a reconnecting row and End session were reported"
