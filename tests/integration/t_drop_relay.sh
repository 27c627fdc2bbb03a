# The relay's file drop (docs/PROTOCOL.md 5.2), spoken by
# tests/tools/drop_client.py:
# - WELCOME carries a grant to a master only, never to a viewer (whose WELCOME
#   comes before it proved the code); none without drop-dir
# - upload, claim, get: byte-identical, over HTTP and over HTTPS
# - a used-up link is 410, an expired one 410, a forged link / grant / put
#   or get secret 401, a put at the wrong offset 409 have=N, and a cut
#   upload resumes (also across a restart)
# - limits and quotas (size, links, ttl; per session, per address, total)
# - the sweep removes expired drops; a restart keeps the key and the drops
# - a full disk (a small tmpfs; root only) refuses the upload with 507,
#   deletes only that upload, and what was stored stays whole
. "$(dirname "$0")/lib.sh"
DC="python3 $top/tests/tools/drop_client.py"

# (fetch -- RELAY TOKEN: a link token may start with "-", which is not an option)
# expect STATUS REASON-REGEX OUTPUT: drop_client's refusal said so.
expect() {
	grep -q "^status=$1\$" "$T/x.out" || fail "$3: want HTTP $1, got: $(cat "$T/x.out")"
	grep -Eq "$2" "$T/x.out" || fail "$3: the reason is not /$2/: $(cat "$T/x.out")"
}

# refused STATUS REASON-REGEX WHAT CMD...: CMD exits 2 with that status.
refused() {
	_s=$1 _r=$2 _w=$3
	shift 3
	rc=0
	"$@" >"$T/x.out" 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "$_w: drop_client exited $rc, want 2 (refused): $(cat "$T/x.out")"
	expect "$_s" "$_r" "$_w"
}

# grant_of NAME [SESSION]: a WELCOME's grant in $GRANT (master: the
# connection stays open, so the number stays live, until cleanup).
grant_of() {
	if [ $# = 1 ]; then
		$DC grant --hold 600 "$RELAY" >"$T/$1.grant" 2>&1 &
		pids="$pids $!"
		wait_for "$T/$1.grant" '^grant=' 10
	else
		$DC grant "$RELAY" "$2" >"$T/$1.grant" 2>&1 || fail "no WELCOME for $1"
	fi
	GRANT=$(sed -n 's/^grant=//p' "$T/$1.grant")
	SESS=$(sed -n 's/^session=//p' "$T/$1.grant")
}

flip() { # flip TEXT: the same text with its 10th character changed
	printf '%s' "$1" | awk '{ c = substr($0, 10, 1); r = (c == "0") ? "1" : "0";
	    print substr($0, 1, 9) r substr($0, 11) }'
}

head -c 700000 /dev/urandom >"$T/a.bin"
head -c 1500000 /dev/urandom >"$T/b.bin"
head -c 1000 /dev/urandom >"$T/small.bin"

# 0. No drop-dir: no grant, and /v1/drop/ is 404.
start_relay plain
grant_of plain0
[ -z "$GRANT" ] || fail "a relay without drop-dir sent a grant: $GRANT"
"$B/tools/drop_grant" "$RELAY" >"$T/link0.grant" 2>&1 || fail "drop_grant: $(cat "$T/link0.grant")"
grep -qx 'viewer_grant=' "$T/link0.grant" || fail "a link kept a grant nobody sent"
refused 404 'no file drop' "new at a relay without drop" \
    $DC upload "$RELAY" 00 "$T/small.bin"
kill "$RELAY_PID"

# The drop relay: small limits so that the quotas are reachable.
D=$T/drop
LIMITS="--drop-max-file 2M --drop-quota-session 3M --drop-quota-address 5M
    --drop-quota-total 6M --drop-max-ttl 100"
start_relay relay --drop-dir "$D" $LIMITS
[ "$(stat -c %a "$D")" = 700 ] || fail "drop-dir is mode $(stat -c %a "$D"), want 700"
[ "$(stat -c %a "$T/drop-key")" = 600 ] || fail "drop-key is not 0600"

