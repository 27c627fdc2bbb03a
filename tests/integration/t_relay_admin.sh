# The relay's admin listener: every endpoint with a good signature, a bad
# one, a stale time, a replayed nonce, the wrong scope, an unknown key and
# none (tests/integration/admin_req.py signs on its own, in Python);
# /metrics passes promtool and its counters move with a real session (tcp
# and http viewers, a wrong code), which the API lists and ends;
# fernsicht-relayctl for each command; tokens issued, listed, revoked; a
# key removed from the file (SIGHUP) no longer signs; a keys file others
# may read stops the relay; admin-metrics-open serves only /metrics and
# /healthz unsigned; over HTTPS with admin-client-ca a client without a
# certificate, or with one from another CA, is refused and one with a
# good certificate served; POST drain drains.
. "$(dirname "$0")/lib.sh"
command -v promtool >/dev/null || fail "promtool is not installed (make deps: prometheus)"
CTL=$B/fernsicht-relayctl
REQ="python3 $top/tests/integration/admin_req.py"
hex32() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
S_OPS=$(hex32)
S_MON=$(hex32)
printf '# test keys\nops act %s\nmon read %s\n' "$S_OPS" "$S_MON" >"$T/admin.keys"
chmod 600 "$T/admin.keys"
printf 'ops %s\n' "$S_OPS" >"$T/ops.key"
printf 'mon %s\n' "$S_MON" >"$T/mon.key"
printf 'old %s\n' "$(hex32)" >"$T/old.key"
chmod 600 "$T/ops.key" "$T/mon.key" "$T/old.key"

# start_admin NAME ARGS...: a relay with an admin listener; sets ADMIN.
start_admin() {
	_an=$1; shift
	start_relay "$_an" --admin-listen 127.0.0.1:0 "$@"
	wait_for "$T/$_an.out" '^admin-listening=' 10
	ADMIN=$(sed -n 's/^admin-listening=//p' "$T/$_an.out" | head -1)
}
# expect: cases "WANT CASE KEY METHOD PATH" on stdin, all in one admin_req.py
expect() {
	$REQ "$ADMIN" "$T" >"$T/req.out" 2>&1 || fail "admin_req: $(grep -v '^ok' "$T/req.out")"
	cat "$T/req.out" >>"$T/req.log"
}

start_admin relay --admin-keys-file "$T/admin.keys" --drain-deadline 3

# a refusal is logged with its reason (rate-limited: these come first)
printf '401 badsig mon GET /metrics\n403 good mon POST /v1/admin/drain\n' | expect
grep -q 'refused: bad signature (key mon)' "$T/relay.log" || fail "no log line for a bad signature"
grep -q 'refused: key mon has the read scope only' "$T/relay.log" || fail "no log line for scope"

# every endpoint: good (a 404 for a session that is not there still means
# the signature passed), then each way of being refused
for ep in "GET /metrics 200" "GET /healthz 200" "GET /v1/admin/sessions 200" \
    "POST /v1/admin/sessions/54321/end 404" "POST /v1/admin/numbers/54321/retire 200"; do
	set -- $ep
	m=$1 p=$2 good=$3
	if [ "$m" = GET ]; then k=mon; else k=ops; fi
	for c in "$good good $k" "401 badsig $k" "401 stale $k" "401 future $k" \
	    "401 unsigned $k" "401 badnonce $k" "401 good old" "$good replay $k"; do
		echo "$c $m $p"
	done
	[ "$m" = POST ] && echo "403 good mon $m $p"
done >"$T/cases"
cat >>"$T/cases" <<END
403 good mon POST /v1/admin/drain
401 good old POST /v1/admin/drain
404 good mon GET /v1/admin/nothing
405 good ops GET /v1/admin/drain
401 unsigned mon GET /v1/admin/nothing
END
expect <"$T/cases"
[ "$(grep -c '^ok' "$T/req.out")" = 47 ] || fail "admin_req: not 47 cases: $(cat "$T/req.out")"

# metrics: promtool, and the counters move with a real session
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" metrics >"$T/m0.txt" || fail "relayctl metrics"
promtool check metrics <"$T/m0.txt" >"$T/promtool0.log" 2>&1 ||
	fail "promtool: $(cat "$T/promtool0.log")"
metric() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
[ "$(metric "$T/m0.txt" fernsicht_relay_sessions)" = 0 ] || fail "sessions before any"
start_master host "$RELAY" --auto-accept --fps 10
start_viewer v "$RELAY" "$SESSION" "$CODE"
vpid=$VIEWER_PID
wait_for "$T/v.out" '^frame n=5 ' 30
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" metrics >"$T/m1.txt" || fail "metrics"
promtool check metrics <"$T/m1.txt" >"$T/promtool1.log" 2>&1 ||
	fail "promtool with a session: $(cat "$T/promtool1.log")"
