# A viewer on the host's LAN with a relay 80 ms away drops a file as soon
# as the host allows it (--drop). It moves to the direct connection at the
# same time (LAN upgrade): the move must not revoke the grant its upload
# is just starting with.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
mkdir -p "$HOME" "$T/drop" "$T/hin"
start_relay relay --drop-dir "$T/drop"
start_master both "$RELAY" --lan 127.0.0.1:0 --auto-accept --fps 10 --inbox "$T/hin"
"$B/tools/link_shaper" 0 "$RELAY" 100000 40 >"$T/shaper.out" 2>"$T/shaper.log" &
pids="$pids $!"
wait_for "$T/shaper.out" '^listening' 10
FAR=127.0.0.1:$(sed -n 's/^listening //p' "$T/shaper.out")
head -c 200000 /dev/urandom >"$T/f.bin"
start_viewer r "$FAR" "$SESSION" "$CODE" --drop "$T/f.bin"
wait_exit "$VIEWER_PID" 60
note "$(grep -E '^(direct: connected|closed)' "$T/r.out" | cut -c1-120 | tr '\n' ' ')"
grep -q 'grant revoked' "$T/relay.log" &&
    fail "the move renewed the grant: $(grep -m1 'grant revoked' "$T/relay.log" | cut -c1-120)"
[ "$rc" = 0 ] ||
    fail "the drop of a viewer that moved to the LAN failed: exit $rc: $(grep '^closed' "$T/r.out")"
