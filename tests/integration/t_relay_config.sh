# The settings files at work. A relay started with --config FILE listens
# where the file says, keeps its numbers in the file's state-dir and
# turns away the viewer past the file's max-viewers; --max-viewers on the
# command line wins over the file. A master with only master.conf under
# $XDG_CONFIG_HOME (relay set there) starts a session without --relay, and
# a viewer with only viewer.conf joins it. A bad line stops each program
# with exit 1 and file:line on stderr; a missing --config FILE too. The
# relay's --help and errors in German (LANGUAGE=de) and English.
. "$(dirname "$0")/lib.sh"
export XDG_CONFIG_HOME="$T/config" XDG_CACHE_HOME="$T/cache"
mkdir -p "$XDG_CONFIG_HOME/fernsicht" "$T/inbox"
raw() { python3 "$top/tests/integration/rawclient.py" "$@" >>"$T/raw.log" 2>&1; }

# relay_conf NAME [ARGS...]: a relay on $T/relay.conf; sets RELAY, RELAY_PID.
relay_conf() {
	_n=$1; shift
	"$B/fernsicht-relay" --config "$T/relay.conf" "$@" >"$T/$_n.out" 2>"$T/$_n.log" &
	RELAY_PID=$!
	pids="$pids $RELAY_PID"
	wait_for "$T/$_n.out" '^listening=' 10
	RELAY=$(sed -n 's/^listening=//p' "$T/$_n.out" | head -1)
}

# --- the relay's file: listen, max-viewers, state-dir
mkdir -p "$T/state"
cat >"$T/relay.conf" <<END
# a relay for this test
listen = 127.0.0.1:0
max-viewers = 1
state-dir = $T/state
log-level = info
END
relay_conf relay2 --max-viewers 2
echo "== full 2 (command line over the file)" >>"$T/raw.log"
raw "$RELAY" full 2 || fail "--max-viewers 2 on the command line did not win over the file's 1"
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10

relay_conf relay
case $RELAY in
127.0.0.1:*) ;;
*) fail "the relay listens on $RELAY, not the file's 127.0.0.1" ;;
esac
echo "== full 1 (the file's max-viewers)" >>"$T/raw.log"
raw "$RELAY" full 1 || fail "the relay did not take max-viewers = 1 from its file"
grep -q 'unknown key' "$T/relay.log" && fail "a good file gave warnings"

# --- a master with only master.conf, a viewer with only viewer.conf
cat >"$XDG_CONFIG_HOME/fernsicht/master.conf" <<END
relay = $RELAY
transport = tcp
name = from-master-conf
inbox = $T/inbox
auto-accept = yes
END
mkfifo "$T/host.in"
"$B/fernsicht-master" --headless --source test-pattern --auto-accept --fps 5 \
    <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
MASTER_PID=$!
pids="$pids $MASTER_PID"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10
grep -q "connected to relay $RELAY" "$T/host.log" ||
    fail "the master did not use master.conf's relay"
grep -q "unknown key 'auto-accept'" "$T/host.log" ||
    fail "auto-accept in master.conf was not refused as a key"
line=$(grep '^session=' "$T/host.out" | tail -1)
SESSION=$(echo "$line" | sed 's/session=\([0-9]*\) .*/\1/')
CODE=$(echo "$line" | sed 's/.*code=\([0-9]*\).*/\1/')
printf 'relay = %s\nname = from-viewer-conf\n' "$RELAY" >"$XDG_CONFIG_HOME/fernsicht/viewer.conf"
"$B/fernsicht-viewer" "$SESSION" --code "$CODE" --headless --frames 3 \
    >"$T/viewer.out" 2>"$T/viewer.log" &
VIEWER_PID=$!
pids="$pids $VIEWER_PID"
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "a viewer with only viewer.conf: exit $rc"
grep -q 'from-viewer-conf' "$T/host.out" || fail "the host did not see viewer.conf's name"
grep -q 'from-master-conf' "$T/viewer.out" "$T/viewer.log" ||
    fail "the viewer did not see master.conf's name"
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10
[ -s "$T/state/numbers" ] || fail "no numbers in the file's state-dir"

# --- bad lines: exit 1, file:line on stderr, nothing started
# must_refuse NAME REGEX CMD...: exit 1 with REGEX in its stderr.
must_refuse() {
	_n=$1; _re=$2; shift 2
	rc=0
	timeout 10 "$@" >"$T/$_n.out" 2>"$T/$_n.log" </dev/null || rc=$?
	[ "$rc" = 1 ] || fail "$_n: exit $rc, not 1"
	grep -Eq "$_re" "$T/$_n.log" || fail "$_n: no /$_re/ on stderr"
	grep -q '^listening=\|^session=' "$T/$_n.out" && fail "$_n: started anyway"
	return 0
}
printf 'listen = 127.0.0.1:0\n\nmax-viewers = 99\n' >"$T/bad-relay.conf"
must_refuse bad-relay "bad-relay\.conf:3: bad max-viewers '99' \(want a number in 1\.\.16\)" \
    "$B/fernsicht-relay" --config "$T/bad-relay.conf"
