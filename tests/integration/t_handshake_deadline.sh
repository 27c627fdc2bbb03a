# A relay that holds or drops handshake messages, in either direction,
# never leaves an end waiting: both give up within their deadlines with a
# clear reason, a dropped answer still counts as a failed guess, and the
# host's answer has its own, longer deadline on both sides.
. "$(dirname "$0")/lib.sh"
start_relay relay --joins-per-min 600
start_master host "$RELAY" --handshake-timeout 2 --consent-timeout 3
n=0
# dir:at:what  (at: the N-th handshake message that way; 0: all of them)
for c in down:1:OFFER up:1:INIT down:2:REPLY up:2:CONFIRM; do
	dir=${c%%:*}; rest=${c#*:}; at=${rest%%:*}; what=${rest#*:}
	n=$((n + 1))
	start_tamper "p$n" "$RELAY" --mode hs-drop --dir "$dir" --conn 1 --at "$at"
	before=$(count "$T/host.out" '^code-failed')
	start_viewer "v$n" "$PROXY" "$SESSION" "$(latest_code host)" \
	    --handshake-timeout 4 --consent-timeout 5
	wait_exit "$VIEWER_PID" 20
	[ "$rc" = 2 ] || fail "$what dropped: viewer exit $rc, want 2 (gave up)"
	why=$(sed -n 's/^closed reason=//p' "$T/v$n.out" | head -1)
	echo "$why" | grep -Eqi 'took too long|did not finish' ||
	    fail "$what dropped: no clear reason ($why)"
	grep -q 'tamper: hs-drop' "$T/p$n.log" || fail "$what: the proxy never struck"
	wait_for "$T/host.out" "^timeout slot=.* stage=handshake" 10
	[ "$(count "$T/host.out" '^timeout slot=.* stage=handshake')" = "$n" ] ||
	    fail "$what dropped: the master did not end the handshake by its deadline"
	after=$(count "$T/host.out" '^code-failed')
	case $what in
	REPLY|CONFIRM) want=$((before + 1));;   # the master had answered
	*) want=$before;;                                 # no answer, no guess
	esac
	[ "$after" = "$want" ] || fail "$what dropped: $after failed guesses, want $want"
	echo "$what dropped -> exit $rc: $why" >>"$T/summary"
done
# Nothing from the host arrives at all (its HS_ABORT neither): the
# viewer's own deadline, shorter here than the master's, ends the wait.
start_tamper mute "$RELAY" --mode hs-drop --dir down --conn 1 --at 0
start_viewer deaf "$PROXY" "$SESSION" "$(latest_code host)" --handshake-timeout 1
wait_exit "$VIEWER_PID" 20
[ "$rc" = 2 ] || fail "host mute: viewer exit $rc, want 2"
grep -q 'did not finish within 1 s' "$T/deaf.out" || fail "host mute: no clear reason"
echo "host mute -> viewer's own deadline, exit $rc" >>"$T/summary"
# Two failures so far: the code stays (three retire it).
[ "$(count "$T/host.out" '^session=')" = 1 ] || fail "code changed after two failures"

# The host never answers: the master says no after its consent deadline...
start_viewer slow "$RELAY" "$SESSION" "$(latest_code host)" --consent-timeout 30
wait_exit "$VIEWER_PID" 20
[ "$rc" = 4 ] || fail "unanswered prompt: viewer exit $rc, want 4"
grep -q 'host did not answer' "$T/slow.out" || fail "unanswered prompt: no clear reason"
grep -q '^waiting for the host to allow this viewer (up to 30 s; check code' "$T/slow.out" ||
    fail "the viewer did not say it waits for the host, with the check code"
wait_for "$T/host.out" '^timeout slot=.* stage=consent' 5
echo "host silent -> master's deadline, exit $rc" >>"$T/summary"
# ...and a viewer with a shorter patience gives up by itself.
stop_master() { kill "$MASTER_PID"; wait "$MASTER_PID" 2>/dev/null || true; }
stop_master
start_master host2 "$RELAY" --consent-timeout 60
start_viewer impatient "$RELAY" "$SESSION" "$CODE" --consent-timeout 2
wait_exit "$VIEWER_PID" 20
[ "$rc" = 4 ] || fail "impatient viewer: exit $rc, want 4"
grep -q 'did not answer within 2 s' "$T/impatient.out" || fail "impatient viewer: no reason"
echo "host silent -> viewer's own deadline, exit $rc" >>"$T/summary"
sed 's/^/  /' "$T/summary"
