# The viewer's window on a private X server: xdotool moves, clicks, scrolls
# and types into display_demo, whose picture (1280x800) is scaled to fit;
# the input it would send must be in remote pixels and keysyms (text as
# text, Ctrl+C as Control_L + c). F8 switches to 1:1. Leaves
# build/screenshots/viewer-window.{bmp,xwd} for people to look at.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
command -v xwd >/dev/null || fail "xwd is not installed (make deps)"
start_xvfb 1024x768
shots="$top/build/screenshots"
mkdir -p "$shots"
IW=1280
IH=800
BAR=20          # STATUS_H in viewer/display.c

# Under ASan, libdbus and the X libraries SDL loads report leaks of their
# own, so leak checks are off for this one program.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
SDL_VIDEODRIVER=x11 "$B/tools/display_demo" --seconds 90 --size ${IW}x$IH \
    --screenshot "$shots/viewer-window.bmp" >"$T/demo.out" 2>"$T/demo.log" &
DEMO_PID=$!
pids="$pids $DEMO_PID"
wait_for "$T/demo.out" '^ready image=1280x800$' 10
WIN=$(timeout 10 xdotool search --sync --name '^Fernsicht display demo$' | head -1)
[ -n "$WIN" ] || fail "no window named 'Fernsicht display demo'"
eval "$(xdotool getwindowgeometry --shell "$WIN")"
note "window ${WIDTH}x$HEIGHT for a ${IW}x$IH picture"
[ "$WIDTH" -lt $IW ] || fail "the picture was not scaled down to fit 1024x768"

# The picture's rectangle as display.c lays it out: fit, centred, above
# the status bar (C and sh both divide towards zero).
AH=$((HEIGHT - BAR))
if [ $((WIDTH * IH)) -le $((AH * IW)) ]; then
	PW=$WIDTH
	PH=$((WIDTH * IH / IW))
else
	PH=$AH
	PW=$((AH * IW / IH))
fi
PX=$(((WIDTH - PW) / 2))
PY=$(((AH - PH) / 2))

# Without a window manager the focus follows the pointer: keep it inside.
xdotool windowfocus --sync "$WIN" || fail "xdotool could not focus the window"
xdotool mousemove --window "$WIN" 5 5
n_ptr() { count "$T/demo.out" '^input kind=pointer '; }

# A point in the picture arrives in remote pixels.
WX=$((PX + 300))
WY=$((PY + 200))
RX=$(((WX - PX) * IW / PW))
RY=$(((WY - PY) * IH / PH))
xdotool mousemove --window "$WIN" $WX $WY
wait_for "$T/demo.out" "^input kind=pointer x=$RX y=$RY arg=0$" 10
xdotool click 1
wait_for "$T/demo.out" '^input kind=button arg=1 code=0$' 10
grep -A1 "^input kind=pointer x=$RX y=$RY arg=0$" "$T/demo.out" | tail -1 |
    grep -q '^input kind=button arg=1 code=1$' || fail "button 1 down not after its position"
note "pointer ($WX,$WY) in the window -> ($RX,$RY) remote, button 1 down/up"

# The wheel: up is y=1, down y=-1.
xdotool click 4
wait_for "$T/demo.out" '^input kind=wheel x=0 y=1$' 10
xdotool click 5
wait_for "$T/demo.out" '^input kind=wheel x=0 y=-1$' 10

# Over the status bar the mouse is not on the remote screen: nothing sent.
before=$(n_ptr)
xdotool mousemove --window "$WIN" 40 $((HEIGHT - 5))
xdotool mousemove --window "$WIN" $((PX + 10)) $((PY + 10))
wait_for "$T/demo.out" "^input kind=pointer x=$((10 * IW / PW)) y=$((10 * IH / PH)) arg=0$" 10
[ "$(n_ptr)" = $((before + 1)) ] || fail "pointer events outside the picture were sent"

# Text goes as the keysyms of what the local layout typed, Shift held back.
xdotool type --delay 50 'aB@'
wait_for "$T/demo.out" '^input kind=key code=0x40 arg=0 x=0$' 10
for ks in 0x61 0x42 0x40; do
	grep -A1 "^input kind=key code=$ks arg=1 x=0$" "$T/demo.out" |
	    grep -q "^input kind=key code=$ks arg=0 x=0$" || fail "keysym $ks not sent as press+release"
done
grep -q '^input kind=key code=0xffe1 ' "$T/demo.out" && fail "Shift_L was sent for typed text"
grep -q '^input kind=key code=0x62 ' "$T/demo.out" && fail "the b key was sent instead of the text B"

# Ctrl+C is keys: Control_L, then c (lowercase), with their X keycodes.
xdotool key ctrl+c
wait_for "$T/demo.out" '^input kind=key code=0xffe3 arg=0 x=37$' 10
wait_for "$T/demo.out" '^input kind=key code=0x63 arg=0 x=54$' 10
ctrl=$(grep -n '^input kind=key code=0xffe3 arg=1 x=37$' "$T/demo.out" | cut -d: -f1)
c=$(grep -n '^input kind=key code=0x63 arg=1 x=54$' "$T/demo.out" | cut -d: -f1)
[ -n "$ctrl" ] && [ -n "$c" ] && [ "$ctrl" -lt "$c" ] || fail "ctrl+c is not Control_L then c"
note "typed aB@ -> 0x61 0x42 0x40 as text, ctrl+c -> Control_L + c"

# F8: 1:1, centred and cropped; F8 itself is not sent.
xdotool key F8
sleep 0.3
PX=$(((WIDTH - IW) / 2))
PY=$(((AH - IH) / 2))
xdotool mousemove --window "$WIN" 200 150
wait_for "$T/demo.out" "^input kind=pointer x=$((200 - PX)) y=$((150 - PY)) arg=0$" 10
grep -q '^input kind=key code=0xffc5 ' "$T/demo.out" && fail "F8 was sent to the host"
note "F8: 1:1, (200,150) -> ($((200 - PX)),$((150 - PY)))"
xdotool key F8

sleep 0.5
xwd -root -silent -out "$shots/viewer-window.xwd" || fail "xwd failed"
# SDL turns SIGTERM into a quit event: the demo saves its screenshot and ends.
kill -TERM "$DEMO_PID"
wait_exit "$DEMO_PID" 20
[ "$rc" = 0 ] || fail "display_demo exit $rc"
wait_for "$T/demo.out" '^screenshot ' 5
python3 - "$shots/viewer-window.bmp" "$WIDTH" "$HEIGHT" <<'EOF' || fail "the screenshot is wrong"
import struct, sys
d = open(sys.argv[1], "rb").read()
off = struct.unpack_from("<I", d, 10)[0]
w, h, _, bpp = struct.unpack_from("<iiHH", d, 18)
h = abs(h)
ok = d[:2] == b"BM" and (w, h) == (int(sys.argv[2]), int(sys.argv[3])) and bpp in (24, 32)
n = bpp // 8
stride = (w * n + 3) & ~3
def row(y):     # y from the top; BMP rows are stored bottom-up
    r = d[off + (h - 1 - y) * stride:][:w * n]
    return [tuple(r[i:i + 3]) for i in range(0, w * n, n)]
bar = row(h - 3)
mid = row(h // 2)
# The status bar is dark grey (some of it text), the picture is colourful.
ok = ok and sum(p == (40, 40, 40) for p in bar) > w // 2 and len(set(mid)) > 100
sys.exit(0 if ok else 1)
EOF
note "screenshots in build/screenshots/viewer-window.{bmp,xwd}"
