# Relay limits configured small: idle timeout, connections per address,
# viewers per session; and new sessions per address at their default. A
# live session keeps itself alive by PINGs paced from the relay's
# WELCOME, even with a short idle timeout.
. "$(dirname "$0")/lib.sh"
start_relay relay --idle-timeout-ms 1500 --conns-per-ip 6 --max-viewers 2
raw() { python3 "$top/tests/integration/rawclient.py" "$RELAY" "$@" >>"$T/raw.log" 2>&1; }
echo "== idle-timeout" >>"$T/raw.log"
raw idle-timeout || fail "idle timeout"
echo "== conn-cap" >>"$T/raw.log"
raw conn-cap 6 || fail "per-address connection cap"
echo "== full" >>"$T/raw.log"
raw full 2 || fail "max viewers"
start_master host "$RELAY" --auto-accept --fps 2
start_viewer v "$RELAY" "$SESSION" "$CODE" --frames 12
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "a slow-paced session under a 1.5 s idle timeout: viewer exit $rc"
grep -q 'timed out\|timeout' "$T/host.log" && fail "the master was timed out"
# last: it uses up this address's new sessions
echo "== session-rate" >>"$T/raw.log"
raw session-rate || fail "new sessions per address"
note "idle, per-address and per-session limits enforced; a 6 s session survived a 1.5 s idle limit"
