# The relay goes down: viewers say so clearly (exit 2); the master says so
# and reconnects by itself once the relay is back, with a new session
# number, which a new viewer can join.
. "$(dirname "$0")/lib.sh"
start_relay relay
port=${RELAY##*:}
start_master host "$RELAY" --auto-accept
first=$SESSION
start_viewer v "$RELAY" "$SESSION" "$CODE"
wait_for "$T/v.out" '^frame ' 20
kill -TERM "$RELAY_PID"
wait_exit "$VIEWER_PID" 20
[ "$rc" = 2 ] || fail "viewer exit $rc when the relay went down, want 2"
grep -qi 'restart\|relay' "$T/v.out" || fail "viewer did not say the relay went away"
wait_for "$T/host.log" 'reconnect|restart|relay' 10
RELAY_PORT=$port start_relay relay2
# A number that was in use stays retired, so the master comes back with
# a session line naming a new one.
i=0
until grep '^session=' "$T/host.out" | grep -qv "^session=$first "; do
	i=$((i + 1)); [ $i -lt 400 ] || fail "master did not come back"; sleep 0.05
done
line=$(grep '^session=' "$T/host.out" | tail -1)
SESSION=$(echo "$line" | sed 's/session=\([0-9]*\) .*/\1/')
CODE=$(echo "$line" | sed 's/.*code=\([0-9]*\).*/\1/')
start_viewer w "$RELAY" "$SESSION" "$CODE" --frames 3
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "viewer after the restart: exit $rc"
note "session $first -> $SESSION after the relay restarted"