printf 'listen = 127.0.0.1:0\nmax-viewers\n' >"$T/bad-relay2.conf"
must_refuse bad-relay2 "bad-relay2\.conf:2: no '='" \
    "$B/fernsicht-relay" --config "$T/bad-relay2.conf"
must_refuse no-config "nope\.conf: no such file" "$B/fernsicht-relay" --config "$T/nope.conf"
ln -s /dev/zero "$T/zero.conf"
must_refuse zero-config "zero\.conf: not a regular file" \
    "$B/fernsicht-relay" --config "$T/zero.conf"
printf 'relay = %s\ntransport = pigeon\n' "$RELAY" >"$XDG_CONFIG_HOME/fernsicht/master.conf"
must_refuse bad-master "master\.conf:2: bad transport 'pigeon'" \
    "$B/fernsicht-master" --headless --source test-pattern
printf 'relay = %s:0\n' "${RELAY%:*}" >"$XDG_CONFIG_HOME/fernsicht/viewer.conf"
must_refuse bad-viewer "viewer\.conf:1: bad relay" \
    "$B/fernsicht-viewer" 12345 --code 123456 --headless

# --- the relay in German and English
LANG=C.UTF-8 LANGUAGE=de "$B/fernsicht-relay" --help >"$T/help-de.out" 2>&1 ||
    fail "--help in German: exit $?"
grep -q '^Aufruf: fernsicht-relay \[Optionen\]' "$T/help-de.out" || fail "--help is not German"
grep -q 'Einstellungsdatei (Vorgabe /etc/fernsicht/relay.conf)' "$T/help-de.out" ||
    fail "--help in German does not name the settings file"
grep -q 'usage\|listen here' "$T/help-de.out" && fail "--help in German has English lines"
LANG=C.UTF-8 LANGUAGE=en "$B/fernsicht-relay" --help >"$T/help-en.out" 2>&1 ||
    fail "--help in English: exit $?"
grep -q '^usage: fernsicht-relay \[options\]' "$T/help-en.out" || fail "--help is not English"
grep -q 'Aufruf' "$T/help-en.out" && fail "--help in English has German lines"
export LANG=C.UTF-8 LANGUAGE=de
must_refuse de-option "^fernsicht-relay: --max-viewers erwartet eine Zahl von 1 bis 16$" \
    "$B/fernsicht-relay" --max-viewers 99
grep -q '^Aufruf:' "$T/de-option.log" || fail "a bad option in German: no German usage after it"
must_refuse de-unknown "^fernsicht-relay: unbekannte Option oder fehlendes Argument: --bogus$" \
    "$B/fernsicht-relay" --bogus
must_refuse de-config \
    "bad-relay\.conf:3: ungültiger Wert für max-viewers: „99“ \(erwartet: eine Zahl von 1 bis 16" \
    "$B/fernsicht-relay" --config "$T/bad-relay.conf"
must_refuse de-master "master\.conf:2: ungültiger Wert für transport: „pigeon“" \
    "$B/fernsicht-master" --headless --source test-pattern
unset LANGUAGE
note "relay.conf (listen, max-viewers, state-dir; the command line wins), master.conf and"
note "viewer.conf used; bad lines stop all three with file:line; German and English"

# Started from the desktop's menu nobody reads stderr: with a display, a
# master without a relay says so in a message box (closed with Return).
command -v xdotool >/dev/null || fail "xdotool is not installed (make deps)"
start_xvfb 800x600
mkdir -p "$T/empty-home"
LANG=C.UTF-8 LANGUAGE=de HOME="$T/empty-home" XDG_CONFIG_HOME="$T/empty-home/.config" \
    "$B/fernsicht-master" >"$T/nobox.out" 2>"$T/nobox.log" &
box=$!
pids="$pids $box"
message_box "$box" "a master without a relay"
win=$MESSAGE_BOX
grep -q 'kein Relay' "$T/nobox.log" || fail "stderr does not say there is no relay"
xdotool windowfocus --sync "$win" key Return 2>/dev/null || true
wait_exit "$box" 10
[ "$rc" = 1 ] || fail "the master without a relay exits $rc after its message box, not 1"
note "without a relay the master's message box says so; Return closes it, exit 1"
