# Resume, REDIRECT and drain across three relays sharing one Redis (raw
# frames, tests/tools/resume.py). A viewer asking relay 2 for a number
# relay 1 holds is sent to relay 1's advertised address; relay 1 dies
# (kill -9) and the master resumes its number with its ticket on relay 2;
# of two resumes of one number at once on two relays exactly one wins,
# and once that session ended its ticket resumes nothing anywhere. Relay 3
# drains (SIGUSR1): its master hears RESTARTING, a new master is sent to
# another relay, the master resumes on relay 2 and relay 3 stops once it
# holds nothing. With Redis down relay 2 still resumes a number it holds
# away itself, refuses new sessions and cross-relay joins with DIRECTORY,
# and gives Redis the number's ticket hash back when it returns.
. "$(dirname "$0")/lib.sh"
command -v redis-cli >/dev/null || fail "redis-cli is not installed (make deps)"
rs() { python3 "$top/tests/tools/resume.py" "$@"; }
rsbg() { exec python3 "$top/tests/tools/resume.py" "$@"; }
field() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" "$1" | head -1; }
start_redis redis
for i in 1 2 3; do
	p=$(free_port)
	RELAY_PORT=$p start_relay "r$i" --cluster "redis://$REDIS/0" --advertise "127.0.0.1:$p" \
	    --drain-deadline 20
	eval "R$i=\$RELAY P$i=\$RELAY_PID"
done
for i in 1 2 3; do wait_for "$T/r$i.log" 'cluster directory up' 10; done

# a master on relay 1; a viewer asking relay 2 is sent there
rsbg hello "$R1" master --hold-s 60 >"$T/m1.out" 2>&1 &
pids="$pids $!"
wait_for "$T/m1.out" '^welcome number=[0-9]+ slot=0 uid=[0-9]+ ticket=[0-9a-f]{64} ' 5
N=$(field "$T/m1.out" number)
TK=$(field "$T/m1.out" ticket)
HASH=$(field "$T/m1.out" hash)
_i=0
until [ "$(rcli GET "fernsicht:ticket:$N")" = "$HASH" ]; do
	_i=$((_i + 1)); [ $_i -lt 40 ] || fail "no ticket hash for $N in Redis"; sleep 0.05
done
rs hello "$R2" viewer --number "$N" >"$T/v1.out"
grep -q "^redirect to=$R1\$" "$T/v1.out" || fail "viewer on relay 2: $(cat "$T/v1.out")"

# relay 1 dies; the master resumes on relay 2
kill -9 "$P1"
wait "$P1" 2>/dev/null
wait_for "$T/m1.out" '^closed' 5
rsbg hello "$R2" master --number "$N" --ticket "$TK" --hold-s 60 >"$T/m2.out" 2>&1 &
M2=$!
pids="$pids $M2"
wait_for "$T/m2.out" "^welcome number=$N slot=0 uid=[0-9]+ ticket=$TK " 5
rcli GET "fernsicht:num:$N" | grep -q "^$R2 " || fail "Redis: $N not relay 2's"
rs hello "$R3" viewer --number "$N" --from 127.0.0.2 >"$T/v2.out"
grep -q "^redirect to=$R2\$" "$T/v2.out" || fail "viewer on relay 3: $(cat "$T/v2.out")"
rs hello "$R2" viewer --number "$N" --hint resume:00112233aabbccdd --from 127.0.0.2 \
    >"$T/v3.out"
grep -q '^welcome' "$T/v3.out" || fail "viewer on relay 2: $(cat "$T/v3.out")"
wait_for "$T/m2.out" '^peer_join slot=1 addr=127\.0\.0\.2:[0-9]+ hint=resume:00112233aabbccdd$' 5

# the master goes (away on relay 2); two resumes at once, on relays 3
# and 2: one WELCOME, then END; afterwards the ticket is dead everywhere
kill "$M2"
wait "$M2" 2>/dev/null
wait_for "$T/r2.log" "away number=$N" 5
rs hello "$R2" viewer --number "$N" --from 127.0.0.3 >"$T/v4.out"
grep -q '^error code=16$' "$T/v4.out" || fail "viewer during the grace: $(cat "$T/v4.out")"
# (relay 2's resume a moment ago still locks the number against others: gone)
rcli DEL "fernsicht:resumed:$N" >/dev/null
rs race "$R3" "$R2" --number "$N" --ticket "$TK" --end >"$T/race.out" ||
	fail "race: $(cat "$T/race.out")"
