# Three relays and one Redis as one service, with the real master and real
# viewers (relay-level details: t_cluster_resume; a relay killed:
# t_cluster_failover):
#  1. the master is on relay 1, viewers enter through relays 2 and 3
#     (REDIRECT to relay 1) and both get frames;
#  2. relay 1 is drained (SIGUSR1) with the session on it: the master moves
#     on with its number, both viewers come back by themselves (no code, no
#     question), frames flow again, and relay 1 exits once empty;
#  3. the host ends the session: its number is refused on every relay.
# (Redis stopping for 10 s under a live session: t_cluster_numbers.)
. "$(dirname "$0")/lib.sh"
start_redis redis
for i in 1 2 3; do
	p=$(free_port)
	RELAY_PORT=$p start_relay "r$i" --cluster "redis://$REDIS/0" --advertise "127.0.0.1:$p"
	eval "R$i=\$RELAY P$i=\$RELAY_PID"
done
for i in 1 2 3; do wait_for "$T/r$i.log" 'cluster directory up' 10; done
start_master host "$R1,$R2,$R3" --auto-accept
first=$SESSION
grep -q "welcome .* master number=$first" "$T/r1.log" || fail "the master is not on relay 1"
start_viewer a "$R2" "$SESSION" "$CODE"
A=$VIEWER_PID
wait_for "$T/a.out" '^allowed ' 20
until [ "$(latest_code host)" != "$CODE" ]; do sleep 0.05; done
start_viewer b "$R3" "$SESSION" "$(latest_code host)"
B_PID=$VIEWER_PID
wait_for "$T/b.out" '^allowed ' 20
until [ "$(frames a)" -gt 3 ] && [ "$(frames b)" -gt 3 ]; do sleep 0.05; done
grep -q "redirect .* viewer number=$first to=$R1\$" "$T/r2.log" ||
	fail "relay 2 did not send viewer a to relay 1"
grep -q "redirect .* viewer number=$first to=$R1\$" "$T/r3.log" ||
	fail "relay 3 did not send viewer b to relay 1"
note "1: viewers through relays 2 and 3 on relay 1's session: $(frames a) and $(frames b) frames"

# 2. Drain relay 1.
kill -USR1 "$P1"
drained=$(date +%s%N)
wait_for "$T/host.out" "^resumed session=$first" 30
wait_for "$T/a.out" "^resumed session=$first" 30
wait_for "$T/b.out" "^resumed session=$first" 30
fa=$(frames a); fb=$(frames b)
until [ "$(frames a)" -gt $((fa + 3)) ] && [ "$(frames b)" -gt $((fb + 3)) ]; do
	kill -0 "$A" 2>/dev/null && kill -0 "$B_PID" 2>/dev/null || fail "a viewer gave up"
	sleep 0.05
done
back=$(date +%s%N)
wait_exit "$P1" 30
grep -q "(resumed)" "$T/r2.log" "$T/r3.log" || fail "no other relay took the session"
[ "$(count "$T/host.out" '^allowed slot=')" = 2 ] || fail "the host allowed someone again"
grep -q '^closed ' "$T/a.out" "$T/b.out" && fail "a viewer closed during the drain"
note "2: drain to frames again on both viewers: $(( (back - drained) / 1000000 )) ms; relay 1 exited $rc"

# 3. The end: the number is refused everywhere.
master_cmd host end
wait_exit "$A" 20
[ "$rc" = 0 ] || fail "viewer a: exit $rc after the host ended, want 0"
for r in "$R2" "$R3"; do
	"$B/fernsicht-viewer" --relay "$r" "$first" --code 000000 --headless --name late \
	    >"$T/after.out" 2>"$T/after.log"
	rc=$?
	[ "$rc" = 6 ] || fail "viewer for the ended session at $r: exit $rc, want 6 (no such session)"
done
note "3: the ended number $first is refused on relays 2 and 3"
