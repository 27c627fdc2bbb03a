# A GNOME Wayland host (--source mutter) in a private headless mutter:
# the master's errors without a session bus and without Mutter; text a
# viewer types arrives in a Wayland terminal (foot); the clipboard both
# ways through Mutter's (wl-clipboard on the host); a Wayland client's
# picture reaches the viewer pixel for pixel; the viewer's pointer,
# buttons and wheel arrive in that client; the cursor shape arrives; a
# rotated monitor is followed; the master ends the session when Mutter
# goes away; on a mutter with two monitors --monitor 1 shares the second
# (its client's picture, a click there) and --monitor 5 is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/wayland_lib.sh"

# 1. Clear errors where there is nothing to share. (lib.sh's start_master
# waits for a session line; these end before one.)
no_session() {
	_n=$1; shift
	env "$@" "$B/fernsicht-master" --relay 127.0.0.1:9 --headless --source mutter \
	    </dev/null >"$T/$_n.out" 2>"$T/$_n.log"
}
rc=0
no_session nobus DBUS_SESSION_BUS_ADDRESS="unix:path=$T/no-such-bus" || rc=$?
[ $rc = 3 ] || fail "without a session bus: exit $rc, want 3"
grep -q "no D-Bus session bus .*from inside the user's own session" "$T/nobus.log" ||
	fail "without a session bus: $(cat "$T/nobus.log")"
dbus-daemon --session --nofork --nopidfile --address="unix:path=$T/bare-bus" \
    >"$T/bare-bus.log" 2>&1 &