grep -q '^[AB]: error code=16$' "$T/race.out" || fail "race loser: $(cat "$T/race.out")"
grep -q '^ended: error code=10$' "$T/race.out" || fail "race winner's END: $(cat "$T/race.out")"
note "race: $(tr '\n' ' ' <"$T/race.out")"
for r in "$R2" "$R3"; do
	rs hello "$r" master --number "$N" --ticket "$TK" --from 127.0.0.4 >"$T/replay.out"
	grep -q '^error code=17$' "$T/replay.out" || fail "replay after END: $(cat "$T/replay.out")"
done
[ "$(rcli EXISTS "fernsicht:ticket:$N")" = 0 ] || fail "ticket $N outlived its END"

# relay 3 drains
rsbg hello "$R3" master --hold-s 60 >"$T/m3.out" 2>&1 &
pids="$pids $!"
wait_for "$T/m3.out" '^welcome' 5
N3=$(field "$T/m3.out" number)
TK3=$(field "$T/m3.out" ticket)
sleep 0.3       # its ticket into Redis
kill -USR1 "$P3"
wait_for "$T/m3.out" '^restarting' 5
rs hello "$R3" master >"$T/m4.out"
grep -q "^redirect to=\($R1\|$R2\)\$" "$T/m4.out" || fail "new master on a draining relay: \
$(cat "$T/m4.out")"
[ "$(rcli GET "fernsicht:relay:127.0.0.1:${R3##*:}" | sed 's/.* //')" = draining ] ||
	fail "relay 3's liveness record: $(rcli GET "fernsicht:relay:127.0.0.1:${R3##*:}")"
rs hello "$R2" master --number "$N3" --ticket "$TK3" --hold-s 60 >"$T/m5.out" 2>&1 &
pids="$pids $!"
wait_for "$T/m5.out" "^welcome number=$N3 " 5
wait_exit "$P3" 8
[ "$rc" = 0 ] || fail "drained relay 3: exit $rc"
grep -q 'drained: no number held here any more' "$T/r3.log" || fail "relay 3 did not drain"

# Redis down: relay 2 resumes its own away number, refuses the rest
rsbg hello "$R2" master --from 127.0.0.5 --hold-s 60 >"$T/m6.out" 2>&1 &
M6=$!
pids="$pids $M6"
wait_for "$T/m6.out" '^welcome' 5
N6=$(field "$T/m6.out" number)
TK6=$(field "$T/m6.out" ticket)
H6=$(field "$T/m6.out" hash)
kill "$M6"
wait "$M6" 2>/dev/null
wait_for "$T/r2.log" "away number=$N6" 5
kill "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null
wait_for "$T/r2.log" 'cluster directory unreachable' 10
rs hello "$R2" master --number "$N6" --ticket "$TK6" --from 127.0.0.5 --hold-s 60 \
    >"$T/m7.out" 2>&1 &
pids="$pids $!"
wait_for "$T/m7.out" "^welcome number=$N6 " 5
rs hello "$R2" master --from 127.0.0.6 >"$T/m8.out"
grep -q '^error code=15$' "$T/m8.out" || fail "new master, Redis down: $(cat "$T/m8.out")"
rs hello "$R2" viewer --number "$N3" --from 127.0.0.6 >"$T/v5.out"
grep -q '^welcome' "$T/v5.out" || fail "viewer of a live session, Redis down: $(cat "$T/v5.out")"
x=$((N6 == 99999 ? 10000 : N6 + 1))
rs hello "$R2" viewer --number "$x" --from 127.0.0.7 >"$T/v6.out"
grep -q '^error code=15$' "$T/v6.out" || fail "viewer elsewhere, Redis down: $(cat "$T/v6.out")"
start_redis redis "$REDIS_PORT"
_i=0
until [ "$(rcli GET "fernsicht:ticket:$N6")" = "$H6" ]; do
	_i=$((_i + 1)); [ $_i -lt 300 ] || fail "relay 2 did not give Redis $N6's ticket back"
	sleep 0.05
done
rcli GET "fernsicht:num:$N6" | grep -q "^$R2 " || fail "Redis: $N6 not relay 2's after the outage"
