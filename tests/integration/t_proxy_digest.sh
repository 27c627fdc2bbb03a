# The proxy tier through squid demanding Digest authentication (not
# Basic): curl answers the challenge with the scheme the proxy asks for
# (CURLAUTH_ANY); a wrong password is a clear error.
. "$(dirname "$0")/lib.sh"
command -v squid >/dev/null || fail "squid is not installed (make deps)"
[ -x /usr/lib/squid/digest_file_auth ] || fail "squid's digest_file_auth is missing"
export XDG_CACHE_HOME="$T/cache"
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
sh "$top/tests/tools/mkcert.sh" "$T/certs" >/dev/null 2>&1 || fail "mkcert.sh"
start_relay relay --tls-cert "$T/certs/server.pem" --tls-key "$T/certs/server.key"
start_master host "$RELAY" --auto-accept --transport tcp
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SQ=$T/squid
mkdir -p "$SQ"
echo "fern:secret3" >"$SQ/digest.pw"
chmod 711 "$T"
chmod 755 "$SQ"
chmod 644 "$SQ/digest.pw"
cat >"$SQ/squid.conf" <<EOF2
http_port 127.0.0.1:$PORT
pid_filename $SQ/squid.pid
cache_log $SQ/cache.log
access_log stdio:$SQ/access.log
coredump_dir $SQ
cache deny all
cache_mem 8 MB
shutdown_lifetime 0 seconds
auth_param digest program /usr/lib/squid/digest_file_auth $SQ/digest.pw
auth_param digest realm fernsicht-digest
auth_param digest children 2 startup=1
acl authed proxy_auth REQUIRED
acl SSL_ports port ${RELAY##*:}
acl CONNECT method CONNECT
http_access deny CONNECT !SSL_ports
http_access allow authed
http_access deny all
EOF2
chown -R proxy "$SQ" 2>/dev/null || true
squid -N -f "$SQ/squid.conf" >"$T/squid.log" 2>&1 &
pids="$pids $!"
_i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; do
	_i=$((_i + 1)); [ $_i -lt 200 ] || fail "squid did not start: $(tail -3 "$T/squid.log")"
	sleep 0.05
done
view() {
	_n=$1; shift
	"$B/fernsicht-viewer" --relay "$RELAY" "$SESSION" --code "$(latest_code host)" \
	    --headless --name "$_n" --frames 3 --transport proxy --ca-file "$T/certs/ca.pem" \
	    --proxy "http://127.0.0.1:$PORT" "$@" >"$T/$_n.out" 2>"$T/$_n.log" &
	_p=$!
	pids="$pids $_p"
	wait_exit $_p 30
}
view ok --proxy-user fern:secret3
[ "$rc" = 0 ] || fail "squid with Digest: viewer exit $rc"
grep -q 'TCP_TUNNEL/200.*CONNECT 127.0.0.1:.* fern' "$SQ/access.log" ||
    fail "squid did not log a Digest-authenticated CONNECT as user fern"
view bad --proxy-user fern:wrong
[ "$rc" = 2 ] || fail "squid with Digest, wrong password: exit $rc, want 2"
grep -q 'refused the credentials' "$T/bad.out" || fail "wrong Digest password: no clear reason"
note "Digest proxy authentication through squid; wrong password: $(sed -n 's/^closed reason=//p' "$T/bad.out")"
