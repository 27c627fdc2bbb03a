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

# doc_block REGEX: the fenced block of docs/relay.md with a line matching REGEX.
doc_block() {
	awk -v re="$1" '/^```/ { if (inb) { if (hit) { printf "%s", buf; exit }
		inb = 0; buf = ""; hit = 0 } else inb = 1; next }
	inb { buf = buf $0 "\n"; if ($0 ~ re) hit = 1 }' "$top/docs/relay.md"
}

# Redis: the docs' redis.conf. The plain port start_redis opens after it
# is the test's own (rcli); the relay reaches only the TLS one.
doc_block '^tls-port ' | sed -e 's/^bind .*/bind 127.0.0.1/' -e "s/^tls-port .*/tls-port $tls/" \
    -e "s|/etc/redis/tls/redis.pem|$P/server.pem|" -e "s|/etc/redis/tls/redis.key|$P/server.key|" \
    -e "s|/etc/redis/tls/ca.pem|$P/ca.pem|" -e "s/^requirepass .*/requirepass $pw/" \
    >"$T/redis.conf"
grep -q "^tls-port $tls$" "$T/redis.conf" && grep -q '^tls-auth-clients yes$' "$T/redis.conf" ||
	fail "no redis.conf in docs/relay.md: $(cat "$T/redis.conf")"
REDIS_CONF=$T/redis.conf start_redis redis
printf '%s\n' "$pw" >"$T/redis-password"
chmod 0600 "$T/redis-password"

# tunnel NAME LOCALPORT SERVERNAME: the docs' stunnel client to Redis's TLS
# port, with the test's paths and ports; in the foreground it logs to
# stderr, $T/NAME.log. It drops to the stunnel4 user, as there, when that
# user exists.
tunnel() {
	doc_block '^checkHost' | sed -e "s/^accept = .*/accept = 127.0.0.1:$2/" \
	    -e "s/^connect = .*/connect = 127.0.0.1:$tls/" -e "s/^checkHost = .*/checkHost = $3/" \
	    -e "s|/etc/stunnel/redis-ca.pem|$P/ca.pem|" -e "s|/etc/stunnel/relay1|$P/relay|" \
	    >"$T/$1.conf"
	id stunnel4 >/dev/null 2>&1 || sed -i '/^set[ug]id = /d' "$T/$1.conf"
	grep -q '^verifyChain = yes$' "$T/$1.conf" && grep -q "^checkHost = $3$" "$T/$1.conf" ||
		fail "no stunnel file in docs/relay.md: $(cat "$T/$1.conf")"
	stunnel4 "$T/$1.conf" >/dev/null 2>"$T/$1.log" &
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
