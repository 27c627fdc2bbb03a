# Wrong codes: a clear message on both sides; after three failures the
# master retires the code and shows a new one, which then works.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master host "$RELAY" --auto-accept
first=$CODE
# The right code with its last digit changed.
bad=$(echo "$CODE" | sed 's/.$//')$(( (${CODE#?????} + 1) % 10 ))
for i in 1 2 3; do
	start_viewer "w$i" "$RELAY" "$SESSION" "$bad" --frames 1
	wait_exit "$VIEWER_PID" 30
	[ "$rc" = 3 ] || fail "wrong code $i: exit $rc, want 3"
	grep -qi 'code' "$T/w$i.out" || fail "wrong code $i: no clear message"
done
[ "$(count "$T/host.out" '^code-failed')" = 3 ] || fail "master did not report 3 failures"
wait_for "$T/host.out" "^session=$SESSION code=" 10
new=$(latest_code host)
[ "$new" != "$first" ] || fail "the code was not replaced"
start_viewer old "$RELAY" "$SESSION" "$first" --frames 1
wait_exit "$VIEWER_PID" 30
[ "$rc" = 3 ] || fail "retired code still accepted (exit $rc)"
start_viewer good "$RELAY" "$SESSION" "$new" --frames 5
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "new code refused (exit $rc)"
note "3 failures retired code $first; new code works"
