# The file drop from a viewer to the host, in a session (docs/PROTOCOL.md
# 3.2.2 DROP_GRANT, 5.2 "Upload right"):
# - the relay gives a viewer no grant in WELCOME (it comes before the
#   code): a viewer with a wrong code gets none, its --drop uploads
#   nothing, and /v1/drop/new without a grant is refused;
# - a viewer the host allowed gets the host's grant (DROP_GRANT) and the
#   host's identity, drops a file with --drop, sends the host its link
#   without #KEY and leaves (exit 0); the host gets a drop-offer line and
#   fetches it ("fetch LINK" on stdin) byte-identical; the host's link is
#   one-time; the viewer's own link (with #KEY) opens it too;
# - a viewer allowed without the files right gets no grant; its --drop fails
#   (exit 7) and the host gets nothing;
# - the relay restarts (SIGKILL, same state): the session resumes with a
#   new grant, and the host passes it on again to the viewer that stays;
# - the host's own drop is sealed for and linked to the viewers with the
#   files right only, not one allowed to view only.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
mkdir -p "$HOME" "$T/drop" "$T/hin" "$T/vhome" "$T/lhome" "$T/out" "$T/src"
relay_port=$(free_port)
RELAY_PORT=$relay_port start_relay relay --drop-dir "$T/drop"
head -c 300000 /dev/urandom >"$T/src/for-host.bin"

start_master host "$RELAY" --inbox "$T/hin"

# 1. A wrong code: no grant in the WELCOME, no upload.
python3 "$top/tests/tools/drop_client.py" grant "$RELAY" "$SESSION" >"$T/vgrant.out" 2>&1 ||
    fail "no WELCOME for a viewer: $(cat "$T/vgrant.out")"
grep -qx 'grant=' "$T/vgrant.out" ||
    fail "a viewer's WELCOME carried a grant: $(cat "$T/vgrant.out")"
python3 "$top/tests/tools/drop_client.py" request "$RELAY" POST \
    "/v1/drop/new?size=10&links=1&downloads=1&ttl=10" >"$T/nogrant.out" 2>&1 &&
    fail "new without a grant was taken: $(cat "$T/nogrant.out")"
grep -q '^status=401$' "$T/nogrant.out" || fail "new without a grant: $(cat "$T/nogrant.out")"
# (1$CODE: a code may start with 0, which is not an octal number here)
wrong=$(printf %06d $(( (1$CODE + 1) % 1000000 )))
rc=0
HOME="$T/vhome" "$B/fernsicht-viewer" --relay "$RELAY" "$SESSION" --code "$wrong" \
    --headless --name wrong --drop "$T/src/for-host.bin" >"$T/wrong.out" 2>"$T/wrong.log" ||
    rc=$?
[ "$rc" = 3 ] || fail "a wrong code: exit $rc, want 3"
grep -q '^drop-' "$T/wrong.out" &&
    fail "a viewer with a wrong code did something: $(cat "$T/wrong.out")"
grep -q 'new upload' "$T/relay.log" && fail "an upload with a wrong code"
note "wrong code: no grant in WELCOME, no upload, new without a grant 401"

# 2. Allowed without the files right: no grant, --drop fails (exit 7).
CODE=$(latest_code host)
HOME="$T/vhome" start_viewer viewonly "$RELAY" "$SESSION" "$CODE" --drop "$T/src/for-host.bin"
wait_for "$T/host.out" '^consent slot=' 10
master_cmd host v
wait_exit "$VIEWER_PID" 20
[ "$rc" = 7 ] || fail "--drop without the files right: exit $rc, want 7"
grep -q '^drop-failed reason=".*did not allow files' "$T/viewonly.out" ||
    fail "--drop without the files right did not fail clearly: $(cat "$T/viewonly.out")"
grep -q '^drop-grant slot=' "$T/host.out" && fail "a viewer without the files right got a grant"
grep -q 'new upload' "$T/relay.log" && fail "an upload without the files right"

