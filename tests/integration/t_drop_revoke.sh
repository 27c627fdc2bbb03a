# The relay's upload grant for the file drop (docs/PROTOCOL.md 5.2) is
# what the host passes to each viewer it allows with the files right. A
# viewer the host removes keeps the bytes it was given: they must stop
# working at once. The host asks the relay for the grant's next
# generation (GRANT) when a viewer that had it is gone, passes that to the
# viewers that stay, and the relay refuses every grant before it (410).
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
mkdir -p "$HOME" "$T/drop" "$T/hin"
start_relay relay --drop-dir "$T/drop"
start_master host "$RELAY" --auto-accept --inbox "$T/hin"
head -c 1000 /dev/urandom >"$T/small.bin"
DC="python3 $top/tests/tools/drop_client.py"
peer() {
	"$B/tools/screen_peer" --relay "$RELAY" --session "$SESSION" --code "$2" --hold 60 \
	    --name "$1" >"$T/$1.out" 2>"$T/$1.log" &
	pids="$pids $!"
	wait_for "$T/$1.out" '^drop-grant ' 20
}
grant_n() { sed -n 's/^drop-grant //p' "$T/$1.out" | sed -n "${2}p"; }

peer keeper "$CODE"
peer stays "$(latest_code host)"
old=$(grant_n keeper 1)
[ "$old" = "$(grant_n stays 1)" ] || fail "the two viewers got different grants"
# The positive control: the grant uploads while the keeper is allowed.
$DC upload "$RELAY" "$old" "$T/small.bin" --ttl 100 >"$T/up1.out" 2>&1 ||
    fail "the grant did not upload: $(cat "$T/up1.out")"

slot=$(sed -n 's/^allowed rights=0x[0-9a-f]* slot=//p' "$T/keeper.out")
master_cmd host "kick $slot"
wait_for "$T/relay.log" 'grant number=[0-9]+: renewed' 10
wait_for "$T/stays.out" '^drop-grant ' 10
i=0
until [ -n "$(grant_n stays 2)" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the viewer that stays got no new grant"; sleep 0.05
done
new=$(grant_n stays 2)
[ "$new" != "$old" ] || fail "the new grant is the old one"
[ -z "$(grant_n keeper 2)" ] || fail "the removed viewer got the new grant"

# The removed viewer's grant: refused, and so is each of a few at once.
rc=0
$DC upload "$RELAY" "$old" "$T/small.bin" --ttl 100 >"$T/up2.out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "the removed viewer's grant: exit $rc: $(cat "$T/up2.out")"
grep -q 'status=410' "$T/up2.out" && grep -q 'grant revoked' "$T/up2.out" ||
    fail "the removed viewer's grant was not refused as revoked: $(cat "$T/up2.out")"
for k in 1 2 3 4; do
	$DC upload "$RELAY" "$old" "$T/small.bin" --ttl 100 >"$T/par$k.out" 2>&1 &
done
wait_n=0
for k in 1 2 3 4; do
	until grep -q 'status=' "$T/par$k.out" 2>/dev/null; do
		wait_n=$((wait_n + 1)); [ $wait_n -lt 400 ] || fail "parallel upload $k hung"
		sleep 0.05
	done
	grep -q 'status=410' "$T/par$k.out" || fail "parallel upload $k: $(cat "$T/par$k.out")"
done
# The viewer that stays uploads with its new grant.
$DC upload "$RELAY" "$new" "$T/small.bin" --ttl 100 >"$T/up3.out" 2>&1 ||
    fail "the new grant did not upload: $(cat "$T/up3.out")"
new_uploads=$(grep -c 'new upload' "$T/relay.log")
[ "$new_uploads" = 2 ] ||
    fail "$new_uploads uploads taken, want 2 (before the kick, and with the new grant)"
kill -0 "$MASTER_PID" || fail "the master died"
note "removed viewer's grant refused (410, 5 tries);" \
    "the viewer that stays got the next one and uploads"
