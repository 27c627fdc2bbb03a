# The viewer's windows in German and English, each at its smallest size
# and in its states, on a private X server: the start window (no relay,
# a refused settings file, what is missing, a failed join, waiting for
# the host with the check code, cancelled) and the session window
# (display_demo: status lines, the side panel with chat and transfers).
# Any "gui: text cut" on stderr fails the test: our own words must fit in
# every language. --help speaks the language; LANG=de_DE.UTF-8 alone (a
# locale this machine does not have) still gives German. Screenshots stay
# in build/screenshots/i18n/{de,en,de-lang}/viewer-*.png, and the German
# ones must differ from the English ones.
. "$(dirname "$0")/lib.sh"
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
command -v xwd >/dev/null || fail "xwd is not installed (make deps)"
start_xvfb 1280x1024
start_relay relay
start_master host "$RELAY"
# display_demo is not beside the catalogues (build/locale), the viewer is.
export FERNSICHT_LOCALEDIR="$B/locale"
unset LC_ALL LC_MESSAGES LANGUAGE
shots_top="$top/build/screenshots/i18n"
mkdir -p "$T/empty" "$T/bad/fernsicht" "$T/bin"
printf 'relay = %s:0\n' "${RELAY%:*}" >"$T/bad/fernsicht/viewer.conf"

# lang_env TAG: the environment of that language: de and en through
# LANGUAGE, de-lang through LANG alone (for env(1), which execs: $! is the
# program's own pid).
lang_env() {
	case $1 in
	de) echo "LANGUAGE=de LANG=C.UTF-8" ;;
	en) echo "LANGUAGE=en LANG=C.UTF-8" ;;
	de-lang) echo "LANG=de_DE.UTF-8" ;;
	esac
}

# shot WIN NAME: the window as the supporter sees it, into $shots/NAME.png.
shot() {
	eval "$(xdotool getwindowgeometry --shell "$1")"
	xwd -root -silent -out "$T/shot.xwd" 2>>"$T/xwd.log" || fail "xwd failed"
	python3 "$top/tests/tools/xwd2ppm.py" "$T/shot.xwd" "$T/shot.ppm" "$X" "$Y" "$WIDTH" \
	    "$HEIGHT" || fail "cannot crop $2"
	python3 "$top/tests/tools/topng.py" "$T/shot.ppm" "$shots/$2.png" || fail "cannot convert $2"
}
key() { xdotool key --delay 40 "$@" || fail "xdotool could not press $*"; }
type_in() { xdotool type --delay 30 "$1" || fail "xdotool could not type"; }
# start_window NAME CONFIG_HOME ARGS...: a viewer showing its start
# window, its settings in CONFIG_HOME; sets V and WIN.
start_window() {
	_n=$1; _cfg=$2; shift 2
	env $(lang_env $lang) ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    SDL_VIDEODRIVER=x11 XDG_CONFIG_HOME="$_cfg" HOME="$T/empty" "$B/fernsicht-viewer" \
	    --name desk "$@" >"$T/$lang-$_n.out" 2>"$T/$lang-$_n.log" &
	V=$!
	pids="$pids $V"
	wait_for "$T/$lang-$_n.out" '^start-window ' 10
	WIN=$(timeout 10 xdotool search --sync --name '^Fernsicht - ' | head -1)
	[ -n "$WIN" ] || fail "$lang: no start window"
	xdotool windowfocus --sync "$WIN" || fail "xdotool could not focus the window"
	xdotool mousemove --window "$WIN" 5 5
	sleep 0.4
}
stop() { kill -TERM "$1"; wait_exit "$1" 10; }
# new_code: wait for the host's next code after one was used.
new_code() {
	_i=0
	while [ "$(count "$T/host.out" '^session=')" -le "$1" ]; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || fail "the host showed no new code"; sleep 0.05
	done
}