[ "$(metric "$T/m1.txt" fernsicht_relay_sessions)" = 1 ] || fail "sessions: not 1"
[ "$(metric "$T/m1.txt" fernsicht_relay_viewers)" = 1 ] || fail "viewers: not 1"
[ "$(metric "$T/m1.txt" fernsicht_relay_sessions_started_total)" = 1 ] || fail "sessions_started"
[ "$(metric "$T/m1.txt" fernsicht_relay_joins_total)" = 1 ] || fail "joins_total: not 1"
tv=$(metric "$T/m1.txt" 'fernsicht_relay_data_bytes_total{direction="to_viewer",tier="tcp"}')
tm=$(metric "$T/m1.txt" 'fernsicht_relay_data_bytes_total{direction="to_master",tier="tcp"}')
[ "${tv:-0}" -gt 10000 ] || fail "bytes to the viewer: ${tv:-none}"
[ "${tm:-0}" -gt 0 ] || fail "bytes to the master: ${tm:-none}"
[ "$(metric "$T/m1.txt" 'fernsicht_relay_connections_total{tier="tcp"}')" -ge 2 ] ||
	fail "tcp connections"
sleep 1
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" metrics >"$T/m2.txt" || fail "metrics"
tv2=$(metric "$T/m2.txt" 'fernsicht_relay_data_bytes_total{direction="to_viewer",tier="tcp"}')
[ "$tv2" -gt "$tv" ] || fail "bytes to the viewer did not grow: $tv -> $tv2"

