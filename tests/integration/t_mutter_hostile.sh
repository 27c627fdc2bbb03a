# --source mutter --monitor N against a DisplayConfig that answers wrongly
# on purpose (tests/tools/hostile_mutter.py, a mock named so: the real
# Mutter cannot be made to). For each way, the master stops with exit 3
# and a reason in words and never crashes (this runs under the
# sanitizers too); a right answer passes the lookup and ends where the
# mock has no screen cast to give.
. "$(dirname "$0")/lib.sh"
start_mock_bus

# hostile MODE MONITOR WANT: the master against the mock in MODE says WANT.
hostile() {
	"$PY" "$top/tests/tools/hostile_mutter.py" "$1" >"$T/mutter.$1" 2>&1 &
	_mock=$!
	wait_for "$T/mutter.$1" '^ready$' 10
	"$B/fernsicht-master" --relay 127.0.0.1:1 --headless --source mutter --monitor "$2" \
	    </dev/null >"$T/out.$1" 2>"$T/err.$1"
	_rc=$?
	kill "$_mock" 2>/dev/null
	wait "$_mock" 2>/dev/null
	grep -q '^GetCurrentState$' "$T/mutter.$1" || fail "$1: the master did not ask"
	[ "$_rc" = 3 ] || fail "$1: exit $_rc: $(cat "$T/err.$1")"
	grep -q "cannot capture the screen: $3" "$T/err.$1" ||
	    fail "$1: $(grep -v ': info: ' "$T/err.$1")"
	grep -Eq 'Sanitizer|runtime error' "$T/err.$1" && fail "$1: the sanitizers spoke"
	grep -q '^session=' "$T/out.$1" && fail "$1: a session"
	return 0
}

unexpected='GNOME Mutter gave an unexpected answer to DisplayConfig.GetCurrentState'
hostile string 1 "$unexpected"
hostile short 1 "$unexpected"
hostile monitors-type 1 "$unexpected"
hostile logical-type 1 "$unexpected"
hostile empty 1 "$unexpected"
hostile long 1 "$unexpected"
hostile error 1 'GNOME Mutter does not describe its monitors (DisplayConfig: no state today)'
hostile off 0 'there is no monitor 0: GNOME Mutter has 0 switched on'
hostile two 5 'there is no monitor 5: GNOME Mutter has 2 switched on'
note "wrong types, a short answer, an empty or long name, an error, no monitor on," \
    "one missing: each a clear reason"
# Right answers: the lookup passes (the mock has no screen cast); of 300
# monitors the first MUTTER_MONITORS_MAX (16) count, --monitor's 0..15.
hostile two 1 'GNOME Mutter does not answer on this session bus'
hostile many 15 'GNOME Mutter does not answer on this session bus'
note "monitor 1 of two and 15 of 300: the lookup passes"