for lang in de en de-lang; do
	shots="$shots_top/$lang"
	mkdir -p "$shots"
	rm -f "$shots"/viewer-*.png    # only its own: the host's test writes here too

	# --help in that language.
	env $(lang_env $lang) "$B/fernsicht-viewer" --help >"$T/$lang-help.out" 2>&1 ||
	    fail "$lang: --help failed"
	case $lang in
	en) grep -q '^usage: fernsicht-viewer' "$T/$lang-help.out" &&
	    grep -q 'exit codes: 0 ok' "$T/$lang-help.out" || fail "en: --help is not English" ;;
	*) grep -q '^Aufruf: fernsicht-viewer' "$T/$lang-help.out" &&
	    grep -q 'Exit-Codes: 0 ok' "$T/$lang-help.out" &&
	    ! grep -q 'how to reach the relay' "$T/$lang-help.out" ||
	    fail "$lang: --help is not German (or half English)" ;;
	esac
	env $(lang_env $lang) "$B/fernsicht-viewer" --frames x >/dev/null 2>"$T/$lang-bad.log" &&
	    fail "$lang: --frames x was taken"
	case $lang in
	en) grep -q 'wants a positive number' "$T/$lang-bad.log" ;;
	*) grep -q 'erwartet eine positive Zahl' "$T/$lang-bad.log" ;;
	esac || fail "$lang: the error before exit is not in the language: $(cat "$T/$lang-bad.log")"

	# No relay anywhere: the window asks for it; Enter without one says so.
	start_window norelay "$T/empty"
	shot "$WIN" viewer-start-norelay
	key Return
	sleep 0.4
	shot "$WIN" viewer-start-which-relay
	stop "$V"

	# A refused settings file: its line is shown.
	start_window badconf "$T/bad"
	shot "$WIN" viewer-start-settings
	stop "$V"

	# The relay from the command line: what is missing, a session that
	# does not exist, the host asked (the check code), a cancelled join.
	start_window join "$T/empty" --relay "$RELAY"
	shot "$WIN" viewer-start
	key Return
	sleep 0.3
	shot "$WIN" viewer-start-no-session
	type_in "$SESSION"
	key Return
	sleep 0.3
	shot "$WIN" viewer-start-no-code
	other=$(( SESSION == 99999 ? 10000 : SESSION + 1 ))
	key shift+Tab ctrl+BackSpace
	type_in "$other"
	key Tab
	type_in "000000"
	key Return
	wait_for "$T/$lang-join.out" '^start-failed reason="no such session"$' 20
	sleep 0.3
	shot "$WIN" viewer-start-failed
	codes=$(count "$T/host.out" '^session=')
	key shift+Tab ctrl+BackSpace
	type_in "$SESSION"
	key Tab ctrl+BackSpace
	type_in "$(latest_code host)"
	key Return
	wait_for "$T/$lang-join.out" '^waiting for the host' 20
	sleep 1.3       # the status follows once a second
	shot "$WIN" viewer-start-waiting
	key Escape
	wait_for "$T/$lang-join.out" '^closed reason="cancelled"$' 10
	sleep 0.3
	shot "$WIN" viewer-start-cancelled
	new_code "$codes"
	stop "$V"

	# The session window at its smallest (a small remote screen: the
	# window's minimum size wins), in its states.
	mkfifo "$T/$lang-demo.in"
	env $(lang_env $lang) PATH="$T/bin" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    SDL_VIDEODRIVER=x11 VIEWER_WINDOW_DEBUG=1 "$B/tools/display_demo" --seconds 120 \
	    --size 320x200 --commands <"$T/$lang-demo.in" >"$T/$lang-demo.out" \
	    2>"$T/$lang-demo.log" &
	D=$!
	pids="$pids $D"
	sleep 1000000 >"$T/$lang-demo.in" &
	HOLD=$!
	pids="$pids $HOLD"
	wait_for "$T/$lang-demo.out" '^ready ' 10
	dm() { printf '%s\n' "$1" >>"$T/$lang-demo.in"; }
	dshot() {
		dm "screenshot $T/$1.bmp"
		wait_for "$T/$lang-demo.out" "^screenshot $T/$1.bmp\$" 10
		python3 "$top/tests/tools/topng.py" "$T/$1.bmp" "$shots/$1.png" ||
		    fail "cannot convert $1"
	}
	DWIN=$(timeout 10 xdotool search --sync --name '^Fernsicht display demo$' | head -1)
	[ -n "$DWIN" ] || fail "$lang: no session window"
	xdotool mousemove --window "$DWIN" 5 5
	eval "$(xdotool getwindowgeometry --shell "$DWIN")"
	[ "$WIDTH" -le 800 ] && [ "$HEIGHT" -le 520 ] ||
	    fail "$lang: the session window is ${WIDTH}x$HEIGHT, not at its smallest"
	note "$lang: session window at ${WIDTH}x$HEIGHT"
	dm "status joining"
	dshot viewer-session-joining
	dm "status waiting 71934"
	dshot viewer-session-waiting
	# The longest status line: it must fit, in full or brief.
	dm "status active 1 0 0 120 123456 1234"
	dshot viewer-session-active
	# A transfer shows the panel, the chat still empty.
	dm "transfer 0 1 out running 34500000 14100000 2100000 host-pc driver-5.2.deb"
	wait_for "$T/$lang-demo.log" 'panel=1' 10
	dshot viewer-session-panel
	dm "transfer 0 2 in done:12 48200000 48200000 0 host-pc logs /tmp/inbox/logs"
	dm "transfer 0 3 out failed 9000 0 0 host-pc setup.exe the host refused it"
	dm "transfer 0 5 in running 5000 1000 0 host-pc a.txt"
	dm "transfer 0 6 in failed 5000 0 0 host-pc b.txt"
	dm "transfer 0 7 in running 900000000 1000 300 host-pc big.iso"
	dm "transfer 0 4 in done 1200000 1200000 0 host-pc report-2024-with-a-long-name.pdf /tmp/x"
	dm "chat host-pc Hello! The printer in the hall only prints blank pages."
	dm "mine I see it. I am opening the printer settings now."
	dm "note a note of the window"
	dm "status active 0 1 1 25 2345 12"
	sleep 0.5
	dshot viewer-session-transfers
	# Open folder without xdg-open: the notice under the list.
	wait_for "$T/$lang-demo.log" '^button OPEN_FOLDER 4 ' 10
	set -- $(grep '^button OPEN_FOLDER 4 ' "$T/$lang-demo.log" | tail -1)
	xdotool mousemove --window "$DWIN" $(($4 + $6 / 2)) $(($5 + $7 / 2)) click 1
	wait_for "$T/$lang-demo.log" 'xdg-open is not installed' 10
	sleep 0.3
	dshot viewer-session-notice
	# The chat's entry focused.
	key F9 F9
	wait_for "$T/$lang-demo.log" 'focus=1 panel=1' 10
	dshot viewer-session-entry
	kill "$D" "$HOLD" 2>/dev/null
	wait_exit "$D" 10

	for f in "$T/$lang"-*.log; do
		if grep -q 'gui: text cut' "$f"; then
			grep 'gui: text cut' "$f" | sed 's/^/  | /'
			fail "$lang: a window text does not fit ($(basename "$f"))"
		fi
	done
	note "$lang: $(ls "$shots" | wc -l) screenshots, no text cut"
done

# The windows speak the language: every German picture differs from its
# English one, and LANG alone gives the same German as LANGUAGE.
for f in "$shots_top"/en/viewer-*.png; do
	n=$(basename "$f")
	cmp -s "$f" "$shots_top/de/$n" && fail "$n is the same in German and English"
	[ -f "$shots_top/de-lang/$n" ] || fail "no $n with LANG=de_DE.UTF-8"
done
for n in viewer-start-norelay viewer-start-no-code viewer-session-joining; do
	cmp -s "$shots_top/de/$n.png" "$shots_top/de-lang/$n.png" ||
	    fail "$n with LANG=de_DE.UTF-8 is not the German one"
done
note "de and en differ in all $(ls "$shots_top"/en/viewer-* | wc -l) pictures; LANG=de_DE.UTF-8 gives German"
