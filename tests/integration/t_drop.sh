# The file drop, end to end with the real programs and a relay that keeps
# a drop (docs/PROTOCOL.md 5.2, man fernsicht-master "FILE DROP"):
# - the master drops a 100 MB file (--drop); a viewer fetches it with the
#   link's #KEY (--fetch) and it is byte-identical; the same one-time link
#   a second time is refused (410, exit 7) and leaves nothing;
# - the relay's drop-dir holds no plaintext: neither a pattern that fills
#   a file nor its name;
# - a link without its #KEY, for someone without an identity envelope in
#   the blob, is refused clearly;
# - a blob changed on the relay (one byte) fails with a clear error and
#   leaves no output file, not even a .part; the link's other downloads
#   still see the same refusal.
# - a relay that opens sessions for tokens only: --drop from a master
#   without a token fails clearly, with the token of its settings file it
#   works;
# - during a session: the viewer tells the host its drop identity; the
#   host drops 100 MB ("drop PATH" on stdin) while frames keep flowing; the
#   viewer gets its own link without #KEY over the session; the session
#   ends; the viewer fetches with its identity, byte-identical; its link
#   is one-time; another person's identity cannot open it.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
mkdir -p "$HOME" "$T/drop" "$T/out" "$T/out2" "$T/src"
start_relay relay --drop-dir "$T/drop"

# 1. 100 MB: dropped, fetched with #KEY, compared.
head -c $((100 * 1024 * 1024)) /dev/urandom >"$T/src/big.bin"
start_s=$(date +%s)
"$B/fernsicht-master" --headless --relay "$RELAY" --drop "$T/src/big.bin" \
    >"$T/put.out" 2>"$T/put.log" || fail "--drop of 100 MB failed"
link=$(sed -n 's/^drop-link link="\(.*\)"$/\1/p' "$T/put.out")
case $link in
fernsicht://"$RELAY"/drop/*'#'*) ;;
*) fail "--drop printed no link with a key: '$link'" ;;
esac
"$B/fernsicht-viewer" --fetch "$link" --out "$T/out" >"$T/fetch.out" 2>"$T/fetch.log" ||
    fail "--fetch of the 100 MB drop failed"
grep -q '^drop-fetched name="big.bin" bytes=104857600$' "$T/fetch.out" ||
    fail "no drop-fetched line for big.bin"
