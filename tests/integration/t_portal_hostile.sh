# The master's portal client against a portal that answers wrongly on
# purpose (tests/tools/hostile_portal.py, a mock named so: the real one
# cannot be made to). For each way, the master stops with exit 3 and a
# reason in words, never crashes (this runs under the sanitizers too),
# never shares, and closes the session it made. A Response signal sent by
# another connection on the master's request path does not count.
. "$(dirname "$0")/lib.sh"
# A session bus that starts nothing: the hostile portal is the only one.
start_mock_bus
mkdir -m 700 "$T/config"

# hostile MODE WANT: the master against the portal in MODE says WANT.
hostile() {
	"$PY" "$top/tests/tools/hostile_portal.py" "$1" >"$T/portal.$1" 2>&1 &
	_portal=$!
	wait_for "$T/portal.$1" '^ready$' 10
	XDG_CONFIG_HOME=$T/config "$B/fernsicht-master" --relay 127.0.0.1:1 --headless \
	    --source portal </dev/null >"$T/out.$1" 2>"$T/err.$1"
	_rc=$?
	sleep 0.2       # (the Close the master sent on its way out)
	kill "$_portal" 2>/dev/null
	wait "$_portal" 2>/dev/null
	[ "$_rc" = 3 ] || fail "$1: exit $_rc: $(cat "$T/err.$1")"
	grep -q "cannot capture the screen: $2" "$T/err.$1" ||
	    fail "$1: $(grep -v ': info: ' "$T/err.$1")"
	grep -Eq 'Sanitizer|runtime error' "$T/err.$1" && fail "$1: the sanitizers spoke"
	grep -q '^session=' "$T/out.$1" && fail "$1: a session"
	[ -e "$T/config/fernsicht/portal-restore-token" ] && fail "$1: a token was kept"
	return 0
}

hostile no-screencast 'the desktop portal cannot share the screen here (ScreenCast)'
hostile handle-type 'the desktop portal made a session without a handle'
hostile handle-long 'the desktop portal made a session without a handle'
hostile no-streams 'the desktop portal started no stream'
hostile streams-type 'the desktop portal gave an unexpected answer to Start'
hostile streams-deep 'the desktop portal gave an unexpected answer to Start'
hostile response-2 'the desktop portal ended Start without sharing (response 2'
hostile cancel "the host declined the sharing in the desktop's dialog"
hostile closed 'the desktop portal went away (Start)'
grep -q '^Close$' "$T/portal.closed" && fail "closed: Close sent to a session already closed"
hostile spoof "the host declined the sharing in the desktop's dialog"
note "wrong types, a long path, no stream, an error, a no, a close and a spoofed answer:" \
    "each a clear reason"
# Answers that are right, but lead nowhere: the node is not on the
# PipeWire the fd leads to. The session the master made is closed.
hostile ok 'no picture arrived from the screen cast within 5 s (PipeWire node 4242 agreed on no format'
grep -q '^Close$' "$T/portal.ok" || fail "ok: the master did not close its session"
note "a node that leads nowhere: a reason, and the session closed"
hostile other-path "the host declined the sharing in the desktop's dialog"
grep -q '^Start$' "$T/portal.other-path" || fail "other-path: no Start"
note "a portal's own request paths are listened on"
# The portal never answers: the master does not wait for ever.
hostile silent 'the desktop portal did not answer CreateSession within 5 s'
note "a silent portal: given up after 5 s"
exit 0
