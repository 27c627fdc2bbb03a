# Resume: the relay is killed (SIGKILL) while a 300 MB file moves from the
# viewer to the host. The host keeps "NAME.part"; once the relay is back and
# the master has its session again, a new viewer sends the same file again and
# only the rest travels: the host's file-item says from=N > 0 and its
# file-done says sent= less than the size; the file arrives byte-identical.
# Then a changed source (same name and size, other first bytes) starts over
# (from=0) and is still right.
. "$(dirname "$0")/lib.sh"
big_mb=${FILES_BIG_MB:-300}
size=$((big_mb * 1024 * 1024))
mkdir -p "$T/src" "$T/inbox"
head -c $size /dev/urandom >"$T/src/big.bin"
start_relay relay
port=${RELAY##*:}
start_master host "$RELAY" --auto-accept --inbox "$T/inbox"
first=$SESSION
# --resume-grace 0: this viewer ends with the relay (a viewer coming back
# is t_resume's); the file is sent again by a new one.
start_viewer v "$RELAY" "$SESSION" "$CODE" --quiet-frames --send "$T/src/big.bin" \
    --resume-grace 0
# Kill the relay once a few MB arrived (the .part grows as data is written).
i=0
until [ -f "$T/inbox/big.bin.part" ] && [ "$(stat -c %s "$T/inbox/big.bin.part")" -gt 8000000 ]; do
	i=$((i + 1)); [ $i -lt 600 ] || fail "the transfer did not start"; sleep 0.02
done
kill -KILL "$RELAY_PID"
wait_exit "$VIEWER_PID" 20
[ "$rc" = 2 ] || fail "the viewer exit $rc when the relay died, want 2"
have=$(stat -c %s "$T/inbox/big.bin.part")
[ "$have" -lt "$size" ] || fail "the transfer finished before the relay was killed"
[ -e "$T/inbox/big.bin" ] && fail "a half file appeared under the real name"
wait_for "$T/host.out" '^file-failed slot=1 .*dir=in' 20

RELAY_PORT=$port start_relay relay2
# The restarted relay knows the number from its state: the master takes
# it back with its ticket (the code it shows now is the one after v's join).
wait_for "$T/host.out" "^resumed session=$first" 30
CODE=$(latest_code host)
start_viewer w "$RELAY" "$SESSION" "$CODE" --quiet-frames --send "$T/src/big.bin"
wait_exit "$VIEWER_PID" 100
[ "$rc" = 0 ] || fail "the second send exited $rc"
cmp "$T/src/big.bin" "$T/inbox/big.bin" || fail "the resumed file differs"
item=$(grep '^file-item slot=1 .*dir=in path="big.bin"' "$T/host.out" | tail -1)
from=$(echo "$item" | sed -n 's/.* from=\([0-9]*\).*/\1/p')
sent=$(grep '^file-done slot=1 .*dir=in name="big.bin"' "$T/host.out" | tail -1 |
    sed -n 's/.* sent=\([0-9]*\).*/\1/p')
[ -n "$from" ] && [ "$from" -gt 0 ] || fail "no resume: file-item says from=$from"
[ -n "$sent" ] && [ "$sent" -lt "$size" ] || fail "the whole file travelled again (sent=$sent)"
[ $((from + sent)) = "$size" ] || fail "from=$from + sent=$sent is not the size $size"
note "killed at $have bytes; resumed from $from, sent $sent of $size bytes again"

# A changed source with the same name starts over, and is right.
head -c $((2 * 1024 * 1024)) /dev/urandom >"$T/src/two.bin"
mkdir -p "$T/inbox-two"
head -c $((1024 * 1024 + 5)) /dev/urandom >"$T/inbox/two.bin.part"    # another file's start
code=$(latest_code host)
start_viewer x "$RELAY" "$SESSION" "$code" --quiet-frames --send "$T/src/two.bin"
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "the changed-source send exited $rc"
cmp "$T/src/two.bin" "$T/inbox/two.bin" || fail "a changed source was spliced onto an old .part"
grep -q '^file-item slot=[0-9]* .*dir=in path="two.bin" .*from=0 ' "$T/host.out" ||
    fail "a changed source did not start over"
