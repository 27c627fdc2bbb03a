# Input injection on a wlroots compositor (master/inject_wlr.c through
# tests/tools/wl_input): a headless sway (pixman, no input devices, no
# Xwayland) with foot running a shell. Sway refuses to run as root: sway,
# foot and the tool run as an unprivileged test user (created here once,
# fernsicht-test) with a private XDG_RUNTIME_DIR.
#
# On sway's default (US) layout and again on a German one (input * xkb_layout
# de): a command with non-ASCII characters typed into the shell writes a file
# with exactly that text; Shift held by the viewer, Ctrl+D (the modifier
# state reaches the client) and a dead key composing. On the German sway, a
# second keyboard with a German keymap (tests/tools/wl_hostkbd, the host's
# own) types between the viewer's keys. On the first sway:
# clicks and the wheel, read back through foot's mouse reporting (the cell
# the click landed in, the button, the wheel's direction); events out of
# range or not keysyms refused; the clipboard (master/clip_wlr.c) against
# wl-copy and wl-paste.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "  SKIPPED: sway refuses root and this test needs root to run it as a test user"
	exit 0
fi
for p in sway foot setpriv useradd; do
	command -v $p >/dev/null || fail "$p is not installed (make deps)"
done
tu=fernsicht-test
id -u "$tu" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$tu" ||
    id -u "$tu" >/dev/null 2>&1 || fail "cannot create the test user $tu"
# The test user reaches only what it needs in $T.
chmod 711 "$T"
install -m 755 "$B/tools/wl_input" "$T/wl_input"
install -m 755 "$B/tools/x11_clip" "$T/x11_clip"

# as_user CMD... &: CMD in the background as the test user in a clean
# environment. It replaces the background subshell (exec), so that $! is
# the command's own pid and killing it stops the command.
as_user() {
	exec setpriv --reuid="$tu" --regid="$tu" --init-groups env -i HOME="$T/home" \
	    XDG_RUNTIME_DIR="$T/run" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
	    ${WAYLAND_DISPLAY:+WAYLAND_DISPLAY=$WAYLAND_DISPLAY} \
	    ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
	    "$@"
}
# as_user_fg CMD...: the same in the foreground.
as_user_fg() { (as_user "$@"); }

# start_sway NAME [CONFIG LINES]: a headless sway, its tool and a foot with
# a shell in $T/NAME (whose typing reaches it); sets WAYLAND_DISPLAY,
# SWAY_PID, FOOT_PID, TOOL_PID, HOLDER, SH_PID and n (lines sent).
start_sway() {
	run=$1
	shift
	rm -rf "$T/run" "$T/home" "$T/$run"
	mkdir -m 700 "$T/run" "$T/home" "$T/$run"
	chown "$tu:" "$T/run" "$T/home" "$T/$run"
	printf '%s\n' "xwayland disable" "output HEADLESS-1 resolution 800x600" \
	    "default_border none" "$@" >"$T/$run.conf"
	unset WAYLAND_DISPLAY
	as_user env WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
	    sway -c "$T/$run.conf" >"$T/sway.$run.log" 2>&1 &
	SWAY_PID=$!
	pids="$pids $SWAY_PID"
	_i=0
	until sock=$(ls "$T/run" 2>/dev/null | grep -E '^wayland-[0-9]+$' | head -1) &&
	    [ -n "$sock" ]; do
		kill -0 "$SWAY_PID" 2>/dev/null || fail "sway ($run) ended at start"
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "sway ($run) made no Wayland socket"
		sleep 0.05
	done
	WAYLAND_DISPLAY=$sock
	# One tool for the whole sway, fed through a fifo: its virtual keyboard
	# is the seat's only one (clients take a keyboard only once there is one).
	rm -f "$T/in.fifo"
	mkfifo "$T/in.fifo"
	chmod 644 "$T/in.fifo"
	as_user "$T/wl_input" <"$T/in.fifo" >"$T/input.$run.out" 2>"$T/input.$run.log" &
	TOOL_PID=$!
	pids="$pids $TOOL_PID"
	sleep 1000000 >"$T/in.fifo" &
	HOLDER=$!
	pids="$pids $HOLDER"
	n=0
	as_user foot -o scrollback.multiplier=1 --working-directory="$T/$run" sh -c 'echo $$ >sh.pid; exec sh' \
	    >"$T/foot.$run.log" 2>&1 &
	FOOT_PID=$!
	pids="$pids $FOOT_PID"
	wait_for "$T/$run/sh.pid" '^[0-9]+$' 10
	SH_PID=$(cat "$T/$run/sh.pid")
	pids="$pids $SH_PID"
	# Until foot has the keyboard's focus, typing goes nowhere: try again.
	tries=0
	until [ -e "$T/$run/focus" ]; do
		tries=$((tries + 1))
		[ $tries -lt 20 ] || fail "sway ($run): nothing typed reached the shell in foot"
		send "type : >focus" "key Return down" "key Return up"
		sleep 0.3
	done
}

