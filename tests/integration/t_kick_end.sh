# The host kicks one viewer: it is told so and exits 4, the other keeps
# watching under a new session key it alone receives; then the host ends
# the session and the remaining viewer exits 0 saying so.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master host "$RELAY" --auto-accept --fps 20
start_viewer a "$RELAY" "$SESSION" "$CODE"
pa=$VIEWER_PID
wait_for "$T/host.out" '^verified slot=1 ' 20
code=$(latest_code host)
start_viewer b "$RELAY" "$SESSION" "$code"
pb=$VIEWER_PID
wait_for "$T/host.out" '^verified slot=2 ' 20
wait_for "$T/a.out" '^frame ' 20
wait_for "$T/b.out" '^frame ' 20
keys_a=$(count "$T/a.out" '^key epoch=')
master_cmd host "kick 1"
wait_exit "$pa" 20
[ "$rc" = 4 ] || fail "kicked viewer exit $rc, want 4"
grep -qi 'kick\|removed' "$T/a.out" || fail "kicked viewer was not told why"
wait_for "$T/host.out" '^kicked slot=1' 10
# b gets a new epoch that a never saw.
last_a=$(grep '^key epoch=' "$T/a.out" | tail -1 | sed 's/key epoch=\([0-9]*\).*/\1/')
i=0
until grep '^key epoch=' "$T/b.out" | sed 's/key epoch=\([0-9]*\).*/\1/' |
    awk -v a="${last_a:-0}" '$1 > a { f = 1 } END { exit !f }'; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "no new epoch after the kick"; sleep 0.05
done
n=$(frames b)
wait_for "$T/b.out" "^frame n=$((n + 5)) " 20
master_cmd host "end"
wait_exit "$pb" 20
[ "$rc" = 0 ] || fail "viewer after end: exit $rc, want 0"
grep -qi 'ended' "$T/b.out" || fail "viewer not told the session ended"
note "kick and end ok (a had $keys_a keys; epochs after kick: $(grep -c '^key epoch=' "$T/b.out"))"
