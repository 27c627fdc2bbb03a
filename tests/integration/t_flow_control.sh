# Viewer-driven flow control: a viewer that stops showing frames stops
# granting credit, so the master sends it nothing more (no queue builds up
# at the relay), while a fast viewer of the same session keeps its frame
# rate. The slow viewer gets fewer, fresher frames, never a backlog.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master host "$RELAY" --auto-accept --fps 30 --size 640x480
start_viewer slow "$RELAY" "$SESSION" "$CODE" --stall-after 5 --quiet-frames
ps=$VIEWER_PID
wait_for "$T/host.out" '^verified slot=1 ' 20
start_viewer fast "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames
pf=$VIEWER_PID
wait_for "$T/slow.out" '^stalling after' 20
sleep 4
kill "$ps" "$pf"
wait_exit "$ps" 10
wait_exit "$pf" 10
sleep 0.5
grep -q '^left slot=1 .*slow' "$T/host.out" && fail "the stalled viewer was evicted: flow control did not hold back"
slow=$(grep 'name="slow"' "$T/relay.log" | head -1 | sed 's/.*conn=\([0-9]*\) .*/\1/')
fast=$(grep 'name="fast"' "$T/relay.log" | head -1 | sed 's/.*conn=\([0-9]*\) .*/\1/')
bytes_of() { grep "close conn=$1 " "$T/relay.log" | sed -n 's/.* out=\([0-9]*\).*/\1/p'; }
bs=$(bytes_of "$slow")
bf=$(bytes_of "$fast")
[ -n "$bs" ] && [ -n "$bf" ] || fail "no byte counts in the relay log"
[ $((bs * 5)) -lt "$bf" ] || fail "the stalled viewer got $bs bytes, the fast one $bf"
note "stalled viewer: $bs bytes; fast viewer: $bf bytes in the same time"
