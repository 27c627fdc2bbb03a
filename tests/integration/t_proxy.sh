# t_proxy: the proxy tier (T2) through real proxies, and auto falling back
# to it from a network that reaches nothing but the proxy.
#
#   relay  127.0.0.1:R  raw frames and TLS on one port (it sniffs), with a
#          certificate from a test CA made here (tests/tools/mkcert.sh)
#   tinyproxy 10.200.7.1:TP  BasicAuth fern secret1, ConnectPort R
#   squid     10.200.7.1:SQ  basic_ncsa_auth (htpasswd -bc), SSL_ports R
#   namespace fsp$$: 10.200.7.2/30 on a veth to 10.200.7.1/30, no other
#          route: 127.0.0.1 in there is its own loopback, so the relay is
#          out of reach, the proxies are not.
# The master uses T0; viewers use T2 (right and wrong passwords), and from
# the namespace --transport auto must end up on the proxy tier.
. "$(dirname "$0")/lib.sh"

for c in tinyproxy squid htpasswd socat openssl ip; do
	command -v $c >/dev/null || fail "$c is not installed (make deps)"
done
[ -x /usr/lib/squid/basic_ncsa_auth ] || fail "squid's basic_ncsa_auth is missing"

NS=fsp$$
VA=fsp$$a
VB=fsp$$b
ADDR=10.200.7.1
export XDG_CACHE_HOME="$T/cache"      # the remembered tier stays in this test
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

net_cleanup() {
	ip netns del "$NS" 2>/dev/null || true
	ip link del "$VA" 2>/dev/null || true
}
trap 'cleanup; net_cleanup' EXIT

# free_port: a port nobody listens on right now (for daemons that cannot
# be told to pick one and say which).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port HOST PORT: until something accepts there.
wait_port() {
	_i=0
	until python3 -c "import socket,sys; socket.create_connection(('$1',$2),0.2)" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "nothing listens on $1:$2"
		sleep 0.05
	done
}

# The namespace and its veth first: the proxies listen on the root side.
ip netns add "$NS" || fail "cannot create a network namespace"
ip link add "$VA" type veth peer name "$VB" || fail "cannot create a veth pair"
ip link set "$VB" netns "$NS"
ip addr add "$ADDR/30" dev "$VA"
ip link set "$VA" up
ip netns exec "$NS" ip addr add 10.200.7.2/30 dev "$VB"
ip netns exec "$NS" ip link set "$VB" up
ip netns exec "$NS" ip link set lo up

