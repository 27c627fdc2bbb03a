# A viewer the relay turns away at HELLO reports the relay's reason and
# exits 6, whatever the transport: the relay sends its ERROR and closes at
# once, so the ERROR and the end of the stream usually arrive in the same
# read, and the ERROR must win over "the relay closed the connection".
# NO_SESSION (a number nobody hosts), RATE (joins to unknown numbers past
# RELAY_UNKNOWN_JOIN_BURST) and FULL (--max-viewers 1 and one viewer
# watching), each over tcp, tls and http.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache"
sh "$top/tests/tools/mkcert.sh" "$T/pki" >"$T/mkcert.log" 2>&1 || fail "mkcert.sh failed"
P=$T/pki
TRANSPORTS="tcp tls http"
NO_SESSION='no such session'
RATE='too many attempts from this address'
FULL='session is full'
n=0

# refused TRANSPORT RELAY SESSION: one viewer, run to its end; its exit
# code in $rc, its "closed reason" in $why.
refused() {
	n=$((n + 1))
	_v=v$n-$1
	# localhost: the name in the test certificate
	timeout 20 "$B/fernsicht-viewer" --relay "localhost:${2##*:}" "$3" --code 123456 \
	    --headless --name "$_v" --transport "$1" --ca-file "$P/ca.pem" \
	    >"$T/$_v.out" 2>"$T/$_v.log"
	rc=$?
	why=$(sed -n 's/^closed reason="\(.*\)"$/\1/p' "$T/$_v.out" | tail -1)
}

# expect TRANSPORT WORDS: the last viewer exited 6 with the relay's words,
# on stdout and in its error line.
expect() {
	[ "$rc" = 6 ] || fail "$1, expecting '$2': viewer exit $rc ($why)"
	[ "$why" = "relay refused: $2" ] || fail "$1: reason '$why', not the relay's '$2'"
	grep -q "error: relay refused: $2" "$T/$_v.log" || fail "$1: no error line with '$2'"
}

# NO_SESSION: a number nobody hosts, once per transport (three misses: the
# relay's whole allowance of unknown joins)
start_relay relay --tls-cert "$P/chain.pem" --tls-key "$P/server.key"
for tr in $TRANSPORTS; do
	refused "$tr" "$RELAY" 54321
	expect "$tr" "$NO_SESSION"
done
# RATE: further misses from this address are turned away for their rate.
# A token comes back every 10 s (a slow machine may see one more miss).
for tr in $TRANSPORTS $TRANSPORTS; do
	refused "$tr" "$RELAY" 54321
	[ "$why" = "relay refused: $NO_SESSION" ] && [ "$rc" = 6 ] && refused "$tr" "$RELAY" 54321
	expect "$tr" "$RATE"
done
kill -0 "$RELAY_PID" || fail "relay died"

# FULL: one verified viewer (the master sent it frames) fills a session of
# --max-viewers 1; every further join is refused as full.
start_relay full --tls-cert "$P/chain.pem" --tls-key "$P/server.key" --max-viewers 1
start_master host "$RELAY" --auto-accept --transport tcp --fps 5
start_viewer watcher "$RELAY" "$SESSION" "$CODE" --transport tcp
wait_for "$T/watcher.out" '^frame ' 20
for tr in $TRANSPORTS $TRANSPORTS; do
	refused "$tr" "$RELAY" "$SESSION"
	expect "$tr" "$FULL"
done
kill -0 "$VIEWER_PID" || fail "the watching viewer ended"
kill -0 "$RELAY_PID" || fail "relay died"
note "NO_SESSION, RATE and FULL over $TRANSPORTS: exit 6 with the relay's reason ($n viewers)"
