# The master in German and in English. --help and an error before exit
# speak the reader's language (LANGUAGE=de, and LANG=de_DE.UTF-8 alone,
# a locale this machine may lack). The host's window, at its smallest
# width, goes through its states (waiting with number and code, a consent
# prompt, two prompts, the viewers with their buttons, wrong codes, chat,
# transfers) in both languages: no text of its own is cut ("gui: text cut"
# on stderr), no button runs out of the window or over another, and the
# German pictures differ from the English ones. Then a real master's
# indicator, in both languages, says who watches in words that fit.
# Leaves build/screenshots/i18n/{de,en}/host-*.png.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
command -v xwd >/dev/null || fail "xwd is not installed (make deps)"
shots="$top/build/screenshots/i18n"
mkdir -p "$shots/de" "$shots/en"
px() { python3 "$top/tests/tools/pixels.py" "$@"; }
# The demo tool is not beside the catalogues as the programs are.
export FERNSICHT_LOCALEDIR="$B/locale"
unset LC_ALL LC_MESSAGES LANGUAGE

# ---- --help and an error, as a person reads them ----
# in_lang ENV... -- ARGS: the master's stdout and stderr with only these
# language variables.
in_lang() {
	_env=""
	while [ "$1" != -- ]; do _env="$_env $1"; shift; done
	shift
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u LANG $_env "$B/fernsicht-master" "$@" 2>&1
}
for how in "LANGUAGE=de LANG=C.UTF-8" "LANG=de_DE.UTF-8" "LANGUAGE=en LANG=C.UTF-8" "LANG=C"; do
	help=$(in_lang $how -- --help) || fail "--help ($how) failed"
	err=$(in_lang $how -- --relay x --fps 0) && fail "--fps 0 ($how) was accepted"
	case $how in
	*de*)
		printf '%s\n' "$help" | grep -q '^Aufruf: fernsicht-master --relay' &&
		    printf '%s\n' "$help" | grep -q '^Befehle auf stdin: ' ||
		    fail "--help with $how is not German: $(printf '%s\n' "$help" | head -3)"
		printf '%s\n' "$help" | grep -Eq 'stdin commands|how to reach the relay' &&
		    fail "--help with $how is half English"
		[ "$err" = "fernsicht-master: Fehler: --fps erwartet 1..120" ] ||
		    fail "the error with $how is '$err'"
		;;
	*)
		printf '%s\n' "$help" | grep -q '^usage: fernsicht-master --relay' &&
		    printf '%s\n' "$help" | grep -q '^stdin commands: ' ||
		    fail "--help with $how is not English: $(printf '%s\n' "$help" | head -3)"
		[ "$err" = "fernsicht-master: error: --fps wants 1..120" ] ||
		    fail "the error with $how is '$err'"
		;;
	esac
done
note "--help and errors: German with LANGUAGE=de and with LANG=de_DE.UTF-8 alone, else English"

start_xvfb 1024x768

# ---- the host's window at its smallest width, state by state ----
# last_frame [KIND ARG]...: the buttons of the window's latest redraw,
# checked against its size: inside the window's margins, not over each
# other, and these among them. A screenshot draws
# a frame of its own, so after one this is the frame in the picture.
last_frame() {
	python3 - "$T/ui.log" "$@" <<'EOF'
import sys
MARGIN = 16     # hostui.c: nothing is drawn nearer the window's edges
frame = None
for line in open(sys.argv[1], errors="replace"):
    f = line.split()
    if f[:1] == ["redraw"]:
        frame = (int(f[1]), int(f[2]), [])
    elif f[:1] == ["button"] and frame is not None:
        frame[2].append((f[1] + " " + f[2], *map(int, f[3:7])))
if frame is None:
    sys.exit("no redraw")
w, h, bs = frame
names = [b[0] for b in bs]
bad = [f"no {want} is drawn" for want in sys.argv[2:] if want not in names]
for name, x, y, bw, bh in bs:
    if x < MARGIN or y < 0 or x + bw > w - MARGIN or y + bh > h:
        bad.append(f"{name} at {x},{y} {bw}x{bh} is not inside the window {w}x{h}'s margins")
for i, (n1, x1, y1, w1, h1) in enumerate(bs):
    for n2, x2, y2, w2, h2 in bs[i + 1:]:
        if x1 < x2 + w2 and x2 < x1 + w1 and y1 < y2 + h2 and y2 < y1 + h1:
            bad.append(f"{n1} and {n2} overlap")
if bad:
    print("; ".join(bad))
    sys.exit(1)
print(f"{w} {h} {len(bs)}")
EOF
}