sh "$top/tests/tools/mkcert.sh" "$T/certs" >/dev/null 2>&1 || fail "mkcert.sh"
cp "$T/certs/ca.pem" "$T/ca.pem"
cp "$T/certs/other-ca.pem" "$T/other.pem"
start_relay relay --tls-cert "$T/certs/server.pem" --tls-key "$T/certs/server.key"
start_master host "$RELAY" --auto-accept --transport tcp
TLS_RELAY=$RELAY
MOCK_PORT=${RELAY##*:}   # the relay's port: raw and TLS alike

# tinyproxy with Basic authentication.
TP_PORT=$(free_port)
cat >"$T/tinyproxy.conf" <<EOF
Port $TP_PORT
Listen $ADDR
Timeout 60
LogLevel Info
MaxClients 20
Allow 127.0.0.1
Allow 10.200.7.0/30
BasicAuth fern secret1
ConnectPort $MOCK_PORT
EOF
tinyproxy -d -c "$T/tinyproxy.conf" >"$T/tinyproxy.log" 2>&1 &
pids="$pids $!"
wait_port "$ADDR" "$TP_PORT"

# squid with basic_ncsa_auth; it drops to the proxy user, which needs its
# own directory for the logs.
SQ_PORT=$(free_port)
SQ=$T/squid
mkdir -p "$SQ"
htpasswd -bc "$SQ/htpasswd" fern secret2 2>/dev/null || fail "htpasswd failed"
chmod 711 "$T"
chown -R proxy:proxy "$SQ" 2>/dev/null || true
cat >"$SQ/squid.conf" <<EOF
http_port $ADDR:$SQ_PORT
pid_filename $SQ/squid.pid
cache_log $SQ/cache.log
access_log stdio:$SQ/access.log
coredump_dir $SQ
cache deny all
cache_mem 8 MB
shutdown_lifetime 0 seconds
auth_param basic program /usr/lib/squid/basic_ncsa_auth $SQ/htpasswd
auth_param basic realm fernsicht-test
auth_param basic children 2 startup=1
acl authed proxy_auth REQUIRED
acl SSL_ports port $MOCK_PORT
acl CONNECT method CONNECT
http_access deny CONNECT !SSL_ports
http_access allow authed
http_access deny all
EOF
squid -N -f "$SQ/squid.conf" >"$T/squid.log" 2>&1 &
pids="$pids $!"
wait_port "$ADDR" "$SQ_PORT"

# view NAME [ARGS...]: one viewer to the end (3 frames); rc in $rc.
view() {
	_n=$1; shift
	"$B/fernsicht-viewer" "$@" "$SESSION" --code "$(latest_code host)" --headless \
	    --name "$_n" --frames 3 >"$T/$_n.out" 2>"$T/$_n.log" &
	_p=$!
	pids="$pids $_p"
	wait_exit $_p 30
}

# T2 through each proxy: right password (tinyproxy: --proxy-user; squid:
# in the URL), then a wrong one: a clear error, exit 2.
view tp-ok --relay "$TLS_RELAY" --transport proxy --proxy "http://$ADDR:$TP_PORT" \
    --proxy-user fern:secret1 --ca-file "$T/ca.pem"
[ "$rc" = 0 ] || fail "tinyproxy: viewer exit $rc"
grep -q 'transport proxy in use' "$T/tp-ok.log" || fail "tinyproxy: no 'transport proxy in use'"
view tp-bad --relay "$TLS_RELAY" --transport proxy --proxy "http://$ADDR:$TP_PORT" \
    --proxy-user fern:wrong --ca-file "$T/ca.pem"
[ "$rc" = 2 ] || fail "tinyproxy, wrong password: viewer exit $rc, want 2"
grep -q 'refused the credentials' "$T/tp-bad.out" || fail "tinyproxy, wrong password: no clear reason"
view sq-ok --relay "$TLS_RELAY" --transport proxy --proxy "http://fern:secret2@$ADDR:$SQ_PORT" \
    --ca-file "$T/ca.pem"
[ "$rc" = 0 ] || fail "squid: viewer exit $rc"
grep -q 'TCP_TUNNEL/200.*CONNECT 127.0.0.1:'"$MOCK_PORT"' fern' "$SQ/access.log" ||
    fail "squid did not log the viewer's CONNECT as user fern"
view sq-bad --relay "$TLS_RELAY" --transport proxy --proxy "http://$ADDR:$SQ_PORT" \
    --proxy-user fern:secret1 --ca-file "$T/ca.pem"
[ "$rc" = 2 ] || fail "squid, wrong password: viewer exit $rc, want 2"
grep -q 'refused the credentials (HTTP 407)' "$T/sq-bad.out" || fail "squid, wrong password: no clear reason"
note "proxy tier through tinyproxy and squid (Basic); wrong passwords: $(sed -n 's/^closed reason=//p' "$T/sq-bad.out")"

# T1 against the relay: verified with --ca-file; a certificate from a CA we
# do not trust is an error of that tier, never ignored.
view tls-ok --relay "$TLS_RELAY" --transport tls --ca-file "$T/ca.pem"
[ "$rc" = 0 ] || fail "tls: viewer exit $rc"
view tls-bad --relay "$TLS_RELAY" --transport tls --ca-file "$T/other.pem"
[ "$rc" = 2 ] || fail "tls, untrusted certificate: viewer exit $rc, want 2"
grep -q 'certificate' "$T/tls-bad.out" || fail "tls, untrusted certificate: no clear reason"
note "tls tier (the relay's own TLS): verified; untrusted: $(sed -n 's/^closed reason=//p' "$T/tls-bad.out")"

# From the namespace: tcp and tls cannot reach anything, the proxy (from
# https_proxy, as curl reads it) can; auto must find it and say why the
# others failed, then remember it for this network.
https_proxy="http://fern:secret1@$ADDR:$TP_PORT" ip netns exec "$NS" \
    "$B/fernsicht-viewer" --relay "$TLS_RELAY" "$SESSION" --code "$(latest_code host)" \
    --ca-file "$T/ca.pem" --headless --name ns1 --frames 3 >"$T/ns1.out" 2>"$T/ns1.log" &
p=$!
pids="$pids $p"
wait_exit $p 30
[ "$rc" = 0 ] || fail "namespace viewer (auto): exit $rc"
grep -q 'transport proxy in use' "$T/ns1.log" || fail "auto did not end up on the proxy tier"
grep -q 'transport tcp' "$T/ns1.log" || fail "auto did not say why tcp failed"
grep -q 'transport tls' "$T/ns1.log" || fail "auto did not say why tls failed"
grep -q 'net=none relay=127.0.0.1 tier=proxy' "$XDG_CACHE_HOME/fernsicht/transport" ||
    fail "the proxy tier was not remembered"
https_proxy="http://fern:secret1@$ADDR:$TP_PORT" ip netns exec "$NS" \
    "$B/fernsicht-viewer" --relay "$TLS_RELAY" "$SESSION" --code "$(latest_code host)" \
    --ca-file "$T/ca.pem" --headless --name ns2 --frames 3 >"$T/ns2.out" 2>"$T/ns2.log" &
p=$!
pids="$pids $p"
wait_exit $p 30
[ "$rc" = 0 ] || fail "namespace viewer (auto, second time): exit $rc"
grep -q 'transport tcp' "$T/ns2.log" && fail "the remembered proxy tier was not tried first"
note "auto from a closed network: $(grep -c '^[^ ]* *.*transport ' "$T/ns1.log") transport lines, proxy won and was tried first next time"

# A proxy that refuses CONNECT (tinyproxy allowing it to no port of ours)
# but passes GET and POST: from the closed network, auto must fall through
# tcp, tls and proxy to the long-poll tier, and the session comes up.
TP2_PORT=$(free_port)
cat >"$T/tinyproxy2.conf" <<EOF2
Port $TP2_PORT
Listen $ADDR
Timeout 60
LogLevel Info
MaxClients 20
Allow 10.200.7.0/30
BasicAuth fern secret1
ConnectPort 1
EOF2
tinyproxy -d -c "$T/tinyproxy2.conf" >"$T/tinyproxy2.log" 2>&1 &
pids="$pids $!"
wait_port "$ADDR" "$TP2_PORT"
export XDG_CACHE_HOME="$T/cache2"
https_proxy="http://fern:secret1@$ADDR:$TP2_PORT" http_proxy="http://fern:secret1@$ADDR:$TP2_PORT" \
    ip netns exec "$NS" "$B/fernsicht-viewer" --relay "$TLS_RELAY" "$SESSION" \
    --code "$(latest_code host)" --ca-file "$T/ca.pem" --headless --name ns3 --frames 20 \
    >"$T/ns3.out" 2>"$T/ns3.log" &
p=$!
pids="$pids $p"
wait_exit $p 60
[ "$rc" = 0 ] || fail "namespace viewer behind a CONNECT-refusing proxy: exit $rc"
grep -q 'transport http in use' "$T/ns3.log" || fail "auto did not end up on the long-poll tier"
grep -q 'transport proxy' "$T/ns3.log" || fail "auto did not say why the proxy tier failed"
note "behind a proxy that refuses CONNECT: auto fell back to long-poll ($(grep -c '^frame' "$T/ns3.out") frames)"
