# Session-creation tokens (docs/relay.md "Who may open sessions"). Open
# mode is as before. With --session-policy token the relay refuses a
# master that brings no token, an expired one, a revoked one (offline
# --revoke-token, then a restart), a forged one (one character changed)
# and one signed by a key the relay no longer has, each with ERROR TOKEN
# saying why, which the master reports before it exits 2. A good token in
# the master's settings file (never on its command line) opens a session a
# viewer joins without any token (the master over TLS); once the relay
# restarts with that token revoked, the master still gets its session
# back with its ticket.
. "$(dirname "$0")/lib.sh"
export XDG_CONFIG_HOME="$T/config" XDG_CACHE_HOME="$T/cache"
mkdir -p "$XDG_CONFIG_HOME/fernsicht"
CONF=$XDG_CONFIG_HOME/fernsicht/master.conf

# key FILE NAME...: a key file with these keys, in this order.
key() {
	_f=$1; shift
	: >"$_f"
	chmod 600 "$_f"
	for _k in "$@"; do
		printf '%s %s\n' "$_k" "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >>"$_f"
	done
}
key "$T/keys-old" k1
key "$T/keys" k2
cat "$T/keys-old" >>"$T/keys"           # k2 signs, k1 still verifies

# issue KEYFILE NAME TTL: sets TOKEN and ID.
issue() {
	"$B/fernsicht-relay" --config /dev/null --state-dir "$T" --token-key-file "$1" \
	    --issue-token "$2" --ttl "$3" >"$T/issue.out" 2>"$T/issue.log" ||
	    fail "--issue-token $2 failed: $(cat "$T/issue.log")"
	TOKEN=$(sed -n 's/^token=//p' "$T/issue.out")
	ID=$(sed -n 's/^id=//p' "$T/issue.out")
	case "$TOKEN" in fst1.*) ;; *) fail "--issue-token printed no token";; esac
}

# refused NAME WHY: a master with the token of its settings file (if any)
# is turned away with the relay's reason WHY, and exits 2.
n=0
refused() {
	n=$((n + 1))
	timeout 20 "$B/fernsicht-master" --relay "$RELAY" --headless --source test-pattern \
	    --name "$1" </dev/null >"$T/$1.out" 2>"$T/$1.log"
	rc=$?
	[ "$rc" = 2 ] || fail "master $1: exit $rc, not 2 (refused)"
	grep -q "error: This relay needs a session token ($2)" "$T/$1.log" ||
	    fail "master $1: no error line saying the token is $2"
	grep -q "^token-refused reason=$2" "$T/$1.out" || fail "master $1: no token-refused event"
	grep -q "^session=" "$T/$1.out" && fail "master $1 got a session"
	wait_for "$T/$RNAME.log" "master: session token $2" 5
}

# Open mode (the default): a master without a token, and one with a token
# the relay does not look at.
start_relay open
start_master plain "$RELAY" --once
issue "$T/keys" spare 600
printf 'token = %s\n' "$TOKEN" >"$CONF"
start_master tokened "$RELAY" --once
rm -f "$CONF"
note "open mode: masters with and without a token get sessions"
kill "$RELAY_PID"

RELAY_PORT=$(free_port)
export RELAY_PORT
RNAME=relay
start_relay relay --session-policy token --token-key-file "$T/keys"
grep -q "session-policy token" "$T/relay.log" || fail "the relay does not say it wants tokens"

refused none missing

issue "$T/keys" short 1
printf 'token = %s\n' "$TOKEN" >"$CONF"
sleep 2
refused expired expired

issue "$T/keys" forged 600
# a character in the middle changed: the MAC no longer holds
FORGED=$(printf '%s' "$TOKEN" | awk '{ c = substr($0, 40, 1); r = (c == "A") ? "B" : "A";
    print substr($0, 1, 39) r substr($0, 41) }')
[ "$FORGED" != "$TOKEN" ] || fail "the forged token is the same"
printf 'token = %s\n' "$FORGED" >"$CONF"
refused forged 'invalid: its signature does not match'