cmp "$T/src/big.bin" "$T/out/big.bin" || fail "the fetched file differs"
note "100 MB dropped and fetched in $(( $(date +%s) - start_s )) s"
# The key stays in this program: the relay never saw the fragment.
key=${link#*#}
grep -rqF "$key" "$T/relay.log" "$T/drop" && fail "the link's key reached the relay"
rm -f "$T/src/big.bin" "$T/out/big.bin"

# 1b. The same through a path that breaks connections in the middle of
#     parts (up and down): the upload goes on from what the relay has
#     (409 have=), the download fetches the broken part again.
python3 "$top/tests/tools/drop_cut.py" "${RELAY##*:}" 200000 6 >"$T/cut.out" 2>"$T/cut.log" &
pids="$pids $!"
wait_for "$T/cut.out" '^listening=' 10
CUT=$(sed -n 's/^listening=//p' "$T/cut.out")
head -c $((5 * 1024 * 1024)) /dev/urandom >"$T/src/cut.bin"
"$B/fernsicht-master" --headless --relay "$CUT" --transport tcp --drop "$T/src/cut.bin" \
    >"$T/cutput.out" 2>"$T/cutput.log" || fail "--drop through a breaking path failed"
clink=$(sed -n 's/^drop-link link="\(.*\)"$/\1/p' "$T/cutput.out")
grep -q 'put: .*trying again' "$T/cutput.log" || fail "the upload saw no broken part"
# A session transfer's unfinished copy of the same name stays as it is,
# and so does a file of the same name: the fetched one is "cut (1).bin".
echo "a transfer's resume data" >"$T/out/cut.bin.part"
echo "an older file" >"$T/out/cut.bin"
"$B/fernsicht-viewer" --fetch "$clink" --out "$T/out" >"$T/cutfetch.out" 2>"$T/cutfetch.log" ||
    fail "--fetch through a breaking path failed"
[ "$(cat "$T/out/cut.bin.part")" = "a transfer's resume data" ] ||
    fail "--fetch touched a transfer's .part file"
grep -q '^drop-fetched name="cut (1).bin" ' "$T/cutfetch.out" ||
    fail "the fetched file did not take the next free name"
[ "$(cat "$T/out/cut.bin")" = "an older file" ] || fail "--fetch overwrote a file"
cmp "$T/src/cut.bin" "$T/out/cut (1).bin" || fail "the file through a breaking path differs"
grep -Eq 'get: .*(trying again|going on from what came)' "$T/cutfetch.log" ||
    fail "the download saw no broken part"
[ "$(count "$T/cut.out" '^cut up')" = 6 ] && [ "$(count "$T/cut.out" '^cut down')" = 6 ] ||
    fail "the path did not break 6 times each way"
note "6 uploads and 6 downloads broken in the middle of a part, resumed"
rm -f "$T/out/cut.bin.part" "$T/out/cut.bin" "$T/out/cut (1).bin"

# 2. The one-time link again: 410, exit 7, nothing written.
rc=0
"$B/fernsicht-viewer" --fetch "$link" --out "$T/out2" >"$T/again.out" 2>"$T/again.log" || rc=$?
[ "$rc" = 7 ] || fail "a used-up link: exit $rc, want 7"
grep -q '^fetch-failed reason=".*used up.*"' "$T/again.out" ||
    fail "a used-up link was not refused as used up"
[ -z "$(ls -A "$T/out2")" ] || fail "a refused fetch left files: $(ls -A "$T/out2")"

# 3. No plaintext on the relay: a file of a known pattern, and its name.
python3 -c 'import sys
for i in range(200000): sys.stdout.write("FERNSICHT-DROP-PLAINTEXT-%06d\n" % i)' \
    >"$T/src/secret-name-pattern.txt"
"$B/fernsicht-viewer" --relay "$RELAY" --drop "$T/src/secret-name-pattern.txt" 0 \
    >"$T/bad.out" 2>"$T/bad.log" && fail "--drop took session 0"
"$B/fernsicht-master" --headless --relay "$RELAY" --drop "$T/src/secret-name-pattern.txt" \
    --drop-downloads 3 >"$T/put2.out" 2>"$T/put2.log" || fail "--drop of the pattern failed"
link2=$(sed -n 's/^drop-link link="\(.*\)"$/\1/p' "$T/put2.out")
[ -n "$link2" ] || fail "no link for the pattern file"
grep -rqa 'FERNSICHT-DROP-PLAINTEXT' "$T/drop" && fail "plaintext in the relay's drop-dir"
grep -rqa 'secret-name-pattern' "$T/drop" && fail "the file's name in the relay's drop-dir"

# 4. The link without its key: no envelope opens (the fetcher's identity
#    is not among the recipients), said clearly, nothing written.
rc=0
"$B/fernsicht-viewer" --fetch "${link2%%#*}" --out "$T/out2" >"$T/nokey.out" \
    2>"$T/nokey.log" || rc=$?
[ "$rc" = 7 ] || fail "a link without its key: exit $rc, want 7"
grep -q '^fetch-failed reason=".*not dropped for this identity.*"' "$T/nokey.out" ||
    fail "a link without its key was not refused clearly"
[ -z "$(ls -A "$T/out2")" ] || fail "a refused fetch left files: $(ls -A "$T/out2")"

# 5. One byte of the stored blob changed (in its data, then in its header):
#    refused as changed, no file and no .part left behind.
data=$(ls -t "$T/drop"/*.data | head -1)        # the pattern file's, the newest
[ -n "$data" ] || fail "cannot find the stored blob"
size=$(stat -c %s "$data")
python3 - "$data" $((size / 2)) <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2])); b = f.read(1); f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 1]))
PY
rc=0
"$B/fernsicht-viewer" --fetch "$link2" --out "$T/out2" >"$T/tamper.out" 2>"$T/tamper.log" ||
    rc=$?
[ "$rc" = 7 ] || fail "a changed blob: exit $rc, want 7"
grep -q '^fetch-failed reason="the dropped file does not verify: .*changed' "$T/tamper.out" ||
    fail "a changed blob was not refused as changed"
[ -z "$(ls -A "$T/out2")" ] || fail "a changed blob left files: $(ls -A "$T/out2")"
python3 - "$data" $((size / 2)) <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2])); b = f.read(1); f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 1]))
    f.seek(60); b = f.read(1); f.seek(60); f.write(bytes([b[0] ^ 0x80]))
PY
rc=0
"$B/fernsicht-viewer" --fetch "$link2" --out "$T/out2" >"$T/tamper2.out" 2>"$T/tamper2.log" ||
    rc=$?
[ "$rc" = 7 ] || fail "a blob with a changed header: exit $rc, want 7"
grep -q '^fetch-failed reason="cannot open the dropped file: ' "$T/tamper2.out" ||
    fail "a changed header was not refused clearly"
[ -z "$(ls -A "$T/out2")" ] || fail "a changed header left files: $(ls -A "$T/out2")"

# 5b. A relay with session tokens: the master's --drop brings the token of
#     its settings file (the grant comes with the session it opens).
printf 'k1 %s\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >"$T/tokkeys"
chmod 600 "$T/tokkeys"
mkdir -p "$T/tokstate" "$T/tokdrop"
"$B/fernsicht-relay" --config /dev/null --state-dir "$T/tokstate" --token-key-file "$T/tokkeys" \
    --issue-token dropper --ttl 600 >"$T/issue.out" 2>"$T/issue.log" || fail "--issue-token"
token=$(sed -n 's/^token=//p' "$T/issue.out")
TOKRELAY_PORT=$(free_port)
RELAY_SAVED=$RELAY
RELAY_PORT=$TOKRELAY_PORT start_relay tokrelay --session-policy token \
    --token-key-file "$T/tokkeys" --drop-dir "$T/tokdrop"
TOKRELAY=$RELAY
RELAY=$RELAY_SAVED
rc=0
"$B/fernsicht-master" --headless --relay "$TOKRELAY" --drop "$T/src/cut.bin" \
    >"$T/notok.out" 2>"$T/notok.log" || rc=$?
[ "$rc" = 2 ] || fail "--drop without a token: exit $rc, want 2"
grep -q '^drop-failed reason="cannot reach the relay' "$T/notok.out" ||
    fail "--drop without a token did not fail clearly"
mkdir -p "$HOME/.config/fernsicht"
printf 'token = %s\n' "$token" >"$HOME/.config/fernsicht/master.conf"
"$B/fernsicht-master" --headless --relay "$TOKRELAY" --drop "$T/src/cut.bin" \
    >"$T/tok.out" 2>"$T/tok.log" || fail "--drop with the settings' token failed"
grep -q '^drop-link link="fernsicht://' "$T/tok.out" || fail "--drop with a token: no link"
rm -f "$HOME/.config/fernsicht/master.conf"

# 6. During a session, for the viewer's identity.
rm -rf "$T/drop"/* "$T/out" "$T/out2"
mkdir -p "$T/out" "$T/out2" "$T/vhome" "$T/other"
head -c $((100 * 1024 * 1024)) /dev/urandom >"$T/src/session.bin"
start_master host "$RELAY" --auto-accept
HOME="$T/vhome" start_viewer viewer "$RELAY" "$SESSION" "$CODE"
wait_for "$T/host.out" '^drop-identity slot=1$' 20
[ -f "$T/vhome/.config/fernsicht/drop-identity" ] || fail "the viewer made no identity"
[ "$(stat -c %a "$T/vhome/.config/fernsicht/drop-identity")" = 600 ] ||
    fail "the identity file is not 0600"
start_s=$(date +%s)
wait_for "$T/viewer.out" '^frame ' 10
master_cmd host "drop $T/src/session.bin"
wait_for "$T/host.out" '^drop-started path=".*session.bin" identities=2$' 10
before=$(frames viewer)
wait_for "$T/host.out" '^drop-sent slot=1$' 60
after=$(frames viewer)
[ "$after" -gt "$before" ] || fail "no frame reached the viewer while the host uploaded"
wait_for "$T/viewer.out" '^drop-offer link=' 10
note "100 MB dropped during the session in $(( $(date +%s) - start_s )) s," \
    "$((after - before)) frames meanwhile"
grep -q '^drop-link link="fernsicht://.*#' "$T/host.out" || fail "the host got no link with #KEY"
vlink=$(sed -n 's/^drop-offer link="\(.*\)"$/\1/p' "$T/viewer.out")
case $vlink in *'#'*) fail "the viewer's link carries a key: $vlink" ;; esac
master_cmd host end
wait_exit "$VIEWER_PID" 10
HOME="$T/vhome" "$B/fernsicht-viewer" --fetch "$vlink" --out "$T/out" >"$T/vfetch.out" \
    2>"$T/vfetch.log" || fail "the viewer's fetch with its identity failed"
grep -q '^drop-fetched name="session.bin" bytes=104857600$' "$T/vfetch.out" ||
    fail "no drop-fetched line for session.bin"
cmp "$T/src/session.bin" "$T/out/session.bin" || fail "the file fetched by identity differs"
rc=0
HOME="$T/vhome" "$B/fernsicht-viewer" --fetch "$vlink" --out "$T/out2" >"$T/vagain.out" \
    2>"$T/vagain.log" || rc=$?
[ "$rc" = 7 ] || fail "the viewer's one-time link twice: exit $rc, want 7"
# The host's link without its key, for someone else's identity.
hlink=$(sed -n 's/^drop-link link="\(.*\)#.*"$/\1/p' "$T/host.out" | tail -1)
rc=0
HOME="$T/other" "$B/fernsicht-viewer" --fetch "$hlink" --out "$T/out2" >"$T/other.out" \
    2>"$T/other.log" || rc=$?
[ "$rc" = 7 ] || fail "another identity: exit $rc, want 7"
grep -q '^fetch-failed reason=".*not dropped for this identity' "$T/other.out" ||
    fail "another identity was not refused clearly"
[ -z "$(ls -A "$T/out2")" ] || fail "refused fetches left files: $(ls -A "$T/out2")"
grep -rqa 'session.bin' "$T/drop" && fail "the file's name in the relay's drop-dir"
exit 0