# host_states LANG all|first ENV...: hostui_demo with these language
# variables, through every state (or the first two) at the smallest width;
# with all, pictures into $shots/LANG.
host_states() {
	lang=$1
	states=$2
	shift 2
	: >"$T/ui.log"
	rm -f "$T/ui.in"
	mkfifo "$T/ui.in"
	env -u LANG "$@" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    SDL_VIDEODRIVER=x11 HOSTUI_DEBUG=1 "$B/tools/hostui_demo" <"$T/ui.in" \
	    >"$T/ui.out" 2>"$T/ui.log" &
	UI_PID=$!
	pids="$pids $UI_PID"
	sleep 1000000 >"$T/ui.in" &
	HOLD=$!
	pids="$pids $HOLD"
	wait_for "$T/ui.out" '^ready$' 10
	ui "session 48213 071934"
	ui "status connected to the relay"
	# The title follows the session number; xdotool may find the window
	# (by either of its name properties) before both are set.
	_win=$(timeout 10 xdotool search --sync --name '48213' | head -1)
	[ -n "$_win" ] || fail "$lang: no window named after the session"
	_i=0
	until TITLE=$(xdotool getwindowname "$_win") && case $TITLE in *48213) ;; *) false ;; esac
	do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || break
		sleep 0.05
	done
	# The smallest the host can make it: SDL keeps the minimum size.
	ui "size 1 1"
	smallest
	MIN="$W $H"
	state waiting "NEW_CODE 0"
	ui "viewer 1 WAITING anna-from-the-help-desk 192.0.2.7:51234 123456"
	state consent "ALLOW_CONTROL 1" "ALLOW_VIEW 1" "DENY 1"
	if [ "$states" = all ]; then
		ui "viewer 2 WAITING bob 198.51.100.2:40000 654321"
		state two-prompts "ALLOW_CONTROL 1" "ALLOW_VIEW 1" "DENY 1"
		ui "viewer 1 CONTROLLING anna-from-the-help-desk 192.0.2.7:51234 123456"
		ui "viewer 2 VIEWING bob 198.51.100.2:40000 654321"
		state viewers "FILES_ON 1" "KICK 1" "TAKE_CONTROL 0" "END 0"
		ui "failures 3"
		state wrong-codes "NEW_CODE 0"
		ui "failures 10 paused"
		state paused "NEW_CODE 0"
		ui "failures 0"
		ui "drop 1"
		# The chat and the transfers need height: the smallest width, taller.
		ui "chat bob Hello, I am connected. Can you see my pointer?"
		ui "mine Yes."
		ui "note Not sent: no viewer is allowed in yet."
		ui "size 1 640"
		smallest 640
		state chat "CHAT_ENTRY 0" "CHAT_SEND 0" "KICK 2"
		ui "transfer 2 1 in done 1200000 1200000 0 bob report.pdf /tmp/report.pdf"
		ui "transfer 2 7 in running 34500000 14100000 2100000 bob driver-5.2.deb"
		ui "transfer 2 3 out failed 9000 0 0 bob setup.exe cancelled"
		state transfers "CHAT_ENTRY 0" "CANCEL_TRANSFER 7" "OPEN_FOLDER 1"
		ui "clear"
		ui "size 1 1"
		smallest
		state nobody "END 0"
	fi
	kill "$UI_PID" "$HOLD" 2>/dev/null
	wait "$UI_PID" 2>/dev/null
	cut=$(grep 'gui: text cut' "$T/ui.log") &&
	    fail "$lang: the window's own text does not fit: $cut"
	grep 'hostui_demo: cannot' "$T/ui.log" &&
	    fail "$lang: the demo did not understand a command"
	note "$lang ($states states): smallest window $MIN, title '$TITLE', no text cut"
}
ui() { printf '%s\n' "$1" >>"$T/ui.in"; }
# smallest [HEIGHT]: until the window was redrawn narrower than it opened
# (480), as tall as asked, and stays so; sets W and H.
smallest() {
	_want=${1:-}
	_i=0
	_prev=""
	while :; do
		_now=$(grep '^redraw ' "$T/ui.log" | tail -1)
		set -- $_now
		if [ -n "$_now" ] && [ "$2" -lt 480 ] && [ "$_now" = "$_prev" ] &&
		    { [ -z "$_want" ] || [ "$3" = "$_want" ]; }; then
			break
		fi
		_prev=$_now
		_i=$((_i + 1))
		[ $_i -lt 100 ] || fail "$lang: the window did not become smaller (last: $_now)"
		sleep 0.1
	done
	W=$2
	H=$3
}
# state NAME ["KIND ARG"]...: once the window shows these buttons (at the
# size the state makes it), screenshot it and check that frame.
state() {
	_name=$1
	shift
	_i=0
	until last_frame "$@" >/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || fail "$lang, $_name: $(last_frame "$@")"
		sleep 0.05
	done
	_bmp="$T/$lang-$_name.bmp"
	ui "screenshot $_bmp"
	wait_for "$T/ui.out" "^screenshot $_bmp\$" 10
	_f=$(last_frame "$@") || fail "$lang, $_name: $_f"
	[ "$states" != all ] || python3 "$top/tests/tools/topng.py" "$_bmp" \
	    "$shots/$lang/host-$_name.png" || fail "cannot convert $_bmp"
}

