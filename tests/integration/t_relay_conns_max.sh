# A relay whose descriptors are short (ulimit -n 140, hard): it says at
# start how many connections it can hold, holds that many, refuses the next
# ones at once with ERROR BUSY instead of leaving them unanswered in the
# backlog (accept(2) out of descriptors), and serves again once one closes.
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC3045 # dash and bash both have ulimit -n
ulimit -Sn 140 && ulimit -Hn 140 || fail "cannot lower the descriptor limit"
start_relay relay
n=$(sed -n 's/.* allow \([0-9]*\) connections .*/\1/p' "$T/relay.log" | head -1)
[ -n "$n" ] || fail "the relay did not say how many connections its descriptors allow"
[ "$n" -gt 20 ] && [ "$n" -lt 140 ] || fail "the relay would hold $n connections on 140 descriptors"
python3 "$top/tests/integration/rawclient.py" "$RELAY" conns-max "$n" >"$T/raw.log" 2>&1 ||
    fail "connections past the cap: $(tail -3 "$T/raw.log")"
grep -q "refused peer=.*: $n connections" "$T/relay.log" ||
    fail "the relay did not log the refusals"
kill -0 "$RELAY_PID" || fail "relay died"
note "140 descriptors: $n connections held, the next ones refused with BUSY," \
    "served again after one left"
