# The files right, as the host gives and takes it:
# - a view-only viewer (the host answers v): its --send fails at once
#   (exit 7, file-failed with a clear reason), the host's `send SLOT PATH`
#   to such a viewer is refused ("has no files right"), and FILE_* messages
#   it sends anyway (tests/tools/file_peer) write nothing; nor do FILE_*
#   messages sent before the host answered, even when it then says y;
# - a full viewer (y) gets a file from the host; then, while a 200 MB file
#   is moving to it, the host takes the right back (`files SLOT off`): both
#   sides print file-failed, in order after the transfer began, and no
#   final file appears; `send` is refused until `files SLOT on`, after
#   which the same file arrives whole;
# - the same the other way, while a viewer sends 200 MB to the host.
. "$(dirname "$0")/lib.sh"
src=$T/src
mkdir -p "$src" "$T/host-inbox"
head -c 100000 /dev/urandom >"$src/small.bin"
head -c $((200 * 1024 * 1024)) /dev/urandom >"$src/big.bin"

start_relay relay
start_master host "$RELAY" --inbox "$T/host-inbox"

# consent NAME ANSWER: wait for the host's question about NAME, answer it,
# and set SLOT to the viewer's slot.
consent() {
	wait_for "$T/host.out" "^consent slot=[0-9]+ name=\"$1\"" 20
	SLOT=$(sed -n "s/^consent slot=\([0-9]*\) name=\"$1\".*/\1/p" "$T/host.out" | tail -1)
	master_cmd host "$2"
	wait_for "$T/host.out" "^allowed slot=$SLOT " 10
}

# 1. View only, with --send: refused before anything is sent.
start_viewer ro "$RELAY" "$SESSION" "$CODE" --quiet-frames --inbox "$T/ro-inbox" \
    --send "$src/small.bin"
p=$VIEWER_PID
consent ro v
grep -q "^allowed slot=$SLOT rights=view$" "$T/host.out" || fail "v did not allow view only"
wait_exit "$p" 20
[ "$rc" = 7 ] || fail "a view-only viewer's --send exited $rc, want 7"
grep -q '^allowed rights=view size=' "$T/ro.out" || fail "the viewer was not told view only"
grep -Eq '^file-failed dir=out name=".*small.bin" reason="[^"]*files right[^"]*"' "$T/ro.out" ||
    fail "no clear file-failed on the view-only viewer"
grep -q '^file-offer' "$T/host.out" && fail "the host saw an offer from a view-only viewer"
grep -q '^closed reason="not every file arrived"' "$T/ro.out" ||
    fail "the view-only viewer's last line does not say the file did not arrive"

# 2. View only, staying: the host cannot send to it.
start_viewer watch "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames \
    --inbox "$T/watch-inbox"
consent watch v
master_cmd host "send $SLOT $src/small.bin"
wait_for "$T/host.out" "^send: viewer $SLOT has no files right" 10
sleep 1
[ -z "$(ls -A "$T/watch-inbox" 2>/dev/null)" ] || fail "a view-only viewer received a file"
grep -q '^file-offer' "$T/watch.out" && fail "a view-only viewer was offered a file"

# 3. View only, sending FILE_* anyway: ignored (PROTOCOL.md 3.2.1) or
# refused, never written.
"$B/tools/file_peer" --relay "$RELAY" --session "$SESSION" --code "$(latest_code host)" \
    --peer-name peer-ro --mode view-only --name sneaked.txt --wait 3 \
    >"$T/peer-ro.out" 2>"$T/peer-ro.log" &
pp=$!
pids="$pids $pp"
consent peer-ro v
wait_exit "$pp" 30
[ "$rc" = 0 ] || fail "file_peer view-only failed ($rc)"
grep -q '^alive' "$T/peer-ro.out" || fail "the host ended a view-only viewer's stream"
grep -q '^got FILE_ACK' "$T/peer-ro.out" && fail "the host acknowledged a view-only viewer's data"
if grep -q '^got FILE_CANCEL' "$T/peer-ro.out"; then
	grep -q '^got FILE_CANCEL id=1 whose=1 reason=2 ' "$T/peer-ro.out" ||
	    fail "a view-only viewer's offer was cancelled for another reason"
	peer_ro="refused"