# 1. Grants: a master's; a viewer of the same session gets none (its WELCOME
# comes before the code: knowing a number must not buy storage).
grant_of m1
MGRANT=$GRANT
M1=$SESS
[ ${#MGRANT} = 112 ] || fail "a master's grant is not 56 bytes: $MGRANT"
grant_of v1 "$M1"
[ -z "$GRANT" ] || fail "a viewer's WELCOME carried a grant: $GRANT"
VGRANT=$MGRANT
note "grants: master $M1 has one, its viewer none"
# The programs' link (net/link.c) keeps the grant as it came: the master's
# only. It uploads while its session is live, and no longer once the
# session is over (the grant names the session's room here).
"$B/tools/drop_grant" "$RELAY" 600 >"$T/link.grant" 2>&1 &
lpid=$!
pids="$pids $lpid"
wait_for "$T/link.grant" '^viewer_grant=' 10
grep -qx 'viewer_grant=' "$T/link.grant" ||
    fail "a viewer's link has a grant: $(cat "$T/link.grant")"
LGRANT=$(sed -n 's/^master_grant=//p' "$T/link.grant")
[ ${#LGRANT} = 112 ] || fail "a master's link kept no grant: $(cat "$T/link.grant")"
$DC upload "$RELAY" "$LGRANT" "$T/small.bin" --ttl 100 >"$T/up0.out" 2>&1 ||
    fail "upload with the grant a link kept: $(cat "$T/up0.out")"
kill "$lpid"
wait "$lpid" 2>/dev/null
sleep 0.3
refused 410 'grant revoked' "a grant of a session that ended" \
    $DC upload "$RELAY" "$LGRANT" "$T/small.bin" --ttl 100

# 2. Round trip, two links of one download each.
$DC upload "$RELAY" "$VGRANT" "$T/a.bin" --links 2 --downloads 1 --ttl 100 \
    >"$T/up1.out" 2>&1 || fail "upload: $(cat "$T/up1.out")"
L1=$(sed -n 's/^link=//p' "$T/up1.out" | sed -n 1p)
L2=$(sed -n 's/^link=//p' "$T/up1.out" | sed -n 2p)
ID1=$(sed -n 's/^id=//p' "$T/up1.out")
[ -n "$L2" ] || fail "done gave fewer than two links: $(cat "$T/up1.out")"
$DC fetch -- "$RELAY" "$L1" "$T/a1.out.bin" >"$T/f1.out" 2>&1 || fail "fetch: $(cat "$T/f1.out")"
cmp -s "$T/a.bin" "$T/a1.out.bin" || fail "the fetched blob differs"
[ -f "$D/$ID1.data" ] && [ -f "$D/$ID1.meta" ] || fail "no $ID1.data/.meta in drop-dir"
cmp -s "$T/a.bin" "$D/$ID1.data" || fail "the stored blob is not the uploaded bytes"
note "round trip of 700000 bytes: identical"

# 3. The link is spent; the other link still works.
refused 410 'used up' "a one-time link, the second time" \
    $DC fetch -- "$RELAY" "$L1" "$T/again.bin"
$DC fetch -- "$RELAY" "$L2" "$T/a2.out.bin" >"$T/f2.out" 2>&1 ||
    fail "second link: $(cat "$T/f2.out")"
cmp -s "$T/a.bin" "$T/a2.out.bin" || fail "the second link's blob differs"

# 4. Forged credentials.
refused 401 'invalid link' "a link with a changed byte" \
    $DC fetch -- "$RELAY" "$(flip "$L2")" "$T/forged.bin"
refused 401 'invalid link' "a truncated link" $DC fetch -- "$RELAY" "${L2%?????}" "$T/forged.bin"
refused 401 'invalid grant' "a grant with a changed byte" \
    $DC upload "$RELAY" "$(flip "$MGRANT")" "$T/small.bin"
refused 401 'no grant' "no grant" $DC request "$RELAY" POST \
    "/v1/drop/new?size=10&links=1&downloads=1&ttl=10"
GET=$(sed -n 's/^get=//p' "$T/f2.out")
refused 401 'invalid get secret' "another drop's get secret" $DC request "$RELAY" GET \
    "/v1/drop/get?id=$(flip "$ID1")&off=0" "X-Fernsicht-Get=$GET"
$DC request "$RELAY" GET "/v1/drop/get?id=$ID1&off=700000" "X-Fernsicht-Get=$GET" >"$T/x.out"
expect 200 . "a get at the end"
$DC request "$RELAY" GET "/v1/drop/get?id=$ID1&off=700001" "X-Fernsicht-Get=$GET" >"$T/x.out"
expect 416 'size=700000' "a get past the end"
note "forged link, grant and get secret: 401"

# 5. A cut upload resumes; a put at the wrong offset says where the relay is.
$DC upload "$RELAY" "$MGRANT" "$T/b.bin" --ttl 100 --part 100000 --stop-after 300000 \
    >"$T/up2.out" 2>&1 || fail "upload 2: $(cat "$T/up2.out")"
grep -q '^stopped have=300000' "$T/up2.out" || fail "upload 2 did not stop: $(cat "$T/up2.out")"
ID2=$(sed -n 's/^id=//p' "$T/up2.out")
PUT2=$(sed -n 's/^put=//p' "$T/up2.out")
$DC request "$RELAY" POST "/v1/drop/put?id=$ID2&off=100000" "X-Fernsicht-Put=$PUT2" \
    --body-file "$T/small.bin" >"$T/x.out"
expect 409 '^have=300000$' "a put at an old offset"
refused 401 'invalid put secret' "another put secret" $DC request "$RELAY" POST \
    "/v1/drop/done?id=$ID2" "X-Fernsicht-Put=$(flip "$PUT2")"
$DC request "$RELAY" POST "/v1/drop/done?id=$ID2" "X-Fernsicht-Put=$PUT2" >"$T/x.out"
expect 409 '^have=300000$' "done before all bytes are there"
[ -f "$D/$ID2.part" ] || fail "no $ID2.part while it is uploaded"

# 6. Limits.
refused 413 'too large' "a file over drop-max-file" $DC request "$RELAY" POST \
    "/v1/drop/new?size=$((2 * 1048576 + 1))&links=1&downloads=1&ttl=10" \
    "X-Fernsicht-Grant=$MGRANT"
refused 400 'links' "17 links" $DC request "$RELAY" POST \
    "/v1/drop/new?size=10&links=17&downloads=1&ttl=10" "X-Fernsicht-Grant=$MGRANT"
refused 400 'downloads' "101 downloads" $DC request "$RELAY" POST \
    "/v1/drop/new?size=10&links=1&downloads=101&ttl=10" "X-Fernsicht-Grant=$MGRANT"
refused 400 'ttl' "a ttl over drop-max-ttl" $DC request "$RELAY" POST \
    "/v1/drop/new?size=10&links=1&downloads=1&ttl=101" "X-Fernsicht-Grant=$MGRANT"
refused 400 'size' "size 0" $DC request "$RELAY" POST \
    "/v1/drop/new?size=0&links=1&downloads=1&ttl=10" "X-Fernsicht-Grant=$MGRANT"
$DC request "$RELAY" POST "/v1/drop/new?size=500&links=1&downloads=1&ttl=10" \
    "X-Fernsicht-Grant=$MGRANT" >"$T/x.out"
expect 201 '^put=' "a drop of 500 bytes"
refused 413 'past the size' "a put past the size" $DC request "$RELAY" POST \
    "/v1/drop/put?id=$(sed -n 's/^id=//p' "$T/x.out")&off=0" \
    "X-Fernsicht-Put=$(sed -n 's/^put=//p' "$T/x.out")" --body-file "$T/small.bin"

# 7. Quotas. Session M1 holds 0.7 MB (a.bin) + 1.5 MB (b.bin, reserved):
# 2.2 of 3 MB; another 1 MB is over.
new() { # new GRANT SIZE: a bare reservation
	$DC request "$RELAY" POST "/v1/drop/new?size=$2&links=1&downloads=1&ttl=100" \
	    "X-Fernsicht-Grant=$1" >"$T/x.out"
}
new "$MGRANT" 1000000
expect 429 'session' "over the session's quota"
# Address 127.0.0.1: 2.2 MB so far of 5; sessions of their own take 2 + 0.7 more.
grant_of m2
new "$GRANT" 2000000
expect 201 '^id=' "a second session's reservation"
grant_of m3
new "$GRANT" 700000
expect 201 '^id=' "a third session's reservation"
new "$GRANT" 400000
expect 429 'address' "over the address's quota (4.9 + 0.4 of 5 MiB)"
note "quotas: session and address refused with 429"

# 8. Expiry: a link of a drop with ttl 1 is 410; the sweep removes it.
$DC upload "$RELAY" "$GRANT" "$T/small.bin" --ttl 1 >"$T/up3.out" 2>&1 ||
    fail "upload 3: $(cat "$T/up3.out")"
ID3=$(sed -n 's/^id=//p' "$T/up3.out")
L3=$(sed -n 's/^link=//p' "$T/up3.out")
sleep 1.2
refused 410 'expired' "an expired link" $DC fetch -- "$RELAY" "$L3" "$T/late.bin"
i=0
while [ -e "$D/$ID3.data" ] || [ -e "$D/$ID3.meta" ]; do
	i=$((i + 1)); [ $i -lt 60 ] || fail "the sweep left the expired $ID3"
	sleep 0.05
done
grep -q "drop $ID3: expired, removed" "$T/relay.log" || fail "no log line for the sweep"
note "expired link: 410, swept"

# 9. A restart keeps the key, the drops and the cut upload; the total
# quota now is below what is stored.
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10
start_relay relay2 --drop-dir "$D" $LIMITS --drop-quota-total 4M
# the sessions before the restart are gone here, and so are their grants
refused 410 'grant revoked' "a grant from before the restart" \
    $DC upload "$RELAY" "$MGRANT" "$T/small.bin" --ttl 100
grant_of m9
MGRANT=$GRANT
$DC resume "$RELAY" "$ID2" "$PUT2" "$T/b.bin" >"$T/up2b.out" 2>&1 ||
    fail "resume after a restart: $(cat "$T/up2b.out")"
grep -q '^have=300000' "$T/up2b.out" || fail "the resume did not start at 300000"
L4=$(sed -n 's/^link=//p' "$T/up2b.out")
$DC fetch -- "$RELAY" "$L4" "$T/b.out.bin" >"$T/f4.out" 2>&1 || fail "fetch b: $(cat "$T/f4.out")"
cmp -s "$T/b.bin" "$T/b.out.bin" || fail "the resumed upload differs"
refused 410 'used up' "a link spent before the restart" $DC fetch -- "$RELAY" "$L2" "$T/x.bin"
new "$MGRANT" 1
expect 507 'storage is full' "over the total quota"
note "restart: resumed upload identical, spent link stays spent, total quota 507"

# 10. HTTPS: the same requests inside TLS.
sh "$top/tests/tools/mkcert.sh" "$T/pki" >"$T/mkcert.log" 2>&1 || fail "mkcert.sh failed"
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10
start_relay relay3 --drop-dir "$D" --tls-cert "$T/pki/chain.pem" --tls-key "$T/pki/server.key"
grant_of m4
$DC --tls upload "$RELAY" "$GRANT" "$T/a.bin" >"$T/up5.out" 2>&1 ||
    fail "upload over https: $(cat "$T/up5.out")"
$DC --tls fetch "$RELAY" "$(sed -n 's/^link=//p' "$T/up5.out")" "$T/a5.bin" >"$T/f5.out" 2>&1 ||
    fail "fetch over https: $(cat "$T/f5.out")"
cmp -s "$T/a.bin" "$T/a5.bin" || fail "the blob fetched over https differs"
note "https round trip: identical"
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10

# 11. A full disk (root: a tmpfs of 72 MiB; uploads must leave 64 MiB free).
if [ "$(id -u)" != 0 ]; then
	note "SKIP disk full: needs root to mount a small tmpfs (CI runs as root)"
	exit 0
fi
mnt=$T/fs
mkdir -p "$mnt"
mount -t tmpfs -o size=72m fernsicht-drop-test "$mnt" || fail "cannot mount a tmpfs on $mnt"
fs_cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || echo "  cannot unmount $mnt"
	cleanup
}
trap fs_cleanup EXIT
head -c 4000000 /dev/urandom >"$T/c.bin"
start_relay full --drop-dir "$mnt/drop"
grant_of m5
$DC upload "$RELAY" "$GRANT" "$T/a.bin" --downloads 3 >"$T/up6.out" 2>&1 ||
    fail "upload before the disk fills: $(cat "$T/up6.out")"
L6=$(sed -n 's/^link=//p' "$T/up6.out")
ID6=$(sed -n 's/^id=//p' "$T/up6.out")
$DC upload "$RELAY" "$GRANT" "$T/c.bin" --stop-after 1000000 >"$T/up7.out" 2>&1 ||
    fail "upload c: $(cat "$T/up7.out")"
ID7=$(sed -n 's/^id=//p' "$T/up7.out")
PUT7=$(sed -n 's/^put=//p' "$T/up7.out")
# fill what is left but about 1 MB: the other 3 MB of c.bin cannot fit
avail=$(df -k --output=avail "$mnt" | tail -1)
head -c $(( (avail - 1024) * 1024 )) /dev/zero >"$mnt/filler" 2>/dev/null || true
refused 507 'disk is full.*deleted' "an upload that meets a full disk" \
    $DC resume "$RELAY" "$ID7" "$PUT7" "$T/c.bin"
grep -q "drop-dir $mnt/drop: disk full .*upload $ID7 deleted" "$T/full.log" ||
    fail "no clear log line for the full disk"
[ -e "$mnt/drop/$ID7.part" ] && fail "the partial upload is still there"
[ -e "$mnt/drop/$ID7.meta" ] && fail "the partial upload's meta is still there"
cmp -s "$T/a.bin" "$mnt/drop/$ID6.data" || fail "a stored blob changed on a full disk"
# a new upload now: refused before any byte, by the free-space check
new "$GRANT" 1000
expect 507 'disk is full' "a new upload on a full disk"
$DC fetch -- "$RELAY" "$L6" "$T/a6.bin" >"$T/f6.out" 2>&1 ||
    fail "fetch on a full disk: $(cat "$T/f6.out")"
cmp -s "$T/a.bin" "$T/a6.bin" || fail "the stored blob fetched on a full disk differs"
rm -f "$mnt/filler"
$DC fetch -- "$RELAY" "$L6" "$T/a7.bin" >"$T/f7.out" 2>&1 || fail "fetch after: $(cat "$T/f7.out")"
cmp -s "$T/a.bin" "$T/a7.bin" || fail "the stored blob differs after the disk emptied"
note "full disk: 507, partial upload deleted, stored blob whole"
