# A drop upload on a slow line (docs/PROTOCOL.md 5.2): a put whose body
# arrives steadily but takes longer than the relay's request deadline
# (--hello-timeout-ms, here 1 s) is taken; one whose body stops coming is
# still closed (no slowloris).
. "$(dirname "$0")/lib.sh"
DC="python3 $top/tests/tools/drop_client.py"

start_relay relay --drop-dir "$T/drop" --hello-timeout-ms 1000
$DC grant --hold 60 "$RELAY" >"$T/m.grant" 2>&1 &
pids="$pids $!"
wait_for "$T/m.grant" '^grant=' 10
GRANT=$(sed -n 's/^grant=//p' "$T/m.grant")

head -c 30000 /dev/urandom >"$T/slow.bin"
$DC upload "$RELAY" "$GRANT" "$T/slow.bin" --stop-after 0 >"$T/up.out" 2>&1 ||
    fail "no upload: $(cat "$T/up.out")"
ID=$(sed -n 's/^id=//p' "$T/up.out")
PUT=$(sed -n 's/^put=//p' "$T/up.out")

# A body that stops after the head: closed, and nothing taken.
rc=0
$DC resume "$RELAY" "$ID" "$PUT" "$T/slow.bin" --rate 0 >"$T/stall.out" 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -q '^status=closed' "$T/stall.out" ||
    fail "a put whose body never came was not closed: $(cat "$T/stall.out")"

# 30000 bytes at 12000 a second: 2.5 s, past the 1 s deadline, but steady.
$DC resume "$RELAY" "$ID" "$PUT" "$T/slow.bin" --rate 12000 >"$T/slow.out" 2>&1 ||
    fail "a slow but steady put was refused: $(cat "$T/slow.out")"
grep -q '^have=0$' "$T/slow.out" || fail "the stalled put left bytes: $(cat "$T/slow.out")"
grep -q '^link=' "$T/slow.out" || fail "no link after the slow upload: $(cat "$T/slow.out")"
TOKEN=$(sed -n 's/^link=//p' "$T/slow.out" | head -1)
$DC fetch -- "$RELAY" "$TOKEN" "$T/back.bin" >"$T/fetch.out" 2>&1 ||
    fail "no fetch: $(cat "$T/fetch.out")"
cmp -s "$T/slow.bin" "$T/back.bin" || fail "the slow upload came back different"
note "a 2.5 s put taken past a 1 s deadline; a stalled one closed"
