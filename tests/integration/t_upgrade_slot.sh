# A direct-connection upgrade names the relayed slot it comes from; the
# handshake over that viewer's token proves who it is. A viewer the host
# allowed to view only starts an upgrade, holds its confirmation, leaves
# the relay and walks the relay's slot rotation round until the next
# viewer, whom the host allows everything, lands in its old slot. Its
# confirmation must not then take over the newcomer's rights, nor send
# the newcomer away as "moved".
. "$(dirname "$0")/lib.sh"
start_relay relay --joins-per-min 600
start_master host "$RELAY" --lan 127.0.0.1:0
wait_for "$T/host.out" '^lan=' 10
lan=$(sed -n 's/^lan=//p' "$T/host.out" | head -1)
"$B/tools/upgrade_peer" --relay "$RELAY" --session "$SESSION" --code "$CODE" --lan "$lan" \
    --fill 15 --continue-when "$T/go" >"$T/up.out" 2>"$T/up.log" &
up=$!
pids="$pids $up"
wait_for "$T/host.out" '^consent slot=1 name="upgrader"' 20
master_cmd host v
wait_for "$T/up.out" '^filled 15' 20
start_viewer b "$RELAY" "$SESSION" "$(latest_code host)" --frames 100000 --no-lan
wait_for "$T/host.out" '^consent slot=[0-9]+ name="b"' 20
slot=$(sed -n 's/^consent slot=\([0-9]*\) name="b".*/\1/p' "$T/host.out")
master_cmd host y
wait_for "$T/b.out" '^allowed' 10
touch "$T/go"
wait_exit "$up" 20
[ "$rc" = 0 ] || fail "upgrade_peer: exit $rc: $(tail -1 "$T/up.log")"
grep -q '^allowed rights=0x01 slot=1' "$T/up.out" || fail "the upgrader was not view-only in slot 1"
[ "$slot" = 1 ] || fail "the newcomer got slot $slot, not the upgrader's old one (no test)"
grep -q '^direct allowed' "$T/up.out" &&
    fail "the upgrader took slot $slot's rights: $(grep '^direct' "$T/up.out")"
grep -q "^direct slot=[0-9]* replaces slot=$slot" "$T/host.out" &&
    fail "the newcomer was sent away as moved"
kill -0 "$VIEWER_PID" 2>/dev/null || fail "the newcomer's viewer ended: $(tail -1 "$T/b.out")"
note "refused: $(grep '^direct' "$T/up.out"), newcomer in slot $slot still watching"
