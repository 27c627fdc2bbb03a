# t_relay_list: --relay with several relays, and a relay's REDIRECT.
#
#   list      --relay DOWN,R (nothing listens on DOWN): master and viewer
#             reach R, the viewer says once why DOWN failed; R is
#             remembered for this list and network and tried first next
#             time.
#   redirect  tests/tools/redirect_relay.py, a stand-in for a cluster's
#             relay that does not hold the session, answers HELLO with
#             REDIRECT: the viewer follows it once with the same HELLO;
#             a redirect to a redirect is an error, and so is a target
#             nobody listens on; a proxy that will not CONNECT to the
#             target is named as the reason.
#   dns       in a network namespace whose /etc/hosts gives localhost two
#             addresses (127.0.0.2: nothing; 127.0.0.3: the relay), the
#             name counts as two relays: TLS still checks the name, and
#             the address that answered is remembered.
. "$(dirname "$0")/lib.sh"

for c in tinyproxy ip; do
	command -v $c >/dev/null || fail "$c is not installed (make deps)"
done
export XDG_CACHE_HOME="$T/cache"       # the remembered relays stay in this test
STATE=$XDG_CACHE_HOME/fernsicht/transport
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
NS=fsl$$
net_cleanup() {
	ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "/etc/netns/$NS"
	rmdir /etc/netns 2>/dev/null || true
}
trap 'cleanup; net_cleanup' EXIT

sh "$top/tests/tools/mkcert.sh" "$T/pki" >"$T/mkcert.log" 2>&1 || fail "mkcert.sh failed"
P=$T/pki

# view NAME RELAY [ARGS...]: one viewer of $SESSION to its end (2 frames);
# exit code in $rc, its "closed reason" in $why.
view() {
	_n=$1; _r=$2; shift 2
	"$B/fernsicht-viewer" --relay "$_r" "$SESSION" --code "$(latest_code host)" --headless \
	    --name "$_n" --frames 2 "$@" >"$T/$_n.out" 2>"$T/$_n.log" &
	_p=$!
	pids="$pids $_p"
	wait_exit $_p 30
	why=$(sed -n 's/^closed reason="\(.*\)"$/\1/p' "$T/$_n.out" | tail -1)
}

# stand_in NAME TO [ARGS...]: a redirect_relay.py sending to TO; sets STAND_IN.
stand_in() {
	_n=$1; _to=$2; shift 2
	python3 "$top/tests/tools/redirect_relay.py" --to "$_to" --hellos "$T/$_n.hellos" "$@" \
	    >"$T/$_n.out" 2>"$T/$_n.log" &
	pids="$pids $!"
	wait_for "$T/$_n.out" '^listening=' 10
	STAND_IN=$(sed -n 's/^listening=//p' "$T/$_n.out")
}

# --- list: the first relay is down --------------------------------------
start_relay relay --tls-cert "$P/chain.pem" --tls-key "$P/server.key"
DOWN=127.0.0.1:$(free_port)
# (the master remembers in a cache of its own: the viewers' first start
# must not find what it remembered)
XDG_CACHE_HOME=$T/master-cache
start_master host "$DOWN,$RELAY" --auto-accept --fps 5
XDG_CACHE_HOME=$T/cache
grep -q "connected to relay $RELAY: session" "$T/host.log" ||
    fail "the master does not say which relay of the list it reached"
view v1 "$DOWN, $RELAY"
[ "$rc" = 0 ] || fail "list with the first relay down: viewer exit $rc ($why)"
[ "$(count "$T/v1.log" "relay $DOWN: transport tcp")" = 1 ] ||
    fail "the failed relay was not logged exactly once"
grep -q "net=[^ ]* relays=$DOWN,$RELAY first=$RELAY\$" "$STATE" ||
    fail "the relay that answered was not remembered: $(cat "$STATE" 2>/dev/null)"
view v2 "$DOWN,$RELAY" --log-level debug
[ "$rc" = 0 ] || fail "second viewer with the list: exit $rc ($why)"
first=$(sed -n 's/.*relay \(.*\): trying .*/\1/p' "$T/v2.log" | head -1)
[ "$first" = "$RELAY" ] || fail "the remembered relay was not tried first (but $first)"
note "list: $DOWN down, $RELAY reached and remembered, tried first the next time"

# --- redirect ----------------------------------------------------------
stand_in s1 "$RELAY"
S1=$STAND_IN
view v3 "$S1"
[ "$rc" = 0 ] || fail "redirect: viewer exit $rc ($why)"
grep -q "relay $S1: session $SESSION is on $RELAY" "$T/v3.log" || fail "the redirect was not logged"
grep -q "^hello role=2 session=$(expr "$SESSION" + 0) name=v3 ticket=no\$" "$T/s1.hellos" ||
    fail "the stand-in did not get the viewer's HELLO: $(cat "$T/s1.hellos")"
[ "$(count "$T/s1.hellos" .)" = 1 ] || fail "the viewer asked the redirecting relay twice"

