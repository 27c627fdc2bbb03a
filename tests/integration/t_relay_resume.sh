# Resume on one relay without a cluster (raw frames, tests/tools/resume.py):
# a master's WELCOME carries a ticket; a viewer's hint reaches the master
# in PEER_JOIN; a second connection with the ticket takes over from a live
# master connection (closed without a word, its viewer hears MASTER_GONE);
# a master gone without END leaves its number away (viewers hear AWAY) and
# resumes it with the same ticket; a wrong ticket, another number's
# ticket, a viewer with a ticket, a replay after END are refused; a flood
# of guesses hears RATE. After SIGTERM and a start with the same
# --state-dir the ticket still resumes its number. SIGUSR1 drains: the
# master hears RESTARTING, new masters SHUTDOWN, the relay stops at its
# --drain-deadline.
. "$(dirname "$0")/lib.sh"
rs() { python3 "$top/tests/tools/resume.py" "$@"; }
# in the background (rsbg ... &): $! is the client itself, to kill
rsbg() { exec python3 "$top/tests/tools/resume.py" "$@"; }
field() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" "$1" | head -1; }
port=$(free_port)
RELAY_PORT=$port start_relay r --drain-deadline 2

# a master, and a viewer with a resume hint
rsbg hello "$RELAY" master --hold-s 60 >"$T/m1.out" 2>&1 &
pids="$pids $!"
wait_for "$T/m1.out" '^welcome number=[0-9]+ slot=0 uid=[0-9]+ ticket=[0-9a-f]{64} ' 5
N=$(field "$T/m1.out" number)
TK=$(field "$T/m1.out" ticket)
UID1=$(field "$T/m1.out" uid)
rsbg hello "$RELAY" viewer --number "$N" --hint resume:0123456789abcdef --hold-s 60 \
    >"$T/v1.out" 2>&1 &
pids="$pids $!"
wait_for "$T/v1.out" '^welcome' 5
grep -q ticket= "$T/v1.out" && fail "a viewer got a ticket"
wait_for "$T/m1.out" '^peer_join slot=1 addr=127\.0\.0\.1:[0-9]+ hint=resume:0123456789abcdef$' 5

# a second connection with the ticket while the first is still connected
rsbg hello "$RELAY" master --number "$N" --ticket "$TK" --hold-s 60 >"$T/m2.out" 2>&1 &
M2=$!
pids="$pids $M2"
wait_for "$T/m2.out" "^welcome number=$N slot=0 uid=[0-9]+ ticket=$TK " 5
[ "$(field "$T/m2.out" uid)" != "$UID1" ] || fail "a resumed session kept its uid"
wait_for "$T/m1.out" '^closed' 5
grep -q '^error' "$T/m1.out" && fail "the replaced master connection got an ERROR"
wait_for "$T/v1.out" '^error code=11$' 5

# hostile resumes, each from its own address (the misses cost)
rs hello "$RELAY" master --number "$N" --ticket "$(printf '%064d' 0)" --from 127.0.0.2 \
    >"$T/wrong.out" || fail "wrong ticket: no answer"
grep -q '^error code=17$' "$T/wrong.out" || fail "wrong ticket: $(cat "$T/wrong.out")"
rsbg hello "$RELAY" master --from 127.0.0.3 --hold-s 60 >"$T/m3.out" 2>&1 &
pids="$pids $!"
wait_for "$T/m3.out" '^welcome' 5
rs hello "$RELAY" master --number "$N" --ticket "$(field "$T/m3.out" ticket)" --from 127.0.0.3 \
    >"$T/other.out"
grep -q '^error code=17$' "$T/other.out" || fail "another number's ticket: $(cat "$T/other.out")"
rs hello "$RELAY" viewer --number "$N" --ticket "$TK" --from 127.0.0.4 >"$T/vt.out"
grep -q '^error code=1$' "$T/vt.out" || fail "a viewer with a ticket: $(cat "$T/vt.out")"
rs flood "$RELAY" --number "$N" --count 20 --from 127.0.0.5 >"$T/flood.out" ||
	fail "resume flood: $(cat "$T/flood.out")"
note "resume flood: $(wc -w <"$T/flood.out") tries until RATE"

# the master goes without END: away; a viewer hears AWAY; the ticket resumes
kill "$M2"
wait "$M2" 2>/dev/null
wait_for "$T/r.log" "away number=$N" 5
rs hello "$RELAY" viewer --number "$N" --hint resume:0123456789abcdef >"$T/v2.out"
grep -q '^error code=16$' "$T/v2.out" || fail "viewer during the grace: $(cat "$T/v2.out")"
rs hello "$RELAY" master --number "$N" --ticket "$TK" --end >"$T/m4.out"
grep -q "^welcome number=$N .*ticket=$TK " "$T/m4.out" || fail "resume: $(cat "$T/m4.out")"
grep -q '^error code=10$' "$T/m4.out" || fail "END: $(cat "$T/m4.out")"
# after END the ticket is dead
rs hello "$RELAY" master --number "$N" --ticket "$TK" >"$T/m5.out"
grep -q '^error code=17$' "$T/m5.out" || fail "replay after END: $(cat "$T/m5.out")"

# a restart with the same state dir keeps what was held, with its ticket
rsbg hello "$RELAY" master --hold-s 60 >"$T/m6.out" 2>&1 &
pids="$pids $!"
wait_for "$T/m6.out" '^welcome' 5
N6=$(field "$T/m6.out" number)
TK6=$(field "$T/m6.out" ticket)
grep -q "^$N6 [0-9]* $(field "$T/m6.out" hash)\$" "$T/numbers" 2>/dev/null ||
	sleep 0.5      # saved within a tick
grep -q "^$N6 [0-9]* $(field "$T/m6.out" hash)\$" "$T/numbers" ||
	fail "the state file has no hash for $N6: $(cat "$T/numbers")"
grep -q "$TK6" "$T/numbers" && fail "the state file has a ticket"
kill -TERM "$RELAY_PID"
wait_exit "$RELAY_PID" 10
wait_for "$T/m6.out" '^restarting' 5
RELAY_PORT=$port start_relay r2 --drain-deadline 5
rsbg hello "$RELAY" master --number "$N6" --ticket "$TK6" --hold-s 60 >"$T/m7.out" 2>&1 &
pids="$pids $!"
wait_for "$T/m7.out" "^welcome number=$N6 .*ticket=$TK6 " 5

# drain without a cluster: RESTARTING, no new masters, stop at the deadline
kill -USR1 "$RELAY_PID"
wait_for "$T/m7.out" '^restarting' 5
rs hello "$RELAY" master >"$T/m8.out"
grep -q '^error code=12$' "$T/m8.out" || fail "new master while draining: $(cat "$T/m8.out")"
rs hello "$RELAY" master --number "$N6" --ticket "$TK6" >"$T/m9.out"
grep -q '^error code=12$' "$T/m9.out" || fail "resume while draining: $(cat "$T/m9.out")"
rs hello "$RELAY" viewer --number "$N6" --from 127.0.0.6 >"$T/v3.out"
grep -q '^error code=16$' "$T/v3.out" || fail "viewer while draining: $(cat "$T/v3.out")"
wait_exit "$RELAY_PID" 10
[ "$rc" = 0 ] || fail "drained relay exit $rc"
grep -Eq 'drain deadline: [0-9]+ numbers still held' "$T/r2.log" ||
	fail "no drain deadline in the log"
grep -q "^$N6 " "$T/numbers" || fail "the drained relay did not keep $N6"
