# The relay is stopped (SIGTERM: it says RESTARTING) and started again on
# the same port and state. The master takes its number back with its
# ticket, no new code is needed, and the allowed viewer comes back by
# itself and gets frames again; a viewer started with --resume-grace 0
# says clearly that the relay went away (exit 2).
. "$(dirname "$0")/lib.sh"
start_relay relay
port=${RELAY##*:}
start_master host "$RELAY" --auto-accept
first=$SESSION
start_viewer v "$RELAY" "$SESSION" "$CODE" --quiet-frames
V=$VIEWER_PID
wait_for "$T/v.out" '^allowed ' 20
wait_for "$T/host.out" '^session=.*' 10
until [ "$(latest_code host)" != "$CODE" ]; do sleep 0.05; done
start_viewer g "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames --resume-grace 0
G=$VIEWER_PID
wait_for "$T/g.out" '^allowed ' 20
kill -TERM "$RELAY_PID"
wait_exit "$G" 20
[ "$rc" = 2 ] || fail "viewer with --resume-grace 0: exit $rc when the relay went down, want 2"
grep -qi 'restart\|relay' "$T/g.out" || fail "viewer did not say the relay went away"
wait_for "$T/v.out" '^lost reason=' 10
RELAY_PORT=$port start_relay relay2
wait_for "$T/host.out" "^resumed session=$first" 30
wait_for "$T/v.out" '^resumed session=' 30
kill -0 "$V" 2>/dev/null || fail "the viewer gave up"
grep '^session=' "$T/host.out" | grep -qv "^session=$first " &&
    fail "the master came back with a new number"
note "session $first kept across a relay restart: $(grep '^resumed session=' "$T/v.out")"