stand_in s2 "$S1"
view v4 "$STAND_IN"
[ "$rc" = 2 ] || fail "redirect to a redirect: viewer exit $rc, want 2 ($why)"
case $why in *"redirected twice ($S1 sent us on to $RELAY)"*) ;;
*) fail "redirect to a redirect: reason '$why'" ;; esac
twice=$why
[ "$(count "$T/s1.hellos" 'name=v4')" = 1 ] || fail "the second relay did not get the same HELLO"

stand_in s3 "$DOWN"
view v5 "$STAND_IN"
[ "$rc" = 2 ] || fail "redirect to nobody: viewer exit $rc, want 2 ($why)"
case $why in *"the relay that holds the session ($DOWN) cannot be reached"*) ;;
*) fail "redirect to nobody: reason '$why'" ;; esac
note "redirect: followed once; twice: '$twice'; to nobody: '$why'"

# A proxy that allows CONNECT to the stand-in's port only: the redirect
# goes through the same proxy, which refuses the relay it names.
stand_in s4 "localhost:${RELAY##*:}" --tls "$P/chain.pem" "$P/server.key"
S4_PORT=${STAND_IN##*:}
TP_PORT=$(free_port)
cat >"$T/tinyproxy.conf" <<EOF
Port $TP_PORT
Listen 127.0.0.1
Timeout 30
LogLevel Info
MaxClients 10
Allow 127.0.0.1
ConnectPort $S4_PORT
EOF
tinyproxy -d -c "$T/tinyproxy.conf" >"$T/tinyproxy.log" 2>&1 &
pids="$pids $!"
_i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $TP_PORT), 0.2)" \
    2>/dev/null; do
	_i=$((_i + 1)); [ $_i -lt 200 ] || fail "tinyproxy did not start"; sleep 0.05
done
view v6 "localhost:$S4_PORT" --transport proxy --proxy "http://127.0.0.1:$TP_PORT" \
    --ca-file "$P/ca.pem"
[ "$rc" = 2 ] || fail "redirect through a refusing proxy: viewer exit $rc, want 2 ($why)"
grep -q 'name=v6' "$T/s4.hellos" || fail "the proxy tier did not reach the stand-in over TLS"
case $why in
*"the proxy does not allow the relay that holds the session (localhost:${RELAY##*:})"*) ;;
*) fail "redirect through a refusing proxy: reason '$why'" ;; esac
note "redirect through a proxy that refuses the target: '$why'"

# --- dns: one name, two addresses ----------------------------------------
ip netns add "$NS" || fail "cannot create a network namespace"
mkdir -p "/etc/netns/$NS"
printf '127.0.0.2 localhost\n127.0.0.3 localhost\n' >"/etc/netns/$NS/hosts"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" "$B/fernsicht-relay" --listen 127.0.0.3:0 --state-dir "$T" \
    --tls-cert "$P/chain.pem" --tls-key "$P/server.key" >"$T/nsrelay.out" 2>"$T/nsrelay.log" &
pids="$pids $!"
wait_for "$T/nsrelay.out" '^listening=' 10
NSR=$(sed -n 's/^listening=//p' "$T/nsrelay.out")
mkfifo "$T/nshost.in"
ip netns exec "$NS" "$B/fernsicht-master" --relay "$NSR" --headless --source test-pattern \
    --name nshost --auto-accept --fps 5 <"$T/nshost.in" >"$T/nshost.out" 2>"$T/nshost.log" &
pids="$pids $!"
sleep 1000000 >"$T/nshost.in" &
pids="$pids $!"
wait_for "$T/nshost.out" '^session=' 10
# ns_view NAME: a viewer in the namespace, of localhost:PORT over tls.
ns_view() {
	line=$(grep '^session=' "$T/nshost.out" | tail -1)
	ip netns exec "$NS" "$B/fernsicht-viewer" --relay "localhost:${NSR##*:}" \
	    "$(echo "$line" | sed 's/session=\([0-9]*\) .*/\1/')" \
	    --code "$(echo "$line" | sed 's/.*code=\([0-9]*\).*/\1/')" --headless --name "$1" \
	    --frames 2 --transport tls --ca-file "$P/ca.pem" --log-level debug \
	    >"$T/$1.out" 2>"$T/$1.log" &
	_p=$!
	pids="$pids $_p"
	wait_exit $_p 30
	[ "$rc" = 0 ] || fail "a name with two addresses ($1): viewer exit $rc"
}
ns_view v7
grep -q "relay localhost:${NSR##*:} (127.0.0.2): trying tls" "$T/v7.log" ||
    fail "the name's first address was not tried on its own"
grep -q "relay localhost:${NSR##*:} (127.0.0.3): trying tls" "$T/v7.log" ||
    fail "the name's second address was not tried on its own"
grep -q "relays=localhost:${NSR##*:} first=localhost:${NSR##*:}@127.0.0.3\$" "$STATE" ||
    fail "the address that answered was not remembered: $(cat "$STATE")"
ns_view v8
first=$(sed -n 's/.*relay \(.*\): trying .*/\1/p' "$T/v8.log" | head -1)
[ "$first" = "localhost:${NSR##*:} (127.0.0.3)" ] ||
    fail "the remembered address was not tried first (but $first)"
note "dns: localhost as 127.0.0.2 and 127.0.0.3, TLS checked the name, .3 remembered and first"
