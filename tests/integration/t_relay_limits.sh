# Relay limits configured small: idle timeout, connections per address,
# viewers per session; and new sessions per address and the connect
# lines one address may write to the log at their defaults. A
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
# One address connecting in a loop: its connect and close lines stop
# after a burst (RELAY_LOG_CONNS_BURST), each logged one keeps its close,
# and the next logged one says how many were not.
# (one after another, each given time to be seen closed: at once they
# would be refused as too many before HELLO, which logs no connect line)
conns() {
	python3 -c 'import socket, sys, time
for i in range(int(sys.argv[2])):
    h, p = sys.argv[1].rsplit(":", 1)
    socket.create_connection((h, int(p))).close()
    time.sleep(0.03)' "$RELAY" "$1"
}
conns 60
sleep 0.5
made=$(grep -c '^fernsicht-relay: info: connect conn=' "$T/relay.log")
closed=$(grep -c '^fernsicht-relay: info: close conn=' "$T/relay.log")
[ "$made" -lt 60 ] || fail "every one of 60 connections was logged ($made lines)"
# the host's connection is the one still open
[ "$made" = $((closed + 1)) ] || fail "$made connect lines but $closed close lines"
sleep 3.2       # one more line's worth at 20 a minute
conns 1
wait_for "$T/relay.log" \
    'connect conn=[0-9]+ peer=127\.0\.0\.1:[0-9]+ \(and [0-9]+ connections from it not logged' 5
# last: it uses up this address's new sessions
echo "== session-rate" >>"$T/raw.log"
raw session-rate || fail "new sessions per address"
note "idle, per-address and per-session limits enforced; a 6 s session survived a 1.5 s idle limit"
