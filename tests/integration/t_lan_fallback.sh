# A viewer that moved to the host's LAN and loses that connection comes
# back through the relay (PROTOCOL.md 3.5, 6): the host keeps its place as
# for a relayed viewer, takes it back over the resume secret of the direct
# handshake (which never crossed the relay) with the same rights and no
# second question, and the screen goes on through the relay. It does not
# move to the LAN again in that session (no back and forth on a path that
# just failed).
#   1. The direct connection is reset (ss -K: both ends see it go at once).
#      Stopped by SIGTERM afterwards, the viewer says goodbye: gone, not
#      kept as coming back.
#   2. The relay died and came back without its state, so the host has a
#      new number: a direct viewer that moved knows only the old one, and
#      the host no longer keeps its place when its direct connection goes
#      (it would come back to nothing, or to another host given that
#      number meanwhile).
. "$(dirname "$0")/lib.sh"
command -v ss >/dev/null || fail "ss (iproute2) is missing"

# 1. Reset.
start_relay relay
mkfifo "$T/host.in"
"$B/fernsicht-master" --relay "$RELAY" --lan 127.0.0.1:0 --headless --source test-pattern \
    --fps 10 --name host <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
pids="$pids $!"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^lan=' 10
wait_for "$T/host.out" '^session=' 10
LAN=$(sed -n 's/^lan=//p' "$T/host.out")
SESSION=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/session=\([0-9]*\) .*/\1/')
start_viewer near "$RELAY" "$SESSION" "$(latest_code host)"
PN=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=1 ' 20
master_cmd host y
wait_for "$T/near.out" "^direct: connected directly to $LAN" 20
wait_for "$T/host.out" '^direct slot=[0-9]+ replaces slot=1 ' 10
DSLOT=$(sed -n 's/^direct slot=\([0-9]*\) replaces.*/\1/p' "$T/host.out" | tail -1)
wait_for "$T/near.out" '^frame ' 10
# The viewer's drop identity (the host's file drops include it) moves too.
wait_for "$T/host.out" "^drop-identity slot=$DSLOT\$" 10
ss -K "( sport = :${LAN##*:} or dport = :${LAN##*:} )" >/dev/null 2>&1
wait_for "$T/near.out" '^reconnecting session=' 10 ||
    fail "the viewer did not try to come back after the reset"
wait_for "$T/host.out" "^away slot=$DSLOT " 10
wait_for "$T/host.out" "^resumed slot=[0-9]+ was=$DSLOT " 20
wait_for "$T/near.out" '^resumed session=' 10
grep "^resumed slot=" "$T/host.out" | grep -q 'rights=control,clipboard,files' ||
    fail "the viewer came back with other rights: $(grep '^resumed slot=' "$T/host.out")"
[ "$(count "$T/host.out" '^consent slot=')" = 1 ] || fail "the host was asked again"
RSLOT=$(sed -n "s/^resumed slot=\([0-9]*\) was=$DSLOT .*/\1/p" "$T/host.out" | tail -1)
wait_for "$T/host.out" "^drop-identity slot=$RSLOT\$" 10
more_frames near 10 "no frames through the relay after coming back"
# Through the relay now, and it stays there.
grep -Eq 'role=viewer number=[0-9]+ name="resume:' "$T/relay.log" ||
    fail "the relay saw no viewer coming back: $(tail -3 "$T/relay.log")"
sleep 1
[ "$(count "$T/near.out" '^direct: connected')" = 1 ] ||
    fail "the viewer moved to the LAN again"
note "1. reset: $(grep '^resumed slot=' "$T/host.out" | tail -1)"
# Stopped (SIGTERM), it says goodbye: gone, not kept as coming back.
kill "$PN"
wait_for "$T/host.out" "^bye slot=$RSLOT " 10
wait_exit "$PN" 10
[ "$rc" = 0 ] || fail "the stopped viewer: exit $rc"
grep -q '^closed reason="stopped"' "$T/near.out" || fail "the stopped viewer did not say so"
[ "$(count "$T/host.out" '^away slot=[0-9]+ name="near"')" = 1 ] ||
    fail "the stopped viewer was kept as away: $(grep '^away ' "$T/host.out")"

# 2. A new number.
start_viewer second "$RELAY" "$SESSION" "$(latest_code host)"
P2=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=[0-9]+ name="second"' 20
master_cmd host y
wait_for "$T/second.out" "^direct: connected directly to $LAN" 20
DSLOT2=$(sed -n 's/^direct slot=\([0-9]*\) replaces.*/\1/p' "$T/host.out" | tail -1)
port=${RELAY##*:}
kill -9 "$RELAY_PID"
mkdir "$T/fresh"
RELAY_PORT=$port start_relay relay2 --state-dir "$T/fresh"
wait_for "$T/host.out" "^resume-refused session=$SESSION" 30
wait_for "$T/host.out" '^session=' 10
grep '^session=' "$T/host.out" | tail -1 | grep -q "^session=$SESSION " &&
    fail "the host kept its number on a relay without its state"
ss -K "( sport = :${LAN##*:} or dport = :${LAN##*:} )" >/dev/null 2>&1
wait_for "$T/host.out" "^left slot=$DSLOT2 " 10
sleep 0.5
grep -q "^away slot=$DSLOT2 name=\"second\"" "$T/host.out" &&
    fail "the host keeps a place under its old number for the direct viewer"
kill "$P2"
note "2. new number: the direct viewer's loss is final ($(grep "^left slot=$DSLOT2 " \
    "$T/host.out" | tail -1))"
