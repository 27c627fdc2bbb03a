# A malicious relay (tests/tools/hostile_relay) plays every viewer itself
# and guesses the host's code. Whatever it does, each guess it can check
# costs the host a failure: re-sending PEER_JOIN for one slot, parallel
# joins, handshakes held open. Three failures retire a code, ten pause new
# viewers until the host asks for a new code, and the relay learns nothing.
. "$(dirname "$0")/lib.sh"

# start_hostile NAME MODE ROUNDS [ARGS...]: sets EVIL (its address) and EVIL_PID.
start_hostile() {
	_n=$1; _m=$2; _r=$3; shift 3
	"$B/tools/hostile_relay" --mode "$_m" --rounds "$_r" "$@" >"$T/$_n.out" 2>"$T/$_n.log" &
	EVIL_PID=$!
	pids="$pids $EVIL_PID"
	wait_for "$T/$_n.out" '^listening=' 10
	EVIL=$(sed -n 's/^listening=//p' "$T/$_n.out" | head -1)
}
summary() { grep '^replies=' "$T/$1.out"; }
field() { summary "$1" | sed -n "s/.*$2=\([0-9]*\).*/\1/p"; }

# 1. PEER_JOIN again and again for slot 1, 30 times, never confirming.
start_hostile evil rejoin 30 --linger 30
start_master host "$EVIL" --transport tcp --handshake-timeout 5
wait_for "$T/evil.out" '^replies=' 60
[ "$(field evil replies)" = 10 ] || fail "rejoin: $(summary evil), want 10 replies (the budget)"
[ "$(field evil learned)" = 0 ] || fail "rejoin: the relay learned the code"
[ "$(field evil paused)" = 20 ] || fail "rejoin: $(summary evil), want the other 20 refused"
[ "$(count "$T/host.out" '^code-failed')" = 10 ] || fail "rejoin: failures not all counted"
# Retired after 3, 6 and 9 failures: four codes in all, then the pause.
[ "$(count "$T/host.out" '^session=')" = 4 ] || fail "rejoin: codes not retired every 3 failures"
grep -q '^paused failures=10' "$T/host.out" || fail "rejoin: no pause after 10 failures"
note "rejoin x30: $(summary evil); master: $(count "$T/host.out" '^code-failed') failures, 4 codes, then paused"
# The host asks for a new code: it is offered again.
master_cmd host newcode
wait_for "$T/host.out" '^session=54321 code=' 10
[ "$(count "$T/host.out" '^session=')" = 5 ] || fail "newcode: no new code after the pause"
kill "$MASTER_PID"; wait "$MASTER_PID" 2>/dev/null || true

# 2. Sixteen parallel joins, all answered with guesses at once, held open.
start_hostile par parallel 16
start_master host2 "$EVIL" --transport tcp --handshake-timeout 2
wait_exit "$EVIL_PID" 60
[ "$(field par replies)" = 3 ] || fail "parallel: $(summary par), want 3 replies (one code's worth)"
[ "$(field par busy)" = 13 ] || fail "parallel: $(summary par), want 13 refused as busy"
[ "$(field par learned)" = 0 ] || fail "parallel: the relay learned the code"
# The first held one to reach the deadline fails as the third guess at
# the code: the code is retired once, which ends the other two.
[ "$(count "$T/host2.out" '^code-failed')" = 3 ] || fail "parallel: not 3 failures"
[ "$(count "$T/host2.out" '^timeout slot=.* stage=handshake')" -ge 1 ] ||
    fail "parallel: the held handshakes did not end at the deadline"
[ "$(field par changed)" = 2 ] || fail "parallel: $(summary par), want 2 ended by the new code"
[ "$(count "$T/host2.out" '^session=')" = 2 ] || fail "parallel: the code was not retired once"
note "16 parallel, held: $(summary par); the deadline ended one, the new code the others"
kill "$MASTER_PID"; wait "$MASTER_PID" 2>/dev/null || true

# 3. Positive control: given the right code, the same tool recognises it
# (so "learned=0" above means something).
start_hostile ctl rejoin 1 --code-file "$T/code"
start_master host3 "$EVIL" --transport tcp
echo "$CODE" >"$T/code"
wait_exit "$EVIL_PID" 30
[ "$(field ctl learned)" = 1 ] || fail "control: $(summary ctl), the right code was not recognised"
note "control: with the right code the tool says learned=1"

# 4. Through an honest relay, strangers who know the session number guess
# and hold their handshakes open: two held guesses do not keep the real
# supporter out, and a code never gets a fourth answer.
start_relay relay --joins-per-min 600
start_master host4 "$RELAY" --auto-accept --handshake-timeout 30
"$B/tools/hostile_relay" --mode viewers --relay "$RELAY" --session "$SESSION" \
    --rounds 2 --linger 20 >"$T/strangers.out" 2>"$T/strangers.log" &
pids="$pids $!"
wait_for "$T/strangers.out" '^stranger 2: answered, holding' 15
start_viewer supporter "$RELAY" "$SESSION" "$CODE" --frames 3
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "strangers holding two guesses kept the supporter out (exit $rc)"
# The supporter's success retired the code, which ended the two held ones.
wait_for "$T/host4.out" '^code-failed.* total=2' 10
note "two held guesses through the relay: the supporter still got in, the strangers' guesses counted"
"$B/tools/hostile_relay" --mode viewers --relay "$RELAY" --session "$SESSION" \
    --rounds 4 --linger 20 >"$T/strangers2.out" 2>"$T/strangers2.log" &
pids="$pids $!"
wait_for "$T/strangers2.out" '^stranger 4: ' 15
[ "$(count "$T/strangers2.out" 'answered, holding')" = 3 ] ||
    fail "a code got other than 3 answers: $(cat "$T/strangers2.out")"
grep -q '^stranger 4: the host is checking another' "$T/strangers2.out" ||
    fail "the fourth guess at one code was not refused as busy"
note "four strangers at one code: 3 answered, the fourth refused unanswered"