else
	grep -q '^timeout' "$T/peer-ro.out" || fail "file_peer view-only did not settle"
	peer_ro="ignored"
fi
[ -z "$(ls -A "$T/host-inbox")" ] || fail "a view-only viewer's file was written: $(ls -A "$T/host-inbox")"
grep -q '^file-offer' "$T/host.out" && fail "the host took an offer from a view-only viewer"

# 3b. FILE_* sent before the host answered, then allowed with y: what came
# before the answer is ignored, never written.
"$B/tools/file_peer" --relay "$RELAY" --session "$SESSION" --code "$(latest_code host)" \
    --peer-name early --mode valid --name early.txt --early --wait 3 \
    >"$T/early.out" 2>"$T/early.log" &
pp=$!
pids="$pids $pp"
consent early y
wait_exit "$pp" 30
[ "$rc" = 0 ] || fail "file_peer --early failed ($rc)"
e_sent=$(grep -n '^sent valid' "$T/early.out" | cut -d: -f1)
e_allowed=$(grep -n '^allowed rights=0x0f files=yes' "$T/early.out" | cut -d: -f1)
[ -n "$e_sent" ] && [ -n "$e_allowed" ] && [ "$e_sent" -lt "$e_allowed" ] ||
    fail "file_peer --early did not send before it was allowed"
grep -q "viewer $SLOT: FILE_OFFER without the right to send it: ignored" "$T/host.log" ||
    fail "the host did not say it ignored the early offer"
grep -q '^got FILE_' "$T/early.out" && fail "the host answered FILE_* sent before it allowed the viewer"
grep -q '^alive' "$T/early.out" || fail "the host ended the stream of an early sender"
[ -e "$T/host-inbox/early.txt" ] && fail "a file sent before the host's answer was written"
grep -q 'file-offer.*early' "$T/host.out" && fail "the host took an offer sent before its answer"

# 4. A full viewer gets a file.
mkdir "$T/full-inbox"
start_viewer full "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames \
    --inbox "$T/full-inbox"
fp=$VIEWER_PID
consent full y
grep -q "^allowed slot=$SLOT rights=control,clipboard,files$" "$T/host.out" ||
    fail "y did not give the files right"
master_cmd host "send $SLOT $src/small.bin"
wait_for "$T/full.out" '^file-done id=1 dir=in name="small.bin"' 20
cmp -s "$src/small.bin" "$T/full-inbox/small.bin" || fail "the small file differs"

# 5. The right taken back while 200 MB move. The viewer is held (SIGSTOP,
# a network that stalls) around the moments that matter, so that the
# transfer is certainly still running, whatever the machine's speed.
master_cmd host "send $SLOT $src/big.bin"
wait_for "$T/full.out" '^file-offer id=2 dir=in name="big.bin"' 20
kill -STOP "$fp"
sleep 1.2       # a progress line is due (FILES_PROGRESS_MS) once it reads again
kill -CONT "$fp"
wait_for "$T/full.out" '^file-progress id=2 dir=in ' 20
kill -STOP "$fp"
grep -q '^file-done id=2 ' "$T/full.out" && fail "the big file was done before the test could stop it"
master_cmd host "files $SLOT off"
wait_for "$T/host.out" "^files-revoked slot=$SLOT rights=control,clipboard$" 10
wait_for "$T/host.out" "^file-failed slot=$SLOT id=2 dir=out reason=\"[^\"]+\"" 10
kill -CONT "$fp"
wait_for "$T/full.out" '^file-failed id=2 dir=in reason="[^"]+"' 20
wait_for "$T/full.out" '^rights rights=control,clipboard size=' 5
sleep 1
grep -q '^file-done id=2 ' "$T/full.out" && fail "the viewer finished the file after the right was taken"
grep -q "^file-done slot=$SLOT id=2 " "$T/host.out" && fail "the host finished the file after the right was taken"
[ -e "$T/full-inbox/big.bin" ] && fail "a final big.bin appeared after the right was taken"
kill -0 "$fp" 2>/dev/null || fail "the viewer ended when the files right was taken"
# Order: each side's failure comes after its transfer began, and the
# viewer's after it was told (the new rights).
line_of() { grep -n "$2" "$T/$1.out" | head -1 | cut -d: -f1; }
v_offer=$(line_of full '^file-offer id=2 dir=in')
v_progress=$(line_of full '^file-progress id=2 dir=in')
v_rights=$(line_of full '^rights rights=control,clipboard size=')
v_failed=$(line_of full '^file-failed id=2 dir=in')
[ "$v_offer" -lt "$v_progress" ] && [ "$v_progress" -lt "$v_rights" ] &&
    [ "$v_rights" -lt "$v_failed" ] ||
    fail "viewer event order: offer $v_offer, progress $v_progress, rights $v_rights, failed $v_failed"
