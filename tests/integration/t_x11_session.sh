# A real session on an X display (Xvfb): the viewer's decoded picture
# equals an X screenshot pixel for pixel, at the start and after text
# scrolled in an xterm and a window moved; the viewer's pointer and keys
# arrive on the host's display, including characters that need AltGr on a
# German layout; the cursor shape arrives.
. "$(dirname "$0")/lib.sh"
start_xvfb 800x600
setxkbmap -display "$DISPLAY" de || fail "setxkbmap de"
"$B/tools/x11_paint" 420 40 300 200 7 >"$T/paint.out" 2>&1 &
pids="$pids $!"
wait_for "$T/paint.out" '^painted' 10
: >"$T/typed"
xterm -geometry 60x20+10+10 -fn fixed -e sh -c "cat > '$T/typed'" 2>"$T/xterm.log" &
pids="$pids $!"
xdotool search --sync --class xterm >/dev/null 2>&1 || fail "no xterm window"
sleep 0.5
start_relay relay
start_master host "$RELAY" --source x11 --auto-accept --print-input --fps 30
grep -q 'XShm' "$T/host.log" || fail "the master does not use XShm on Xvfb"

# same_as_screen PPM: the picture equals an X screenshot taken now.
same_as_screen() {
	xwd -root -silent >"$T/shot.xwd" || fail "xwd"
	python3 "$top/tests/tools/xwd2ppm.py" "$T/shot.xwd" "$T/shot.ppm" || fail "xwd2ppm"
	cmp -s "$1" "$T/shot.ppm"
}

# 1. The first picture.
mkdir "$T/rec"
printf 'sleep 300\npointer 100 120\n' >"$T/script"
i=0
# The pointer into the xterm, then keys; the xterm has the focus while the
# pointer is over it (no window manager: focus follows the pointer).
{
	echo "sleep 500"
	echo "pointer 200 150"
	echo "sleep 200"
	echo "type Hallo Welt"
	for k in 0x40 0x20ac 0x7b 0x7d 0x5b 0x5d 0x5c 0x7c 0x7e 0xe4 0xf6 0xfc 0xdf 0xc4; do
		echo "key $k"
	done
	echo "key 0xff0d"
	echo "sleep 300"
	echo "pointer 123 45"
	echo "sleep 300"
	echo "clipboard Grüße vom Support"
} >"$T/script"
start_viewer v "$RELAY" "$SESSION" "$CODE" --record "$T/rec/" --input-script "$T/script"
vp=$VIEWER_PID
wait_for "$T/v.out" '^frame n=1 ' 20
wait_for "$T/v.out" '^cursor shape=[0-9]+x[0-9]+ hot=' 10

# 2. Input arrived: pointer position, typed text with AltGr characters.
i=0
until xdotool getmouselocation 2>/dev/null | grep -q 'x:123 y:45 '; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "pointer not at 123,45: $(xdotool getmouselocation)"
	sleep 0.05
done
want='Hallo Welt@€{}[]\|~äöüßÄ'
i=0
until [ "$(cat "$T/typed")" = "$want" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "typed '$(cat "$T/typed")', want '$want'"
	sleep 0.05
done

# 3. Settled: the last recorded frame becomes the screen (pictures that
# changed may come as JPEG tiles first and exact a second after they are
# still; 6 s is only a deadline).
settle_and_compare() {
	sleep 1
	_i=0
	until last=$(ls "$T/rec" | tail -1) && same_as_screen "$T/rec/$last"; do
		_i=$((_i + 1))
		if [ $_i -ge 50 ]; then
			cp "$T/rec/$last" "$T/viewer-last.ppm"
			fail "$1: the viewer's frame $last differs from the screen"
		fi
		sleep 0.1
	done
}
settle_and_compare "after typing"

# 4. Scroll text in the xterm, then move a window.
before=$(ls "$T/rec" | wc -l)
i=0
while [ $i -lt 40 ]; do
	xdotool type --delay 0 "line $i of some text that scrolls $(( i * 7919 % 1000 ))"
	xdotool key Return
	i=$((i + 1))
done
settle_and_compare "after scrolling"
wid=$(xdotool search --sync --class xterm | head -1)
for x in 30 60 90 120; do xdotool windowmove "$wid" "$x" 80; sleep 0.1; done
settle_and_compare "after moving a window"
after=$(ls "$T/rec" | wc -l)
[ "$after" -gt "$before" ] || fail "no frames while the screen changed"
# 5. The screen shrinks (XRandR): the viewer gets a key frame of the new
# size, equal to the screen.
"$B/tools/x11_paint" --fb 640x480 >"$T/fb.out" 2>&1 || fail "cannot resize the screen: $(cat "$T/fb.out")"
wait_for "$T/v.out" '^frame n=[0-9]+ id=[0-9]+ key' 10
settle_and_compare "after the screen shrank to 640x480"
grep -q 'the shared screen is now 640x480' "$T/host.log" || fail "the master did not notice the resize"

# 6. Clipboard both ways: the viewer's text is the host's CLIPBOARD now;
# text the host copies reaches the viewer.
wait_for "$T/host.out" '^clipboard slot=1 bytes=' 10
"$B/tools/x11_clip" get UTF8_STRING >"$T/clip.out" 2>&1
grep -q 'Grüße vom Support' "$T/clip.out" || fail "host clipboard: $(cat "$T/clip.out")"
"$B/tools/x11_clip" serve "Host sagt: Übergabe 42" 5 >"$T/serve.out" 2>&1 &
pids="$pids $!"
wait_for "$T/v.out" '^clipboard bytes=[0-9]+ text="Host sagt: Übergabe 42"' 10
kill "$vp"
note "clipboard both ways (UTF-8)"
note "pixel-exact after typing, scrolling, a window move and a resize; $after frames; typed '$want' on a German layout"
