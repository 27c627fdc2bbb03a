# The relay against raw, broken and hostile frames: each gets a clear
# ERROR and only that connection closes; the relay keeps serving.
. "$(dirname "$0")/lib.sh"
start_relay relay --hello-timeout-ms 500
raw() { python3 "$top/tests/integration/rawclient.py" "$RELAY" "$@" >>"$T/raw.log" 2>&1; }
for c in forward forward-large oversize-preauth oversize garbage bad-magic bad-version truncated \
    hello-timeout viewer-kick; do
	echo "== $c" >>"$T/raw.log"
	raw "$c" || fail "case $c"
done
echo "== no-session" >>"$T/raw.log"
raw no-session 99999 || fail "case no-session"
echo "== unknown-rate" >>"$T/raw.log"
raw unknown-rate || fail "case unknown-rate"
kill -0 "$RELAY_PID" || fail "relay died"
# And a real session still works afterwards.
start_master host "$RELAY" --auto-accept
start_viewer v "$RELAY" "$SESSION" "$CODE" --frames 3
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "session after abuse: viewer exit $rc"
grep -q 'opaque' "$T/relay.log" && fail "the relay logged payload bytes"
note "large frames whole through a slow reader; 11 hostile cases refused cleanly"