h_offer=$(line_of host "^file-offer slot=$SLOT id=2 dir=out")
h_failed=$(line_of host "^file-failed slot=$SLOT id=2 dir=out")
h_revoked=$(line_of host "^files-revoked slot=$SLOT")
[ "$h_offer" -lt "$h_failed" ] && [ "$h_offer" -lt "$h_revoked" ] ||
    fail "host event order: offer $h_offer, failed $h_failed, revoked $h_revoked"
why_h=$(sed -n "s/^file-failed slot=$SLOT id=2 dir=out reason=//p" "$T/host.out")
why_v=$(sed -n 's/^file-failed id=2 dir=in reason=//p' "$T/full.out")
echo "$why_h $why_v" | grep -qi 'right' || fail "the reasons do not say the right was taken: $why_h / $why_v"
master_cmd host "send $SLOT $src/small.bin"
wait_for "$T/host.out" "^send: viewer $SLOT has no files right" 10

# 6. Given back: the same file arrives whole (resumed or from the start).
master_cmd host "files $SLOT on"
wait_for "$T/host.out" "^files-granted slot=$SLOT rights=control,clipboard,files$" 10
wait_for "$T/full.out" '^rights rights=control,clipboard,files size=' 10
master_cmd host "send $SLOT $src/big.bin"
wait_for "$T/full.out" '^file-done id=[0-9]+ dir=in name="big.bin"' 90
cmp -s "$src/big.bin" "$T/full-inbox/big.bin" || fail "the big file differs after the right came back"
from=$(sed -n 's/^file-item id=[0-9]* dir=in path="big.bin" .*from=\([0-9]*\) .*/\1/p' \
    "$T/full.out" | tail -1)
# 7. The other way: the right taken back while a viewer sends 200 MB to
# the host (the sender held the same way).
start_viewer up "$RELAY" "$SESSION" "$(latest_code host)" --quiet-frames \
    --inbox "$T/up-inbox" --send "$src/big.bin"
upp=$VIEWER_PID
consent up y
wait_for "$T/host.out" "^file-offer slot=$SLOT id=1 dir=in name=\"big.bin\"" 20
kill -STOP "$upp"
master_cmd host "files $SLOT off"
wait_for "$T/host.out" "^file-failed slot=$SLOT id=1 dir=in reason=\"[^\"]*right[^\"]*\"" 10
kill -CONT "$upp"
wait_exit "$upp" 20
[ "$rc" = 7 ] || fail "the viewer whose upload lost the right exited $rc, want 7"
grep -q '^file-failed id=1 dir=out reason="[^"]*right[^"]*"' "$T/up.out" ||
    fail "the sending viewer does not say the right was taken"
grep -q '^closed reason="not every file arrived"' "$T/up.out" ||
    fail "the sending viewer's last line does not say the file did not arrive"
grep -q "^file-done slot=$SLOT id=1 " "$T/host.out" && fail "the host finished the upload anyway"
[ -e "$T/host-inbox/big.bin" ] && fail "a final big.bin appeared in the host's inbox"

note "view-only: --send exit 7, host send refused, offer $peer_ro; revoked mid-file: $why_h / $why_v"
note "after files on: 200 MB arrived whole (resumed from ${from:-?})"
