# Input injection (master/inject_x11.c through tests/tools/x11_input) on
# a private Xvfb: text with Shift, AltGr and a dead key typed into xterm
# on a German layout, then the same text on a US layout (what the layout
# lacks arrives through spare keycodes) after a layout change while the
# injector runs; pointer position, held keys and buttons released, and
# out-of-range events refused.
. "$(dirname "$0")/lib.sh"
for p in xterm xdotool setxkbmap; do
	command -v $p >/dev/null || fail "$p is not installed (make deps)"
done
start_xvfb 1024x768

# One injector for the whole test, fed line by line through a fifo; it
# prints "ok N" after line N.
mkfifo "$T/in.fifo"
"$B/tools/x11_input" <"$T/in.fifo" >"$T/input.out" 2>"$T/input.log" &
tool=$!
pids="$pids $tool"
sleep 1000000 >"$T/in.fifo" &
holder=$!
pids="$pids $holder"
n=0
# send LINE...: feed lines and wait until the tool has done the last one.
send() {
	for l in "$@"; do
		printf '%s\n' "$l" >>"$T/in.fifo"
		n=$((n + 1))
	done
	wait_for "$T/input.out" "^(ok|refused) $n\$" 10
}
# keymap: the keycodes and buttons down now, as the tool reports them.
keymap() {
	send keymap
	grep '^keymap' "$T/input.out" | tail -1
}

text='Hallo Welt @ € { } [ ] \ | ~ ä ö ü ß Ä ? / " : ;'
printf '%s\n' "${text}@A:aaÄ1ê" >"$T/expected"

# type_into LAYOUT: into a fresh xterm running cat, type $text; then with
# Shift held by the viewer "@A:a" (the injector lifts Shift where the
# layout needs it off: @ is AltGr+q on a German layout, a is lowercase);
# "aÄ1" with Caps Lock on (the level comes out right for locked
# modifiers too); a dead circumflex + e, Return, ctrl+d. Compare what cat
# wrote.
type_into() {
	setxkbmap -display "$DISPLAY" "$1" || fail "setxkbmap $1"
	setxkbmap -query | grep -q "^layout: *$1\$" || fail "layout $1 not set"
	LC_ALL=C.UTF-8 xterm -geometry 80x24+0+0 -e sh -c "cat >'$T/typed.$1'" \
	    >"$T/xterm.$1.log" 2>&1 &
	xpid=$!
	pids="$pids $xpid"
	w=$(xdotool search --sync --onlyvisible --class xterm | head -1)
	[ -n "$w" ] || fail "no xterm window"
	xdotool windowfocus --sync "$w"
	send "pointer 123 45" \
	    "type $text" \
	    "key Shift_L down" "type @A:a" "key Shift_L up" \
	    "key Caps_Lock down" "key Caps_Lock up" "type aÄ1" \
	    "key Caps_Lock down" "key Caps_Lock up" \
	    "key dead_circumflex down" "key dead_circumflex up" "type e" \
	    "key Return down" "key Return up" \
	    "key Control_L down" "type d" "key Control_L up"
	wait_exit "$xpid" 10
	cmp -s "$T/expected" "$T/typed.$1" ||
	    fail "layout $1: typed '$(cat "$T/typed.$1")', expected '$(cat "$T/expected")'"
	k=$(keymap)
	[ "$k" = "keymap buttons=0x0" ] || fail "layout $1: still down after typing: $k"
}

# keys: how many keycodes have symbols (spare keycodes in use add some).
keys() { xkbcomp -xkb "$DISPLAY" - 2>/dev/null | grep -c '^ *key <'; }

setxkbmap -display "$DISPLAY" de
base=$(keys)
type_into de
[ "$(keys)" = "$base" ] || fail "German layout: spare keycodes used ($base -> $(keys) keys)"
note "German layout: Shift, AltGr (also EuroSign for U+20AC), dead_circumflex + e typed exactly"

# The pointer lands relative to the area origin (0, 0 in the tool).
loc=$(xdotool getmouselocation | cut -d' ' -f1,2)
[ "$loc" = "x:123 y:45" ] || fail "pointer at $loc, expected 123 45"

# Held keys and buttons are released with inject_release; a key repeated
# (down again and again, as autorepeat sends it) is held once.
send "key Shift_L down"
for i in $(seq 40); do send "key a down"; done
send "button 3 down"
k=$(keymap)
echo "$k" | grep -Eq '^keymap 38 50 buttons=0x400$' || fail "Shift+a+button 3 not down: $k"
send release
k=$(keymap)
[ "$k" = "keymap buttons=0x0" ] || fail "still down after release: $k"
note "held Shift, a and button 3 released"

# Out of range: refused, and the tool goes on.
send "pointer 4096 10" "key 0x0 down" "key 0x20000000 down" "button 10 down"
r=$(grep -c '^refused' "$T/input.out")
[ "$r" = 4 ] || fail "$r of 4 bad events refused"

# The same on a US layout, set while the injector runs (€, ä, ö, ü, ß, Ä
# and dead_circumflex are not on it: spare keycodes).
setxkbmap -display "$DISPLAY" us
base=$(keys)
type_into us
used=$(( $(keys) - base ))
[ "$used" -ge 7 ] || fail "US layout: only $used spare keycodes bound"
note "US layout: the same text, $used spare keycodes for what it lacks"

# The injector gives the spare keycodes back when it closes (at the end
# of its input).
kill "$holder"
wait_exit "$tool" 10
[ "$rc" = 0 ] || fail "x11_input exit $rc"
[ "$(keys)" = "$base" ] || fail "spare keycodes not restored ($base -> $(keys) keys)"