# a wrong code: the master's clear HS_ABORT is the one thing of the
# handshake the relay can count
bad=$(echo "$CODE" | sed 's/.$//')$(( (${CODE#?????} + 1) % 10 ))
start_viewer w "$RELAY" "$SESSION" "$bad" --frames 1
wait_exit "$VIEWER_PID" 30
[ "$rc" = 3 ] || fail "wrong code: viewer exit $rc, want 3"
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" metrics >"$T/m2b.txt" || fail "metrics"
[ "$(metric "$T/m2b.txt" 'fernsicht_relay_hs_aborts_total{reason="confirm"}')" -ge 1 ] ||
	fail "hs_aborts{confirm}: $(grep hs_aborts "$T/m2b.txt")"
[ "$(metric "$T/m2b.txt" fernsicht_relay_joins_total)" = 2 ] || fail "joins_total: not 2"
# a viewer over the http long-poll tunnel counts in its tier
start_viewer h "$RELAY" "$SESSION" "$(latest_code host)" --frames 5 --transport http
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "viewer over http: exit $rc"
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" metrics >"$T/m2c.txt" || fail "metrics"
th=$(metric "$T/m2c.txt" 'fernsicht_relay_data_bytes_total{direction="to_viewer",tier="http"}')
[ "${th:-0}" -gt 1000 ] || fail "bytes to the http viewer: ${th:-none}"
[ "$(metric "$T/m2c.txt" 'fernsicht_relay_connections_total{tier="http"}')" -ge 1 ] ||
	fail "http connections"

# the session list, and ending it
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" sessions >"$T/sessions.json" ||
	fail "relayctl sessions"
python3 - "$T/sessions.json" "$SESSION" <<'PY' || fail "sessions: $(cat "$T/sessions.json")"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sessions"]
assert len(s) == 1 and s[0]["number"] == int(sys.argv[2]), s
assert s[0]["viewers"] == 1 and s[0]["bytes_to_viewers"] > 10000 and s[0]["age_s"] >= 0, s
assert s[0]["master"]["tier"] == "tcp" and s[0]["master"]["peer"].startswith("127.0.0.1:"), s
v = s[0]["viewer_peers"]
assert len(v) == 1 and v[0]["slot"] >= 1 and v[0]["verified"] is True, v
PY
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" end "$SESSION" 2>"$T/end-mon.err" &&
	fail "a read key ended a session"
grep -q '403' "$T/end-mon.err" || fail "end with a read key: $(cat "$T/end-mon.err")"
$CTL --url "http://$ADMIN" --key-file "$T/ops.key" end "$SESSION" >"$T/end.json" ||
	fail "relayctl end"
grep -q "\"ended\":$SESSION" "$T/end.json" || fail "end: $(cat "$T/end.json")"
wait_exit "$vpid" 20
grep -qi 'ended' "$T/v.out" || fail "the viewer was not told the session ended"
# (the master may already be back with a new number: only the old one must be gone)
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" sessions >"$T/sessions2.json" ||
	fail "relayctl sessions after end"
grep -q "\"number\":$SESSION," "$T/sessions2.json" && fail "session $SESSION still listed after end"
$CTL --url "http://$ADMIN" --key-file "$T/ops.key" end "$SESSION" 2>"$T/end2.err" &&
	fail "ended twice"
$CTL --url "http://$ADMIN" --key-file "$T/ops.key" retire 55555 | grep -q '"retired":55555' ||
	fail "relayctl retire"
$CTL --url "http://$ADMIN" --key-file "$T/ops.key" end 123 2>/dev/null && fail "end 123 accepted"
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" health | grep -q '^ok$' || fail "health"
$CTL --url "http://$ADMIN" health 2>/dev/null && fail "an unsigned health was served"
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" metrics >"$T/m3.txt" || fail "metrics"
[ "$(metric "$T/m3.txt" 'fernsicht_relay_refusals_total{reason="ended"}')" -ge 1 ] ||
	fail "refusals{ended} did not count the end"
[ "$(metric "$T/m3.txt" fernsicht_relay_admin_refused_total)" -ge 30 ] ||
	fail "admin_refused_total: $(metric "$T/m3.txt" fernsicht_relay_admin_refused_total)"

# A request read on its way, sent again after the relay restarted (its
# nonce cache is gone, its time still in the window): refused.
echo "200 capture mon GET /v1/admin/sessions" | $REQ "$ADMIN" "$T" >"$T/cap.out" 2>&1 ||
	fail "capture: $(cat "$T/cap.out")"

# session tokens through the API: issued, listed, revoked; read scope
# lists but does not issue; a relay without token-key-file says so
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10
sleep 1.1       # the capture's second is before the new relay's start
printf 'k1 %s\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$T/token.keys"
chmod 600 "$T/token.keys"
mkdir -p "$T/state"
start_admin relay2 --admin-keys-file "$T/admin.keys" --token-key-file "$T/token.keys" \
    --state-dir "$T/state"
echo "401 resend mon GET /v1/admin/sessions" | $REQ "$ADMIN" "$T" >"$T/resend.out" 2>&1 ||
	fail "a captured request passed after a restart: $(cat "$T/resend.out")"
$CTL --url "http://$ADMIN" --key-file "$T/ops.key" token-issue 'desk "7" \ east' 600 \
    >"$T/issue.json" || fail "relayctl token-issue"
TID=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' "$T/issue.json")
[ ${#TID} = 32 ] || fail "no token id: $(cat "$T/issue.json")"
grep -q '"token":"fst1\.' "$T/issue.json" || fail "no token: $(cat "$T/issue.json")"
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" token-issue mon 600 2>/dev/null &&
	fail "a read key issued a token"
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" tokens >"$T/tokens.json" ||
	fail "relayctl tokens"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tokens"]; \
    assert [x["name"] for x in t if x["id"]==sys.argv[2]]==["desk \"7\" \\ east"], t; \
    assert not t[0]["revoked"]' "$T/tokens.json" "$TID" || fail "the token list: $(cat "$T/tokens.json")"
grep -q "^$TID " "$T/state/tokens-issued" || fail "tokens-issued lacks the token"
$CTL --url "http://$ADMIN" --key-file "$T/ops.key" token-revoke "$TID" | grep -q revoked ||
	fail "relayctl token-revoke"
$CTL --url "http://$ADMIN" --key-file "$T/ops.key" token-revoke \
    0123456789abcdef0123456789abcdef 2>/dev/null && fail "revoked a token never issued"
$CTL --url "http://$ADMIN" --key-file "$T/mon.key" tokens | grep -q '"revoked":true' ||
	fail "the revoked token is not listed as revoked"
grep -q "^$TID " "$T/state/tokens-revoked" || fail "tokens-revoked lacks the token"
note "tokens: issued, listed (read scope), revoked through the API; read cannot issue"

# a key removed from the file: after SIGHUP it signs nothing, and the
# connections and the other key go on
printf 'ops act %s\n' "$S_OPS" >"$T/admin.keys"
kill -HUP "$RELAY_PID"
wait_for "$T/relay2.log" 'reload done' 10
printf '401 good mon GET /metrics\n200 good ops GET /metrics\n' | expect
grep -q 'refused: unknown key' "$T/relay2.log" || fail "no log line for an unknown key"
# a keys file made unreadable for others' sake but broken: the reload is
# refused and the running keys stay
printf 'ops act nothex\n' >"$T/admin.keys"
kill -HUP "$RELAY_PID"
wait_for "$T/relay2.log" 'reload refused' 10
printf '200 good ops GET /metrics\n' | expect
printf 'ops act %s\n' "$S_OPS" >"$T/admin.keys"
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10

# a keys file that others may read: the relay does not start
chmod 644 "$T/admin.keys"
"$B/fernsicht-relay" --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
    --admin-keys-file "$T/admin.keys" >"$T/relay3.out" 2>"$T/relay3.log" &
p3=$!
pids="$pids $p3"
wait_exit "$p3" 10
[ "$rc" != 0 ] || fail "a keys file others may read was taken"
grep -q 'others may read' "$T/relay3.log" ||
	fail "no reason for the keys file: $(cat "$T/relay3.log")"
chmod 600 "$T/admin.keys"

# admin-metrics-open: /metrics and /healthz unsigned, the API still not
# (with a file drop: its metrics pass promtool too)
mkdir -p "$T/drops"
start_admin relay4 --admin-keys-file "$T/admin.keys" --admin-metrics-open yes \
    --drop-dir "$T/drops"
$CTL --url "http://$ADMIN" metrics >"$T/m4.txt" || fail "open metrics"
promtool check metrics <"$T/m4.txt" >/dev/null 2>&1 || fail "promtool, open metrics"
grep -q '^fernsicht_relay_drop_refusals_total{reason="disk_full"} 0$' "$T/m4.txt" ||
	fail "no drop metrics with a drop-dir"
$CTL --url "http://$ADMIN" health | grep -q '^ok$' || fail "open health"
echo '401 unsigned ops GET /v1/admin/sessions' | expect
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10

# HTTPS with client certificates
sh "$top/tests/tools/mkcert.sh" "$T/pki" >"$T/mkcert.log" 2>&1 || fail "mkcert.sh failed"
P=$T/pki
client_cert() { # NAME CA
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$P/$1.key" 2>/dev/null
	openssl req -new -key "$P/$1.key" -subj "/CN=$1" -out "$P/$1.csr" 2>/dev/null
	printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n' >"$P/client.ext"
	openssl x509 -req -in "$P/$1.csr" -CA "$P/$2.pem" -CAkey "$P/$2.key" -CAcreateserial \
	    -days 2 -extfile "$P/client.ext" -out "$P/$1.pem" 2>/dev/null
}
client_cert ops-client ca
client_cert stranger other-ca
start_admin relay5 --admin-keys-file "$T/admin.keys" --admin-tls-cert "$P/chain.pem" \
    --admin-tls-key "$P/server.key" --admin-client-ca "$P/ca.pem" --drain-deadline 3
U=https://localhost:${ADMIN##*:}
$CTL --url "$U" --cacert "$P/ca.pem" --key-file "$T/ops.key" health 2>"$T/nocert.err" &&
	fail "HTTPS admin without a client certificate was served"
$CTL --url "$U" --cacert "$P/ca.pem" --cert "$P/stranger.pem" --key "$P/stranger.key" \
    --key-file "$T/ops.key" health 2>"$T/stranger.err" &&
	fail "a client certificate from another CA was accepted"
$CTL --url "$U" --cacert "$P/ca.pem" --cert "$P/ops-client.pem" --key "$P/ops-client.key" \
    --key-file "$T/ops.key" health >"$T/mtls.out" 2>"$T/mtls.err" ||
	fail "mTLS with a good certificate: $(cat "$T/mtls.err")"
grep -q '^ok$' "$T/mtls.out" || fail "mTLS health: $(cat "$T/mtls.out")"
grep -q 'TLS handshake: .*peer did not return a certificate' "$T/relay5.log" ||
	fail "no log line for the missing client certificate"
grep -q 'TLS handshake: .*certificate verify failed' "$T/relay5.log" ||
	fail "no log line for the stranger's certificate"
$CTL --url "$U" --cacert "$P/ca.pem" --cert "$P/ops-client.pem" --key "$P/ops-client.key" \
    --key-file "$T/ops.key" metrics | promtool check metrics >/dev/null 2>&1 ||
	fail "metrics over mTLS"
# the signature is still needed inside TLS
$CTL --url "$U" --cacert "$P/ca.pem" --cert "$P/ops-client.pem" --key "$P/ops-client.key" \
    health 2>/dev/null && fail "mTLS without a signature was served"

# POST drain: health says draining, and with a session held the relay
# stops at its drain deadline
start_master host2 "$RELAY" --auto-accept
$CTL --url "$U" --cacert "$P/ca.pem" --cert "$P/ops-client.pem" --key "$P/ops-client.key" \
    --key-file "$T/ops.key" drain | grep -q '"draining":true,"already":false' || fail "drain"
$CTL --url "$U" --cacert "$P/ca.pem" --cert "$P/ops-client.pem" --key "$P/ops-client.key" \
    --key-file "$T/ops.key" health 2>"$T/drain-health.err" && fail "health while draining"
grep -q '503: draining' "$T/drain-health.err" || fail "health: $(cat "$T/drain-health.err")"
wait_exit "$RELAY_PID" 70
grep -q 'admin API: draining' "$T/relay5.log" || fail "no drain log line"
note "admin API: signatures, scopes, replays, keys, metrics (promtool), sessions, end," \
    "retire, mTLS, drain"
