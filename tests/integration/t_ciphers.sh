# Both record-layer suites: AES-256-GCM when both sides have it, and the
# XChaCha20-Poly1305 fallback when either side forces it (by option or by
# environment). The chosen suite is bound into the handshake transcript.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master host "$RELAY" --auto-accept
aes=$(grep -c -w aes /proc/cpuinfo 2>/dev/null || echo 0)
start_viewer d "$RELAY" "$SESSION" "$CODE" --frames 5
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "default suite: exit $rc"
if [ "$aes" -gt 0 ]; then
	grep -q 'cipher=aes256gcm' "$T/d.out" || fail "AES-256-GCM not chosen on an AES CPU"
else
	grep -q 'cipher=xchacha20poly1305' "$T/d.out" || fail "fallback not chosen"
fi
code=$(latest_code host)
start_viewer x "$RELAY" "$SESSION" "$code" --frames 5 --force-xchacha
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "forced XChaCha20: exit $rc"
grep -q '^verified .*cipher=xchacha20poly1305' "$T/x.out" || fail "pairwise suite not XChaCha20"
grep -q '^key epoch=.*cipher=xchacha20poly1305' "$T/x.out" || fail "session key not XChaCha20"
code=$(latest_code host)
FERNSICHT_FORCE_XCHACHA=1 start_viewer e "$RELAY" "$SESSION" "$code" --frames 5
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "FERNSICHT_FORCE_XCHACHA: exit $rc"
grep -q 'cipher=xchacha20poly1305' "$T/e.out" || fail "environment did not force XChaCha20"
note "default $(sed -n 's/^verified.*cipher=//p' "$T/d.out"), forced xchacha20poly1305 twice"
