# A viewer that stops reading and grants no credit (--no-flow-control, as
# a broken or hostile client would): the relay queues without dropping,
# tells the master (FLOW), and finally evicts it with a clear reason; a
# fast viewer watching the same session keeps receiving frames throughout.
. "$(dirname "$0")/lib.sh"
start_relay relay
# Large, fast-changing frames so that a stalled reader fills its queue
# (--lossless: JPEG tiles would make them a tenth as large).
start_master host "$RELAY" --auto-accept --fps 30 --size 1280x720 --lossless
start_viewer slow "$RELAY" "$SESSION" "$CODE" --stall-after 5 --quiet-frames --no-flow-control
ps=$VIEWER_PID
wait_for "$T/host.out" '^verified slot=1 ' 20
code=$(latest_code host)
start_viewer fast "$RELAY" "$SESSION" "$code"
wait_for "$T/slow.out" '^stalling after' 20
before=$(frames fast)
wait_for "$T/host.out" '^left slot=1 ' 60
after=$(frames fast)
grep '^left slot=1 ' "$T/host.out" | grep -qi 'slow\|read' || fail "eviction reason not clear"
grep -qi 'slow\|evict' "$T/relay.log" || fail "relay did not log the eviction"
[ "$after" -gt "$before" ] || fail "the fast viewer stalled too ($before -> $after frames)"
n=$(frames fast)
wait_for "$T/fast.out" "^frame n=$((n + 10)) " 20
kill -0 "$ps" 2>/dev/null && kill "$ps"
note "fast viewer: $before -> $after frames while the slow one was stalled, then evicted"