# send LINE...: feed lines and wait until the tool has done the last one.
send() {
	for l in "$@"; do
		printf '%s\n' "$l" >>"$T/in.fifo"
		n=$((n + 1))
	done
	wait_for "$T/input.$run.out" "^(ok|refused) $n\$" 10
}

# stop_sway: end the tool (at the end of its input), foot (its shell and
# what runs there get the terminal's hangup), sway; no process of the test
# user may be left in $T.
stop_sway() {
	kill "$HOLDER"
	wait_exit "$TOOL_PID" 10
	[ "$rc" = 0 ] || fail "wl_input ($run) exit $rc"
	kill "$FOOT_PID"
	wait_exit "$FOOT_PID" 10
	kill "$SWAY_PID"
	wait_exit "$SWAY_PID" 10
	_i=0
	while left=$(leftovers) && [ -n "$left" ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || fail "still running after the end ($run):$left"
		sleep 0.05
	done
}

# leftovers: the test user's processes working in $T (pid and name).
leftovers() {
	for p in $(ps -u "$tu" -o pid= 2>/dev/null); do
		case $(readlink "/proc/$p/cwd" 2>/dev/null) in
		"$T"/*) printf ' %s(%s)' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)" ;;
		esac
	done
}

# type_check: a command typed with non-ASCII keysyms, Shift held, a dead
# key and Ctrl+D; the files it writes hold exactly what was typed.
type_check() {
	printf 'ok-ÄÖ€\n' >"$T/expected.1"
	send "type echo ok-ÄÖ€ > typed" "key Return down" "key Return up"
	wait_for "$T/$run/typed" '^ok' 5
	cmp -s "$T/expected.1" "$T/$run/typed" ||
	    fail "layout $run: the shell wrote '$(cat "$T/$run/typed")', expected 'ok-ÄÖ€'"
	# cat copies a line; Shift held over "A:a" (the keysyms are what
	# counts), dead circumflex + e, then Ctrl+D ends it.
	printf 'x A:a ê ß\n' >"$T/expected.2"
	send "type cat > typed2" "key Return down" "key Return up" "sleep 200" \
	    "type x " "key Shift_L down" "type A:a" "key Shift_L up" "type  " \
	    "key dead_circumflex down" "key dead_circumflex up" "type e ß" \
	    "key Return down" "key Return up" \
	    "key Control_L down" "type d" "key Control_L up"
	_i=0
	until cmp -s "$T/expected.2" "$T/$run/typed2" && [ -e "$T/$run/typed2" ]; do
		_i=$((_i + 1))
		[ $_i -lt 60 ] || fail "layout $run: cat wrote '$(cat "$T/$run/typed2")'," \
		    "expected '$(cat "$T/expected.2")'"
		sleep 0.05
	done
	# Ctrl+D ended cat: the shell runs the next line.
	send "type : >after-cat" "key Return down" "key Return up"
	wait_for_file "$T/$run/after-cat" "layout $run: Ctrl+D did not end cat"
}

wait_for_file() {
	_i=0
	until [ -e "$1" ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || fail "$2"
		sleep 0.05
	done
}

# Without a Wayland display: a clear word, no input.
env -u WAYLAND_DISPLAY -u WAYLAND_SOCKET "$B/tools/wl_input" </dev/null >/dev/null 2>"$T/nodisplay.log" && fail "wl_input ran without a display"
grep -q "no Wayland display (WAYLAND_DISPLAY is not set): input from viewers is off" \
    "$T/nodisplay.log" || fail "no display: $(cat "$T/nodisplay.log")"
XDG_RUNTIME_DIR=$T WAYLAND_DISPLAY=none "$B/tools/wl_input" </dev/null >/dev/null \
    2>"$T/nodisplay.log" && fail "wl_input ran with a display that is not there"
grep -q "cannot connect to the Wayland display none" "$T/nodisplay.log" ||
    fail "no such display: $(cat "$T/nodisplay.log")"

start=$(date +%s)
start_sway us
type_check
note "US layout: 'echo ok-ÄÖ€', Shift, a dead key and Ctrl+D typed exactly"

# More keysyms than the keymap has room for (217 new ones, 116 free
# keycodes), typed with Shift held: the least recently used keycodes are
# taken over and what they typed comes back when it is needed again.
many=$(python3 -c 'print("".join(map(chr, [*range(0x410, 0x450), *range(0x3b1, 0x3ca),
    *range(0x100, 0x180)])))')
printf '%s\n' "$many" >"$T/expected.many"
printf 'again-€\n' >"$T/expected.again"
send "key Shift_L down" "type echo $many > many" "key Shift_L up" "key Return down" "key Return up" \
    "type echo again-€ > again" "key Return down" "key Return up"
wait_for "$T/us/again" '^again' 10
cmp -s "$T/expected.many" "$T/us/many" || fail "217 new keysyms: the shell wrote '$(cat "$T/us/many")'"
cmp -s "$T/expected.again" "$T/us/again" || fail "after them: the shell wrote '$(cat "$T/us/again")'"
note "217 keysyms more than the keymap holds at once typed exactly"

# Keysyms at the edges of the ranges are taken, and the keymaps holding
# them compile (a keymap the compositor cannot read would end the
# connection): the lowest Latin-1 one, Delete, the last Unicode character,
# the first and last vendor keysyms, XF86AudioMute.
for k in 0xa0 0xffff 0x110ffff 0x10000000 0x1fffffff XF86AudioMute; do
	send "key $k down" "key $k up"
done
r=$(count "$T/input.us.out" '^refused')
[ "$r" = 0 ] || fail "keysyms at the edges of the ranges refused ($r refusals)"
# What they typed is wiped from the shell's line (Ctrl+U) before the next command.
send "key Control_L down" "type u" "key Control_L up" \
    "type : >still-typing" "key Return down" "key Return up"
wait_for_file "$T/us/still-typing" "no typing after the edge keysyms"

# Clicks and the wheel: foot reports them to the program in it (SGR mouse
# reporting: ESC [ < button ; column ; row M, m on release); cat keeps the
# reports, and the keys typed. The output is 800x600 without borders: the
# cell is the pointer position over foot's cell size. Then q and the left
# button held, and inject_release: q once (a key left down would repeat
# after 600 ms), the button's press and release.
send "type printf '\\033[?1000h\\033[?1006h'; stty -icanon -echo; cat > clicks" \
    "key Return down" "key Return up" "sleep 300" \
    "pointer 100 200" "button 1 down" "button 1 up" \
    "pointer 500 300" "button 3 down" "button 3 up" \
    "wheel 0 1" "wheel 0 -1" \
    "key q down" "button 1 down" "release"
cell=$(sed -n 's/.*cell width=\([0-9]*\), height=\([0-9]*\).*/\1 \2/p' "$T/foot.us.log" | head -1)
[ -n "$cell" ] || fail "no cell size in foot's log"
cw=${cell% *}
ch=${cell#* }
esc=$(printf '\033')
# report BUTTON X Y M|m: what foot writes for an event at pixel X, Y.
report() { printf '%s[<%s;%s;%s%s' "$esc" "$1" $(($2 / cw + 1)) $(($3 / ch + 1)) "$4"; }
want="$(report 0 100 200 M)$(report 0 100 200 m)$(report 2 500 300 M)$(report 2 500 300 m)"
want="$want$(report 64 500 300 M)$(report 65 500 300 M)q$(report 0 500 300 M)$(report 0 500 300 m)"
shown() { sed "s/$esc/ESC/g" "$@"; }
_i=0
until [ "$(cat "$T/us/clicks" 2>/dev/null)" = "$want" ]; do
	_i=$((_i + 1))
	[ $_i -lt 60 ] || fail "foot reported '$(shown "$T/us/clicks")'," \
	    "expected '$(printf '%s' "$want" | shown)'"
	sleep 0.05
done
sleep 1
[ "$(cat "$T/us/clicks")" = "$want" ] || fail "after release: '$(shown "$T/us/clicks")'"
note "clicks (left at 100,200, right at 500,300), the wheel (up, down) and release reached foot"

# Refused: outside the shared area or the outputs, not keysyms (0, above the
# keysym range, a Unicode control, VoidSymbol, a surrogate), no such button.
send "pointer 4096 10" "pointer 900 10" "key 0x0 down" "key 0x20000000 down" \
    "key 0x1000000 down" "key 0xffffff down" "key 0x100d800 down" "button 10 down"
r=$(grep -c '^refused' "$T/input.us.out")
[ "$r" = 8 ] || fail "$r of 8 bad events refused"
# A keysym not in the keymap at first, held, then everything let go.
send "key Shift_L down" "key 0x101f600 down" "release"

# The clipboard (master/clip_wlr.c through tests/tools/x11_clip --source
# wlr), against wl-clipboard's wl-copy and wl-paste: a viewer's text
# becomes the host's clipboard; text the host copies is read, once; what
# is not text is not.
clip="from the viewer: ÄÖ€ \\ tab	end"
as_user "$T/x11_clip" --source wlr serve "$clip" 20 >"$T/serve.out" 2>"$T/serve.log" &
SERVE_PID=$!
pids="$pids $SERVE_PID"
wait_for "$T/serve.out" '^serving$' 10
got=$(as_user_fg wl-paste --no-newline) || fail "wl-paste failed"
[ "$got" = "$clip" ] || fail "wl-paste read '$got', not the viewer's text"
as_user "$T/x11_clip" --source wlr watch 1 >"$T/watch.out" 2>"$T/watch.log" &
WATCH_PID=$!
pids="$pids $WATCH_PID"
sleep 0.5
printf 'x' | as_user_fg wl-copy --type image/png
sleep 0.3
as_user_fg wl-copy "copied on the host ÜÖ"
wait_for "$T/watch.out" '^text copied on the host ÜÖ len=23$' 10
wait_exit "$WATCH_PID" 10
# The viewer's serving ended with the host's copy: it was taken over.
wait_exit "$SERVE_PID" 10
[ "$(grep -c '^text' "$T/watch.out")" = 1 ] || fail "read more than once: $(cat "$T/watch.out")"
pkill -u "$tu" -x wl-copy 2>/dev/null || true     # it serves its copy until replaced
note "clipboard: the viewer's text pasted on the host, the host's copy read once, an image not"
stop_sway
note "bad events refused; sway, foot, its shell and the tool stopped"

start_sway de "input * xkb_layout de"
type_check
note "German layout on sway's side: the same text arrived unchanged"

# The host's own German keyboard types on the same seat between the
# viewer's keys: each keyboard's keys are read with its own keymap (KEY_Y
# and KEY_Z are z and y on a German keyboard; the viewer's y and z are
# keysyms).
rm -f "$T/host.fifo"
mkfifo "$T/host.fifo"
chmod 644 "$T/host.fifo"
install -m 755 "$B/tools/wl_hostkbd" "$T/wl_hostkbd"
as_user "$T/wl_hostkbd" de <"$T/host.fifo" >"$T/host.out" 2>"$T/host.log" &
HOST_PID=$!
pids="$pids $HOST_PID"
sleep 1000000 >"$T/host.fifo" &
HOST_HOLDER=$!
pids="$pids $HOST_HOLDER"
send "type echo " "sleep 200"
printf '%s\n' "key 21" "key 44" >>"$T/host.fifo"
wait_for "$T/host.out" '^ok 2$' 10
send "type yz > mixed" "key Return down" "key Return up"
wait_for "$T/de/mixed" '^' 5
[ "$(cat "$T/de/mixed")" = zyyz ] ||
    fail "host's and viewer's keys mixed up: the shell wrote '$(cat "$T/de/mixed")', expected 'zyyz'"
kill "$HOST_HOLDER"
wait_exit "$HOST_PID" 10
[ "$rc" = 0 ] || fail "wl_hostkbd exit $rc"
stop_sway
note "a German host keyboard and the viewer's keys in turn: each typed its own ($(($(date +%s) - start)) s)"
