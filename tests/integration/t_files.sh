# Files both ways through a real relay, byte-identical: from the viewer
# (--send) a 300 MB file of random bytes, an empty file and a folder of
# 2,000 small files in nested folders with names holding spaces, UTF-8 and
# newlines; from the host (`send 1 PATH`) the same folder back and a second
# big file. Each side's file-done/file-item lines carry BLAKE2b hashes,
# checked against b2sum of the source. Memory: the receiver's peak RSS stays
# far below the big file's size (streaming, not buffering).
. "$(dirname "$0")/lib.sh"
big_mb=${FILES_BIG_MB:-300}
src=$T/src
mkdir -p "$src" "$T/host-inbox" "$T/viewer-inbox"
head -c $((big_mb * 1024 * 1024)) /dev/urandom >"$src/big file.bin"
: >"$src/empty"
# 2,000 small files: 20 folders x 10 subfolders x 10 files, odd names.
python3 - "$src/tree" <<'PY'
import os, sys
top = sys.argv[1]
for a in range(20):
    for b in range(10):
        d = os.path.join(top, "dir %02d" % a, "sub_ü_%d" % b)
        os.makedirs(d, exist_ok=True)
        for c in range(10):
            name = "f %d.txt" % c if c < 8 else ("Grüße %d — ä" % c if c == 8 else "new\nline %d" % c)
            with open(os.path.join(d, name), "wb") as f:
                f.write(os.urandom(37 * (a + b + c + 1)))
PY
n_tree=$(find "$src/tree" -type f -printf x | wc -c)
[ "$n_tree" = 2000 ] || fail "made $n_tree small files, not 2000"

start_relay relay
start_master host "$RELAY" --auto-accept --inbox "$T/host-inbox"
start_viewer v "$RELAY" "$SESSION" "$CODE" --quiet-frames --inbox "$T/viewer-inbox" \
    --send "$src/big file.bin" --send "$src/empty" --send "$src/tree"
wait_for "$T/v.out" '^allowed rights=control,clipboard,files' 15
wait_exit "$VIEWER_PID" 100
[ "$rc" = 0 ] || fail "the sending viewer exited $rc"
[ "$(count "$T/host.out" '^file-done slot=1 .*dir=in')" = 3 ] ||
    fail "the host did not report 3 transfers done"

# Byte-identical, by hash and by content.
cmp "$src/big file.bin" "$T/host-inbox/big file.bin" || fail "the big file differs"
[ -f "$T/host-inbox/empty" ] && [ ! -s "$T/host-inbox/empty" ] || fail "the empty file"
diff -r "$src/tree" "$T/host-inbox/tree" >/dev/null || fail "the folder differs"
want=$(b2sum -l 256 "$src/big file.bin" | cut -d' ' -f1)
grep -q "^file-done slot=1 .*dir=in name=\"big file.bin\".*blake2b=$want" "$T/host.out" ||
    fail "the host's file-done does not carry the big file's BLAKE2b-256 $want"
grep -q "^file-done .*dir=out name=\"big file.bin\".*blake2b=$want" "$T/v.out" ||
    fail "the viewer's file-done does not carry the big file's BLAKE2b-256"
ls "$T/host-inbox" | grep -q '\.part$' && fail "a .part file stayed in the host's inbox"

# The other way: the host sends the folder and a file to a viewer.
head -c $((big_mb / 3 * 1024 * 1024)) /dev/urandom >"$src/from host.bin"
code=$(latest_code host)
start_viewer w "$RELAY" "$SESSION" "$code" --quiet-frames --inbox "$T/viewer-inbox"
W_PID=$VIEWER_PID
wait_for "$T/w.out" '^allowed rights=' 15
wait_for "$T/host.out" '^allowed slot=2' 10
master_cmd host "send 2 $src/tree"
master_cmd host "send 2 $src/from host.bin"
wait_for "$T/w.out" '^file-done .*dir=in name="from host.bin"' 60
wait_for "$T/w.out" '^file-done .*dir=in name="tree"' 60
cmp "$src/from host.bin" "$T/viewer-inbox/from host.bin" || fail "the host's file differs"
diff -r "$src/tree" "$T/viewer-inbox/tree" >/dev/null || fail "the host's folder differs"

# The same name again: a new name, never an overwrite (one after the
# other: the same name twice at once is refused as busy).
master_cmd host "send 2 $src/empty"
wait_for "$T/w.out" '^file-done .*path=".*/empty"' 20
master_cmd host "send 2 $src/empty"
wait_for "$T/w.out" '^file-done .*path=".*/empty \(1\)"' 20
[ -f "$T/viewer-inbox/empty" ] && [ -f "$T/viewer-inbox/empty (1)" ] || fail "no 'empty (1)'"

# The host cancels a transfer on stdin. The receiving viewer is held
# (SIGSTOP, a stalled network) so that it cannot finish first.
cp "$src/from host.bin" "$src/cancelled.bin"
kill -STOP "$W_PID"
master_cmd host "send 2 $src/cancelled.bin"
wait_for "$T/host.out" '^file-offer slot=2 id=[0-9]* dir=out name="cancelled.bin"' 10
id=$(sed -n 's/^file-offer slot=2 id=\([0-9]*\) dir=out name="cancelled.bin".*/\1/p' "$T/host.out")
master_cmd host "cancel 2 out $id"
wait_for "$T/host.out" "^file-failed slot=2 id=$id dir=out reason=\"cancelled" 10
kill -CONT "$W_PID"
wait_for "$T/w.out" '^file-failed id=[0-9]* dir=in reason="cancelled' 20
[ -e "$T/viewer-inbox/cancelled.bin" ] && fail "a cancelled file appeared under its name"

# Memory: the host received 300 MB with a peak RSS far below that (not
# under ASan, whose quarantine keeps up to 256 MB of freed memory).
rss_kb=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$MASTER_PID/status")
case $B in
*asan*) note "peak RSS not bounded under ASan (its quarantine holds freed memory)" ;;
*)	[ "$rss_kb" -lt $((big_mb * 1024 / 2)) ] ||
	    fail "the host's peak RSS is $rss_kb kB for a $big_mb MB file" ;;
esac
note "300 MB + empty + 2000 files both ways byte-identical; host peak RSS ${rss_kb} kB"
