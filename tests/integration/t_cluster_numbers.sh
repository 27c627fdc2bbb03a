# Three relays share one Redis as their session directory (--cluster):
# many masters at once get numbers, none handed out twice across the
# relays; the numbers of ended sessions are not handed out again by any
# relay during their cool-down; with Redis stopped for 10 s a live session
# keeps its frames, a new master hears "session directory unavailable",
# and once Redis is back (empty) the relays hold their numbers again and
# new sessions work. A relay that stops takes its liveness record along.
. "$(dirname "$0")/lib.sh"
command -v redis-cli >/dev/null || fail "redis-cli is not installed (make deps)"
rc=0; "$B/fernsicht-relay" --config /dev/null --listen 127.0.0.1:0 --advertise r1 \
    >/dev/null 2>"$T/bad1.log" || rc=$?
[ "$rc" = 1 ] && grep -q 'advertise needs --cluster' "$T/bad1.log" ||
	fail "--advertise without --cluster: exit $rc"
rc=0; "$B/fernsicht-relay" --config /dev/null --listen 127.0.0.1:0 --cluster 127.0.0.1:6379 \
    >/dev/null 2>"$T/bad2.log" || rc=$?
[ "$rc" = 1 ] && grep -q 'cluster wants redis://\[\[USER\]:PASSWORD@\]HOST' "$T/bad2.log" ||
	fail "--cluster without redis://: exit $rc"
start_redis redis
for i in 1 2 3; do
	start_relay "r$i" --cluster "redis://$REDIS/0" --advertise "relay$i"
	eval "R$i=\$RELAY P$i=\$RELAY_PID"
	wait_for "$T/r$i.log" 'cluster directory up' 10
done
[ "$(rcli --scan --pattern 'fernsicht:relay:*' | wc -l)" = 3 ] ||
	fail "not three liveness records: $(rcli --scan --pattern 'fernsicht:relay:*')"
rcli GET "fernsicht:relay:relay1:${R1##*:}" | grep -q "^relay1:${R1##*:} [0-9a-f]\{16\}$" ||
	fail "relay1's liveness record: $(rcli GET "fernsicht:relay:relay1:${R1##*:}")"

# 2,000 masters at once, twice: round 1's sessions all end before round 2,
# and with the cool-down shared no round-2 number is one of round 1's
# (without it, about 44 would be, two in three on another relay than
# before).
n=${CLUSTER_MASTERS:-2000}
python3 "$top/tests/tools/masters.py" --relays "$R1,$R2,$R3" --count "$n" --rounds 2 \
    --out "$T/numbers.txt" >"$T/masters.out" 2>&1 || fail "masters: $(cat "$T/masters.out")"
grep -q "^total ok=$((2 * n)) failed=0 dup=0 reused=0$" "$T/masters.out" ||
	fail "masters: $(cat "$T/masters.out")"
for r in "$R1" "$R2" "$R3"; do
	[ "$(grep -c " $r " "$T/numbers.txt")" -gt 0 ] || fail "relay $r handed out nothing"
done
note "$(grep '^round=' "$T/masters.out" | tr '\n' ' ')"
num=$(awk '$1 == 1 { print $3; exit }' "$T/numbers.txt")
ttl=$(rcli TTL "fernsicht:retired:$num")
[ "$ttl" -gt 86000 ] || fail "number $num: retired key TTL $ttl"
[ "$(rcli EXISTS "fernsicht:num:$num")" = 0 ] || fail "number $num still held after its end"

# A live session on relay 1 through a Redis outage.
start_master host "$R1" --auto-accept
first=$SESSION
start_viewer v "$R1" "$SESSION" "$CODE"
wait_for "$T/v.out" '^frame ' 20
rcli GET "fernsicht:num:$first" | grep -q "^relay1:" || fail "session $first not held by relay1"
kill "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null
down=$(date +%s)
before=$(frames v)
for i in 1 2 3; do wait_for "$T/r$i.log" 'cluster directory unreachable' 10; done
"$B/fernsicht-master" --relay "$R2" --headless --source test-pattern --name late --once \
    >"$T/late.out" 2>"$T/late.log" &
late=$!
pids="$pids $late"
wait_exit "$late" 20
[ "$rc" = 2 ] || fail "a new master while Redis is down: exit $rc, want 2"
grep -q 'session directory unavailable, try again' "$T/late.log" ||
	fail "a new master while Redis is down was not told why"
while [ $(( $(date +%s) - down )) -lt 10 ]; do sleep 0.5; done
after=$(frames v)
[ "$after" -gt $((before + 5)) ] || fail "frames stopped while Redis was down ($before -> $after)"
note "Redis down 10 s: the live session went on ($before -> $after frames)"

# Redis comes back empty: relay 1 claims its live number again, and new
# sessions work on every relay.
start_redis redis "$REDIS_PORT"
for i in 1 2 3; do
	_i=0
	until [ "$(count "$T/r$i.log" 'cluster directory up')" -ge 2 ]; do
		_i=$((_i + 1)); [ $_i -lt 400 ] || fail "relay $i did not reconnect"; sleep 0.05
	done
done
_i=0
until rcli GET "fernsicht:num:$first" | grep -q "^relay1:"; do
	_i=$((_i + 1)); [ $_i -lt 200 ] || fail "relay1 did not claim $first again"; sleep 0.05
done
python3 "$top/tests/tools/masters.py" --relays "$R1,$R2,$R3" --count 30 --retry-s 10 \
    >"$T/masters2.out" 2>&1 || fail "after Redis came back: $(cat "$T/masters2.out")"
start_master host2 "$R3"
[ "$SESSION" != "$first" ] || fail "a second session got the live number $first"
more=$(frames v)
wait_for_more() {
	_i=0
	until [ "$(frames v)" -gt "$more" ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "no frames after Redis came back"
		sleep 0.05
	done
}
wait_for_more

# A relay that stops says so: its liveness record goes with it.
kill -TERM "$P2"
wait_exit "$P2" 10
[ "$(rcli EXISTS "fernsicht:relay:relay2:${R2##*:}")" = 0 ] ||
	fail "relay2's liveness record outlived it"
