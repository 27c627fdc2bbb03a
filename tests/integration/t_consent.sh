# Without --auto-accept the host is asked: "n" refuses (viewer exits 4 and
# never got a frame), "y" lets the next viewer watch.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master host "$RELAY"
start_viewer no "$RELAY" "$SESSION" "$CODE" --frames 3
p=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=1 name="no"' 20
wait_for "$T/no.out" '^waiting for the host' 10
master_cmd host n
wait_exit "$p" 20
[ "$rc" = 4 ] || fail "refused viewer exit $rc, want 4"
[ "$(frames no)" = 0 ] || fail "a refused viewer decoded frames"
grep -q '^key epoch=' "$T/no.out" && fail "a refused viewer got the session key"
code=$(latest_code host)
start_viewer yes "$RELAY" "$SESSION" "$code" --frames 3
p=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=[0-9]+ name="yes"' 20
master_cmd host y
wait_exit "$p" 20
[ "$rc" = 0 ] || fail "allowed viewer exit $rc"
grep -q '^allowed rights=view,control' "$T/yes.out" || grep -q '^allowed rights=' "$T/yes.out" ||
    fail "allowed line missing"
note "refused and allowed as the host said"