# 3. Allowed (all rights): the grant comes, the file goes to the host.
CODE=$(latest_code host)
HOME="$T/vhome" start_viewer dropper "$RELAY" "$SESSION" "$CODE" --drop "$T/src/for-host.bin"
i=0
until [ "$(count "$T/host.out" '^consent slot=')" -ge 2 ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "no second consent question"; sleep 0.05
done
master_cmd host y
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "--drop in the session: exit $rc: $(cat "$T/dropper.out")"
grep -q '^drop-grant slot=[0-9]* relay=' "$T/host.out" || fail "the host passed on no grant"
grep -q '^drop-grant relay=' "$T/dropper.out" || fail "the viewer took no grant"
grep -q '^drop-started path=".*for-host.bin" identities=2$' "$T/dropper.out" ||
    fail "the viewer's drop was not for the host and itself: $(cat "$T/dropper.out")"
grep -q '^drop-sent host$' "$T/dropper.out" || fail "the viewer sent the host no link"
vlink=$(sed -n 's/^drop-link link="\(.*\)"$/\1/p' "$T/dropper.out")
case $vlink in
fernsicht://*'#'*) ;;
*) fail "the viewer printed no link with a key: '$vlink'" ;;
esac
wait_for "$T/host.out" '^drop-offer slot=[0-9]* link=' 10
hlink=$(sed -n 's/^drop-offer slot=[0-9]* link="\(.*\)"$/\1/p' "$T/host.out")
case $hlink in *'#'*) fail "the host's link carries a key: $hlink" ;; esac
master_cmd host "fetch $hlink"
wait_for "$T/host.out" '^(drop-fetched|fetch-failed) ' 20
grep -q '^drop-fetched name="for-host.bin" bytes=300000$' "$T/host.out" ||
    fail "the host's fetch: $(grep fetch "$T/host.out")"
cmp "$T/src/for-host.bin" "$T/hin/for-host.bin" || fail "the file the host fetched differs"
# one-time: the host's link again is refused
master_cmd host "fetch $hlink"
wait_for "$T/host.out" '^fetch-failed reason=".*used up' 20
# the viewer's own link (with #KEY) opens it too, without any identity
HOME="$T/nobody" "$B/fernsicht-viewer" --fetch "$vlink" --out "$T/out" >"$T/vfetch.out" \
    2>"$T/vfetch.log" || fail "the viewer's link: $(cat "$T/vfetch.out")"
cmp "$T/src/for-host.bin" "$T/out/for-host.bin" || fail "the file by the viewer's link differs"
grep -rqa 'for-host' "$T/drop" && fail "the file's name in the relay's drop-dir"
note "a viewer's drop for the host: fetched byte-identical, one-time"
# 4. A new grant after the relay restarted goes to the viewer again.
CODE=$(latest_code host)
HOME="$T/vhome" start_viewer stays "$RELAY" "$SESSION" "$CODE"
i=0
until [ "$(count "$T/host.out" '^consent slot=')" -ge 3 ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "no third consent question"; sleep 0.05
done
master_cmd host y
wait_for "$T/stays.out" '^drop-grant relay=' 10
first=$(count "$T/host.out" '^drop-grant slot=')
kill -KILL "$RELAY_PID"
wait_for "$T/stays.out" '^lost reason=' 10
RELAY_PORT=$relay_port start_relay relay2 --drop-dir "$T/drop"
wait_for "$T/host.out" "^resumed session=$SESSION" 30
wait_for "$T/stays.out" '^resumed session=' 30
i=0
until [ "$(count "$T/stays.out" '^drop-grant relay=')" -ge 2 ]; do
	i=$((i + 1)); [ $i -lt 400 ] || fail "no new grant after the relay restarted"; sleep 0.05
done
[ "$(count "$T/host.out" '^drop-grant slot=')" -gt "$first" ] ||
    fail "the host passed on no new grant"
note "after a relay restart the viewer got the new grant"

# 5. The host's own drop goes only to viewers with the files right: one
# allowed to view only says its identity too, and gets no envelope and
# no link.
ids=$(count "$T/host.out" '^drop-identity slot=')
CODE=$(latest_code host)
HOME="$T/lhome" start_viewer looker "$RELAY" "$SESSION" "$CODE"
i=0
until [ "$(count "$T/host.out" '^consent slot=')" -ge 4 ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "no fourth consent question"; sleep 0.05
done
master_cmd host v
i=0
until [ "$(count "$T/host.out" '^drop-identity slot=')" -gt "$ids" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the view-only viewer said no identity"; sleep 0.05
done
head -c 5000 /dev/urandom >"$T/src/for-viewers.bin"
master_cmd host "drop $T/src/for-viewers.bin"
wait_for "$T/host.out" '^drop-started path=".*for-viewers.bin" identities=' 10
wait_for "$T/stays.out" '^drop-offer link=' 20
grep -q '^drop-started path=".*for-viewers.bin" identities=2$' "$T/host.out" ||
    fail "the host's drop was sealed for a viewer without the files right:" \
    "$(grep '^drop-started' "$T/host.out" | tail -1)"
grep -q '^drop-offer' "$T/looker.out" && fail "a viewer without the files right got a drop link"
note "the host's drop: for the viewer with the files right only"
master_cmd host end
exit 0