host_states de all LANGUAGE=de LANG=C.UTF-8
DE_MIN=$MIN
case $TITLE in
'Fernsicht - Sitzung 48213') ;;
*) fail "de: the window's title is '$TITLE'" ;;
esac
host_states en all LANGUAGE=en LANG=C.UTF-8
[ "$TITLE" = 'Fernsicht - session 48213' ] || fail "en: the window's title is '$TITLE'"
EN_MIN=$MIN
# Only LANG names German, a locale that need not be installed: the same
# words (the pictures are the same as with LANGUAGE=de).
host_states lang first LANG=de_DE.UTF-8
[ "$TITLE" = 'Fernsicht - Sitzung 48213' ] ||
    fail "LANG=de_DE.UTF-8 alone: the window's title is '$TITLE'"
for s in waiting consent; do
	d=$(px diff "$T/de-$s.bmp" "$T/lang-$s.bmp") || fail "cannot compare the $s pictures"
	[ "$d" = 0 ] || fail "$s: with LANG=de_DE.UTF-8 alone $d pixels differ from LANGUAGE=de"
done

# The same states, other words: every German picture differs from the
# English one (in the part both have) in more than a few pixels.
for f in "$T"/de-*.bmp; do
	s=$(basename "$f" .bmp)
	s=${s#de-}
	d=$(px diff "$f" "$T/en-$s.bmp") || fail "cannot compare the $s pictures"
	[ "$d" -gt 300 ] || fail "$s: German and English pictures differ in only $d pixels"
done
note "smallest: de $DE_MIN, en $EN_MIN; every German picture differs from the English one"

# ---- a real master's indicator ----
start_relay relay
for lang in de en; do
	# (host.out goes too: the shell empties it only once the master's
	# process runs, and the last language's session line must not be read)
	rm -f "$T/host.in" "$T/host.out"
	mkfifo "$T/host.in"
	env -u LANG LANGUAGE=$lang LANG=C.UTF-8 \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    HOSTUI_DEBUG=1 SDL_VIDEODRIVER=x11 "$B/fernsicht-master" --relay "$RELAY" \
	    --source test-pattern --name host --fps 5 <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
	MP=$!
	pids="$pids $MP"
	sleep 1000000 >"$T/host.in" &
	HOLD=$!
	pids="$pids $HOLD"
	wait_for "$T/host.out" '^session=' 10
	SESSION=$(sed -n 's/^session=\([0-9]*\) .*/\1/p' "$T/host.out" | head -1)
	start_viewer anna "$RELAY" "$SESSION" "$(latest_code host)"
	VP=$VIEWER_PID
	wait_for "$T/host.out" '^consent slot=1 name="anna"' 20
	master_cmd host y
	wait_for "$T/host.out" '^allowed slot=1 rights=control' 10
	[ $lang = de ] && want='Fernsicht: anna steuert diesen Rechner' ||
	    want='Fernsicht: anna controls this computer'
	IND=$(timeout 10 xdotool search --sync --name "^$want\$" | head -1)
	[ -n "$IND" ] || fail "$lang: no indicator named '$want'"
	wait_for "$T/host.log" '^indicator-button END ' 10
	sleep 0.5
	# The buttons inside the indicator's row, one after the other.
	python3 - "$T/host.log" <<'EOF' || fail "$lang: the indicator's buttons do not fit its row"
import sys
# The last complete redraw (a row and its two buttons): the one being
# written while this reads may have fewer lines so far.
w = h = None
bs = []
cur = None
for line in open(sys.argv[1], errors="replace"):
    f = line.split()
    if f[:1] == ["indicator"]:
        cur = (int(f[3]), int(f[4]), [])
    elif f[:1] == ["indicator-button"] and cur is not None:
        cur[2].append(tuple(map(int, f[2:6])))
        if len(cur[2]) == 2:
            w, h, bs = cur
ok = w is not None and len(bs) == 2 and all(x >= 0 and y >= 0 and x + bw <= w and y + bh <= h
                                             for x, y, bw, bh in bs)
ok = ok and bs[0][0] + bs[0][2] <= bs[1][0]
print(f"  indicator {w}x{h}, buttons {bs}")
sys.exit(0 if ok else 1)
EOF
	eval "$(xdotool getwindowgeometry --shell "$IND")"
	xwd -root -silent -out "$T/root.xwd" || fail "xwd failed"
	python3 "$top/tests/tools/xwd2ppm.py" "$T/root.xwd" "$T/ind.ppm" "$X" "$Y" "$WIDTH" \
	    "$HEIGHT" && python3 "$top/tests/tools/topng.py" "$T/ind.ppm" \
	    "$shots/$lang/host-indicator.png" || fail "cannot convert the indicator's picture"
	grep 'gui: text cut' "$T/host.log" &&
	    fail "$lang: the master's window or indicator cut its own text"
	master_cmd host end
	wait_exit "$MP" 10
	kill "$HOLD" "$VP" 2>/dev/null
	note "$lang: indicator '$want' (${WIDTH}x$HEIGHT), buttons inside"
done
note "pictures in build/screenshots/i18n/{de,en}/host-*.png"