pids="$pids $!"
i=0
until [ -S "$T/bare-bus" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "no bare D-Bus daemon"; sleep 0.05
done
rc=0
no_session nomutter DBUS_SESSION_BUS_ADDRESS="unix:path=$T/bare-bus" || rc=$?
[ $rc = 3 ] || fail "without Mutter: exit $rc, want 3"
grep -q "GNOME Mutter does not answer on this session bus" "$T/nomutter.log" ||
	fail "without Mutter: $(cat "$T/nomutter.log")"

# 2. The desktop: mutter with a fullscreen client showing a known
# picture, and over it a terminal whose shell's input is a file. The
# client starts first: a window that starts after the viewer typed would
# stay under the terminal and out of fullscreen (Mutter's focus stealing
# prevention).
start_mutter 640x480
"$B/tools/wl_paint" "$T/ref.ppm" >"$T/paint.out" 2>"$T/paint.log" &
pids="$pids $!"
wait_for "$T/paint.out" '^painted 640x480' 10
(cd "$T" && exec foot -o "font=DejaVu Sans Mono:size=10" \
    sh -c 'touch ready; exec cat > typed') >"$T/foot.out" 2>&1 &
foot_pid=$!
pids="$pids $foot_pid"
i=0
until [ -e "$T/ready" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "foot did not start"; sleep 0.05
done

start_relay relay
start_master host "$RELAY" --source mutter --auto-accept --print-input --fps 30
grep -q 'sharing mutter (Mutter ScreenCast, PipeWire Mem' "$T/host.log" ||
	fail "the master does not read shared-memory frames: $(grep sharing "$T/host.log")"
grep -q "clipboard: shared through GNOME Mutter's remote desktop session" "$T/host.log" ||
	fail "the clipboard is not shared: $(grep clipboard "$T/host.log")"

# 3. Typing: keysyms, so characters that need Shift or AltGr in the
# host's layout (US here: € is AltGr+5) arrive too.
mkdir "$T/rec"
{
	echo "sleep 300"
	echo "pointer 300 200"
	echo "sleep 200"
	echo "type Hallo Welt: (ok) @ #1 ~ | <>"
	echo "key 0x20ac"
	echo "key 0xff0d"
	# a viewer sending text after text: the last one is the host's
	i=0
	while [ $i -lt 100 ]; do echo "clipboard Flut $i"; i=$((i + 1)); done
	echo "clipboard Grüße vom Support €"
} >"$T/script"
start_viewer v "$RELAY" "$SESSION" "$CODE" --record "$T/rec/" --input-script "$T/script"
wait_for "$T/v.out" '^frame n=1 ' 20
want='Hallo Welt: (ok) @ #1 ~ | <>€'
i=0
until [ "$(cat "$T/typed")" = "$want" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "typed '$(cat "$T/typed")', want '$want'"
	sleep 0.05
done
# The clipboard (master/clip_mutter.c): the viewer's last text (of 101
# sent at once) is what a Wayland program on the host pastes; what the host copies reaches the
# viewer; a copy over the limit (256 KiB) and one that is not text do not.
# wl-copy serves its copy until another one replaces it (--foreground:
# its own pid, stopped with the test).
wait_for "$T/host.out" '^clipboard slot=1 bytes=' 10
# (The event comes as the master takes the text; Mutter has it a moment
# later.)
i=0
until got=$(timeout 10 wl-paste --no-newline 2>/dev/null) && [ "$got" = "Grüße vom Support €" ]
do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "wl-paste read '$got', not the viewer's text"
	sleep 0.1
done
# host_copy FILE [ARGS]: wl-copy ARGS, reading FILE, in the background.
host_copy() {
	_in=$1; shift
	wl-copy --foreground "$@" <"$_in" 2>>"$T/wl-copy.log" &
	pids="$pids $!"
}
head -c 300000 /dev/zero | tr '\0' a >"$T/big.txt"
host_copy "$T/big.txt"
wait_for "$T/host.log" 'copied text not sent: over 262144 bytes' 10
printf 'x' >"$T/x.png"
host_copy "$T/x.png" --type image/png
sleep 0.3
host_copy /dev/null "Host sagt: Übergabe 42"
wait_for "$T/v.out" '^clipboard bytes=[0-9]+ text="Host sagt: Übergabe 42"' 10
[ "$(grep -c '^clipboard ' "$T/v.out")" = 1 ] ||
	fail "the viewer got more than the text: $(grep '^clipboard ' "$T/v.out" | cut -c1-80)"

# The pointer went over foot first: its cursor (metadata) reached the viewer.
wait_for "$T/v.out" '^cursor shape=[0-9]+x[0-9]+ hot=' 10
# foot goes: the client is all there is on the screen.
kill "$foot_pid"
wait "$foot_pid" 2>/dev/null

# 4. A fullscreen client with a known picture: the viewer's newest frame
# equals it, every pixel (the cursor is metadata, never in the picture).
newest_frame_equals "$T/rec" "$T/ref.ppm" \
    "wl_paint's picture (wl_paint: $(tr '\n' ' ' <"$T/paint.out"))"
frames_then=$(ls "$T/rec" | wc -l)

# 5. Pointer, buttons, wheel from a second viewer land in the client at
# the viewer's coordinates.
printf '%s\n' "sleep 300" "pointer 100 120" "button 1 down" "button 1 up" "pointer 300 200" \
    "button 3 down" "button 3 up" "wheel 0 -2" >"$T/script2"
start_viewer v2 "$RELAY" "$SESSION" "$(latest_code host)" --input-script "$T/script2"
wait_for "$T/paint.out" '^button 0x110 released 100 120' 20
wait_for "$T/paint.out" '^button 0x111 released 300 200' 10
wait_for "$T/paint.out" '^wheel 0 ' 10
grep -q '^button 0x110 pressed 100 120' "$T/paint.out" || fail "no left press at 100,120"
grep -q '^wheel 0 -' "$T/paint.out" && fail "the wheel went the wrong way"

# 6. The monitor turns (rotation through Mutter's DisplayConfig: a
# virtual monitor has one mode): Mutter closes the screen cast, the
# master starts a new one, and the viewer gets the new 480x640 picture,
# equal to what the client drew at its new size; input still lands.
mutter_rotate 1
wait_for "$T/paint.out" '^painted 480x640' 10
wait_for "$T/host.log" 'the shared screen is now 480x640' 10
newest_frame_equals "$T/rec" "$T/ref.ppm" "wl_paint's picture after the rotation"
# (A button right after an absolute motion can be lost: docs/portal-gnome.md.)
printf '%s\n' "sleep 300" "pointer 50 600" "sleep 200" "button 1 down" "button 1 up" \
    >"$T/script3"
start_viewer v3 "$RELAY" "$SESSION" "$(latest_code host)" --input-script "$T/script3"
wait_for "$T/paint.out" '^button 0x110 released 50 600' 20
# The new session has the clipboard again.
host_copy /dev/null "nach der Drehung"
wait_for "$T/v3.out" '^clipboard bytes=[0-9]+ text="nach der Drehung"' 10

# 7. Mutter goes away: the master ends the session (no reconnecting with
# a screen that is gone) and the viewers hear so.
kill -9 "$MUTTER_PID"
wait_exit "$MASTER_PID" 10
grep -q 'the shared screen went away: ending the session' "$T/host.log" ||
	fail "the master did not say why it ended"
wait_for "$T/v.out" '^closed reason="the host ended the session"' 10

# 8. --monitor on a desktop of two monitors (a mutter of its own on the
# same bus: the second monitor stays out of the steps above): Meta-1
# (320x240, right of the first) with a fullscreen client whose colours
# are inverted; the viewer of a master with --monitor 1 sees that
# client's picture, every pixel, and its click lands there at the
# viewer's coordinates (input names the monitor's stream). A monitor
# that is not there is refused with the count.
mutter_up 640x480 320x240
rc=0
"$B/fernsicht-master" --relay 127.0.0.1:9 --headless --source mutter --monitor 5 \
    </dev/null >"$T/monitor5.out" 2>"$T/monitor5.log" || rc=$?
[ $rc = 3 ] || fail "--monitor 5: exit $rc, want 3"
grep -q "cannot capture the screen: there is no monitor 5: GNOME Mutter has 2 switched on" \
    "$T/monitor5.log" || fail "--monitor 5: $(cat "$T/monitor5.log")"
"$B/tools/wl_paint" "$T/ref0.ppm" 0 >"$T/paint0.out" 2>"$T/paint0.log" &
pids="$pids $!"
"$B/tools/wl_paint" "$T/ref1.ppm" 1 >"$T/paint1.out" 2>"$T/paint1.log" &
pids="$pids $!"
wait_for "$T/paint0.out" '^painted 640x480' 10
wait_for "$T/paint1.out" '^painted 320x240' 10
start_master host1 "$RELAY" --source mutter --monitor 1 --auto-accept --fps 30
grep -q 'stream .* of monitor Meta-1 on PipeWire node' "$T/host1.log" ||
	fail "--monitor 1 does not record Meta-1: $(grep 'mutter:' "$T/host1.log")"
mkdir "$T/rec1"
printf '%s\n' "sleep 300" "pointer 200 50" "sleep 200" "button 1 down" "button 1 up" \
    >"$T/script1"
start_viewer v1 "$RELAY" "$SESSION" "$CODE" --record "$T/rec1/" --input-script "$T/script1"
wait_for "$T/paint1.out" '^button 0x110 released 200 50' 20
grep -q '^button 0x110' "$T/paint0.out" &&
	fail "--monitor 1: the click landed on the first monitor"
newest_frame_equals "$T/rec1" "$T/ref1.ppm" \
    "--monitor 1, the second client's picture (wl_paint: $(tr '\n' ' ' <"$T/paint1.out"))"
note "typed '$want' into foot; clipboard both ways, a long copy and an image not sent;" \
    "pixel-exact 640x480 after $frames_then frames;" \
    "clicks, wheel and the cursor's shape arrive; --monitor 1: Meta-1's 320x240" \
    "pixel-exact, a click there; --monitor 5 refused; followed a rotation to 480x640"
