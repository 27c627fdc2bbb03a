# Direct mode: a master that listens on the LAN (--lan) and no relay at
# all; a viewer connects with --direct and goes through the same code,
# consent and encryption. A wrong code fails as over a relay. With a relay
# too, relayed and direct viewers watch the same session, and the relay
# carries none of the direct viewer's bytes.
. "$(dirname "$0")/lib.sh"

# 1. No relay.
mkfifo "$T/solo.in"
"$B/fernsicht-master" --lan 127.0.0.1:0 --headless --source test-pattern --auto-accept \
    --print-input --name solo <"$T/solo.in" >"$T/solo.out" 2>"$T/solo.log" &
pids="$pids $!"
sleep 1000000 >"$T/solo.in" &
pids="$pids $!"
wait_for "$T/solo.out" '^lan=' 10
wait_for "$T/solo.out" '^session=' 10
LAN=$(sed -n 's/^lan=//p' "$T/solo.out")
code=$(latest_code solo)
printf 'pointer 5 6\n' >"$T/script"
"$B/fernsicht-viewer" --direct "$LAN" --code "$code" --headless --frames 10 \
    --input-script "$T/script" --name d1 >"$T/d1.out" 2>"$T/d1.log"
rc=$?
[ "$rc" = 0 ] || fail "direct viewer exit $rc"
grep -q '^verified host="solo"' "$T/d1.out" || fail "direct viewer not verified"
grep -q '^frame n=10 ' "$T/d1.out" || fail "direct viewer got no frames"
grep -q '^input slot=[0-9]* kind=pointer .*x=5 y=6' "$T/solo.out" || fail "input did not arrive"
bad=$(echo "$(latest_code solo)" | sed 's/.$//')$(( ($(latest_code solo | cut -c6) + 1) % 10 ))
"$B/fernsicht-viewer" --direct "$LAN" --code "$bad" --headless --frames 1 --name d2 \
    >"$T/d2.out" 2>"$T/d2.log"
rc=$?
[ "$rc" = 3 ] || fail "wrong code over the LAN: exit $rc, want 3"
wait_for "$T/solo.out" '^code-failed' 10

# 2. Relay and LAN together.
start_relay relay
start_master both "$RELAY" --lan 127.0.0.1:0 --auto-accept --fps 20
LAN2=$(sed -n 's/^lan=//p' "$T/both.out")
start_viewer r "$RELAY" "$SESSION" "$(latest_code both)" --frames 20
pr=$VIEWER_PID
wait_for "$T/both.out" '^verified slot=[0-9]+ name="r"' 20
"$B/fernsicht-viewer" --direct "$LAN2" "$SESSION" --code "$(latest_code both)" --headless \
    --frames 20 --name d3 >"$T/d3.out" 2>"$T/d3.log" &
pd=$!
pids="$pids $pd"
wait_exit "$pr" 30
[ "$rc" = 0 ] || fail "relayed viewer exit $rc"
wait_exit "$pd" 30
[ "$rc" = 0 ] || fail "direct viewer next to a relayed one: exit $rc"
grep -q 'name="d3"' "$T/relay.log" && fail "the direct viewer went through the relay"
# Both said goodbye when they were done (the relayed one after it moved
# to the LAN): gone, not kept as "reconnecting".
grep -Eq '^away slot=[0-9]+ name="(r|d3)"' "$T/both.out" &&
    fail "a viewer that left was kept as away: $(grep '^away ' "$T/both.out")"

# 3. A direct viewer whose connection breaks has no relay to come back
# through: the host must not be shown it as "reconnecting" for minutes.
"$B/fernsicht-viewer" --direct "$LAN2" "$SESSION" --code "$(latest_code both)" --headless \
    --frames 100000 --quiet-frames --name d4 >"$T/d4.out" 2>"$T/d4.log" &
pd=$!
pids="$pids $pd"
wait_for "$T/both.out" '^verified slot=[0-9]+ name="d4"' 20
slot=$(sed -n 's/^verified slot=\([0-9]*\) name="d4".*/\1/p' "$T/both.out")
wait_for "$T/d4.out" '^allowed' 10
kill -9 "$pd"
wait_for "$T/both.out" "^left slot=$slot " 10
sleep 0.5
grep -q "^away slot=$slot name=\"d4\"" "$T/both.out" &&
    fail "the lost direct viewer was kept as away"
note "direct viewer without a relay: $(grep -c '^frame' "$T/d1.out") frames; wrong code refused; relayed and direct side by side"
