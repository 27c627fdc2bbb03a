# A malicious relay swaps the viewer's X25519 key in the handshake for its
# own, to unwrap the session key. CPace binds the key into the transcript:
# key confirmation fails on both sides, nothing is allowed, no key is sent.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master host "$RELAY" --auto-accept
start_tamper mitm "$RELAY" --mode swap-key --conn 0
start_viewer v "$PROXY" "$SESSION" "$CODE" --frames 3
wait_exit "$VIEWER_PID" 30
grep -q 'swapped the viewer' "$T/mitm.log" || fail "the proxy did not swap the key"
[ "$rc" = 3 ] || [ "$rc" = 5 ] || fail "viewer exit $rc, want 3 or 5"
grep -qi 'confirm\|tamper' "$T/v.out" || fail "viewer gave no clear reason"
grep -q '^verified' "$T/v.out" && fail "viewer verified a swapped key"
grep -q '^verified' "$T/host.out" && fail "master verified a swapped key"
grep -q '^allowed' "$T/host.out" && fail "master allowed a swapped key"
[ "$(frames v)" = 0 ] || fail "viewer decoded frames"
note "swap detected: $(sed -n 's/^closed reason=//p' "$T/v.out")"