# k1 verifies now; a relay without it refuses what k1 signed
issue "$T/keys-old" old 600
OLD=$TOKEN
issue "$T/keys" doomed 600
DOOMED=$TOKEN
DOOMED_ID=$ID
issue "$T/keys" good 600
GOOD=$TOKEN
GOOD_ID=$ID
grep -q "^$GOOD_ID [0-9]* 1 good\$" "$T/tokens-issued" || fail "tokens-issued lacks the good token"
grep -q "${GOOD#fst1.}" "$T/tokens-issued" && fail "tokens-issued holds a token itself"
"$B/fernsicht-relay" --config /dev/null --state-dir "$T" --token-key-file "$T/keys" \
    --revoke-token "$DOOMED_ID" 2>"$T/revoke.log" || fail "--revoke-token failed"
"$B/fernsicht-relay" --config /dev/null --state-dir "$T" --token-key-file "$T/keys" \
    --revoke-token 0123456789abcdef0123456789abcdef 2>>"$T/revoke.log" &&
    fail "--revoke-token of an id never issued succeeded"
grep -q "no token with id 0123456789abcdef0123456789abcdef was issued here" "$T/revoke.log" ||
    fail "no clear error for an unknown id"
# a running relay takes the revocation at its next start
kill "$RELAY_PID"
wait "$RELAY_PID" 2>/dev/null
key "$T/keys-new" k3
cat "$T/keys" >>"$T/keys-new"
grep -v '^k1 ' "$T/keys-new" >"$T/keys-now"
chmod 600 "$T/keys-now"
sh "$top/tests/tools/mkcert.sh" "$T/pki" >"$T/mkcert.log" 2>&1 || fail "mkcert.sh failed"
TLS="--tls-cert $T/pki/chain.pem --tls-key $T/pki/server.key"
RNAME=relay1
start_relay relay1 --session-policy token --token-key-file "$T/keys-now" $TLS
printf 'token = %s\n' "$DOOMED" >"$CONF"
refused revoked revoked
printf 'token = %s\n' "$OLD" >"$CONF"
refused removed-key 'invalid: signed by a key this relay does not have'
note "token mode refuses $n masters: missing, expired, forged, revoked, removed key"

# the good token, from token-file; nothing of it on the command line
printf '%s\n' "$GOOD" >"$T/token"
chmod 600 "$T/token"
printf 'token-file = %s\n' "$T/token" >"$CONF"
# over TLS (localhost: the name in the test certificate)
start_master host "localhost:${RELAY##*:}" --auto-accept --transport tls \
    --ca-file "$T/pki/ca.pem" --fps 5
grep -q "transport tls in use" "$T/host.log" || fail "the master is not on TLS"
tr '\0' ' ' <"/proc/$MASTER_PID/cmdline" | grep -q 'fst1\.' &&
    fail "the token is on the command line"
start_viewer watcher "$RELAY" "$SESSION" "$CODE" --transport tcp
wait_for "$T/watcher.out" '^frame ' 20
grep -q "token" "$T/watcher.log" && fail "the viewer was asked about a token"
note "a good token opens session $SESSION; a viewer joined without one"

# revoke the good token and restart: the master resumes with its ticket
"$B/fernsicht-relay" --config /dev/null --state-dir "$T" --token-key-file "$T/keys-now" \
    --revoke-token "$GOOD_ID" 2>>"$T/revoke.log" || fail "--revoke-token good failed"
kill "$RELAY_PID"
wait "$RELAY_PID" 2>/dev/null
RNAME=relay2
start_relay relay2 --session-policy token --token-key-file "$T/keys-now" $TLS
wait_for "$T/host.log" "session $SESSION \(resumed\)" 30
kill -0 "$MASTER_PID" || fail "the master ended"
refused after-revoke revoked
note "after the good token was revoked, the live session resumed; a new one is refused"
