# A cluster's Redis over TLS, set up as docs/relay.md "Cluster" says:
# redis-server with its own tls-port (client certificates required) and
# a password; beside the relay an stunnel client that verifies the
# server's certificate (verifyChain, checkHost) and shows its own; the
# relay with --cluster redis://127.0.0.1:LOCALPORT and the password in a
# file. The directory comes up through the tunnel and hands out a
# session number, and the relay's connection reaches Redis on its TLS
# port. A tunnel that expects another server name lets nothing through:
# its relay never comes up.
. "$(dirname "$0")/lib.sh"
command -v stunnel4 >/dev/null || fail "stunnel4 is not installed (make deps)"
command -v redis-cli >/dev/null || fail "redis-cli is not installed (make deps)"
sh "$top/tests/tools/mkcert.sh" "$T/pki" >"$T/mkcert.log" 2>&1 || fail "mkcert.sh failed"
P=$T/pki
# the relay host's client certificate, signed by the same test CA
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$P/relay.key" 2>/dev/null &&
	openssl req -new -key "$P/relay.key" -subj /CN=relay1 -out "$P/relay.csr" &&
	printf '%s\n' basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature \
	    extendedKeyUsage=clientAuth >"$P/relay.ext" &&
	openssl x509 -req -in "$P/relay.csr" -CA "$P/ca.pem" -CAkey "$P/ca.key" -set_serial 7 \
	    -days 2 -extfile "$P/relay.ext" -out "$P/relay.pem" >>"$T/mkcert.log" 2>&1 ||
	fail "no client certificate: $(tail -3 "$T/mkcert.log")"

pw='tls-s3cret'
export REDISCLI_AUTH="$pw"
tls=$(free_port)
# The plain port start_redis opens is the test's own (rcli); the relay
# reaches only the TLS one.
start_redis redis "" --requirepass "$pw" --tls-port "$tls" --tls-cert-file "$P/server.pem" \
    --tls-key-file "$P/server.key" --tls-ca-cert-file "$P/ca.pem" --tls-auth-clients yes
printf '%s\n' "$pw" >"$T/redis-password"
chmod 0600 "$T/redis-password"

# tunnel NAME LOCALPORT SERVERNAME: an stunnel client to Redis's TLS port
# (the docs' file, with the test's paths and ports and in the foreground).
tunnel() {
	cat >"$T/$1.conf" <<CONF
foreground = yes
pid =
output = $T/$1.log
[redis]
client = yes
accept = 127.0.0.1:$2
connect = 127.0.0.1:$tls
verifyChain = yes
CAfile = $P/ca.pem
checkHost = $3
sslVersionMin = TLSv1.2
cert = $P/relay.pem
key = $P/relay.key
CONF
	stunnel4 "$T/$1.conf" >/dev/null 2>&1 &
	pids="$pids $!"
	wait_for "$T/$1.log" 'Configuration successful' 5
}

local=$(free_port)
tunnel stunnel "$local" localhost
start_relay r1 --cluster "redis://127.0.0.1:$local/0" --cluster-password-file "$T/redis-password" \
    --advertise relay1
wait_for "$T/r1.log" 'cluster directory up' 10
start_master host "$RELAY"
rcli GET "fernsicht:num:$SESSION" | grep -q '^relay1:' || fail "session $SESSION not relay1's"
grep -q 'Certificate accepted at depth=0: CN=localhost' "$T/stunnel.log" ||
	fail "stunnel did not check the certificate"
rcli CLIENT LIST | grep -v 'cmd=client' >"$T/clients.txt"
[ -s "$T/clients.txt" ] || fail "no relay connection in Redis's CLIENT LIST"
! grep -v "laddr=127.0.0.1:$tls " "$T/clients.txt" ||
	fail "a connection to Redis not on its TLS port"

# The certificate names another host than the tunnel expects: refused.
bad=$(free_port)
tunnel stunnel-bad "$bad" redis.invalid
start_relay r2 --cluster "redis://127.0.0.1:$bad/0" --cluster-password-file "$T/redis-password" \
    --advertise relay2
wait_for "$T/stunnel-bad.log" 'Rejected by CERT' 10
wait_for "$T/r2.log" 'retrying in' 10
[ "$(count "$T/r2.log" 'cluster directory up')" = 0 ] || fail "up through a tunnel that refused"
note "session $SESSION through stunnel to Redis's tls-port; a wrong server name refused"
