# The real programs across two relays sharing one Redis: a viewer that
# asks relay 2 for a session on relay 1 follows the REDIRECT there; relay 1
# is killed (kill -9) and the master, given both relays, takes its number
# back on relay 2 with its ticket, and the allowed viewer comes back by
# itself to the same number, without the code or a new question.
. "$(dirname "$0")/lib.sh"
start_redis redis
for i in 1 2; do
	p=$(free_port)
	RELAY_PORT=$p start_relay "r$i" --cluster "redis://$REDIS/0" --advertise "127.0.0.1:$p"
	eval "R$i=\$RELAY P$i=\$RELAY_PID"
done
for i in 1 2; do wait_for "$T/r$i.log" 'cluster directory up' 10; done
start_master host "$R1,$R2" --auto-accept
first=$SESSION
grep -q "welcome .* master number=$first" "$T/r1.log" || fail "the master is not on relay 1"
start_viewer v "$R2" "$SESSION" "$CODE" --quiet-frames
wait_for "$T/v.out" '^allowed ' 20
grep -q "redirect .* viewer number=$first to=$R1\$" "$T/r2.log" ||
	fail "relay 2 did not send the viewer to relay 1"
kill -9 "$P1"
killed=$(date +%s%N)
wait_for "$T/host.out" "^resumed session=$first" 30
wait_for "$T/v.out" "^resumed session=$first" 30
back=$(date +%s%N)
grep -q "welcome .* master number=$first (resumed)" "$T/r2.log" ||
	fail "the master did not resume on relay 2"
grep '^session=' "$T/host.out" | grep -qv "^session=$first " &&
	fail "the master came back with a new number"
[ "$(count "$T/host.out" '^consent slot=')" = 0 ] || fail "the host was asked"
note "relay 1 killed to viewer back on relay 2: $(( (back - killed) / 1000000 )) ms"
