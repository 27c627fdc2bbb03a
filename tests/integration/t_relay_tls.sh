# The relay's TLS (tier T1): one port takes TLS and raw frames; a client
# that verifies against the test CA gets WELCOME through `openssl
# s_client` and python3's ssl; one that trusts another CA, or meets an
# expired or wrongly named certificate, refuses; a stalled handshake ends
# at the pre-auth deadline; a bad certificate or key stops the relay.
. "$(dirname "$0")/lib.sh"
sh "$top/tests/tools/mkcert.sh" "$T/pki" >"$T/mkcert.log" 2>&1 || fail "mkcert.sh failed"
P=$T/pki
start_relay relay --tls-cert "$P/chain.pem" --tls-key "$P/server.key" --hello-timeout-ms 1000
MAIN=$RELAY
port=${MAIN##*:}
hello() { python3 -c 'import struct,sys; b=b"FSHT\1\1"+struct.pack(">IH",0,3)+b"ssl"; sys.stdout.buffer.write(struct.pack(">IBBHQ",len(b),1,0,0,0)+b)'; }

# s_client: verified, HELLO in, WELCOME (type 2) out
{ hello; sleep 1; } | timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$P/ca.pem" \
    -verify_return_error -verify_hostname localhost -servername localhost -quiet \
    >"$T/sclient.bin" 2>"$T/sclient.log"
[ "$(od -An -tu1 -j4 -N1 "$T/sclient.bin" | tr -d ' ')" = 2 ] ||
	fail "s_client: no WELCOME ($(od -An -tx1 -N16 "$T/sclient.bin"))"
# s_client trusting another CA fails the handshake
if { sleep 1; } | timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$P/other-ca.pem" \
    -verify_return_error -servername localhost -quiet >/dev/null 2>"$T/sclient-other.log"; then
	fail "s_client trusting another CA connected"
fi
grep -q 'verify error' "$T/sclient-other.log" || fail "s_client: no verify error against another CA"

cat >"$T/tls.py" <<'PY'
import socket, ssl, struct, sys, time

HELLO, WELCOME, ERROR, DATA = 1, 2, 3, 4
addr, ca, case = sys.argv[1], sys.argv[2], sys.argv[3]
host, port = addr.rsplit(":", 1)
port = int(port)


def frame(t, body=b"", flags=0, slot=0, seq=0, length=None):
    n = len(body) if length is None else length
    return struct.pack(">IBBHQ", n, t, flags, slot, seq) + body


def hello(role, session=0):
    return frame(HELLO, b"FSHT" + bytes([1, role]) + struct.pack(">IH", session, 3) + b"tls")


def connect(name="localhost", cafile=ca):
    ctx = ssl.create_default_context(cafile=cafile)
    s = socket.create_connection((host, port), timeout=10)
    return ctx.wrap_socket(s, server_hostname=name)


def recv_all(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError("closed after %d of %d bytes" % (len(b), n))
        b += c
    return b


def read_frame(s):
    n, t, flags, slot, seq = struct.unpack(">IBBHQ", recv_all(s, 16))
    return t, flags, slot, seq, recv_all(s, n)


def expect(s, t):
    f = read_frame(s)
    while f[0] == 7 and t != 7:     # FLOW
        f = read_frame(s)
    assert f[0] == t, "wanted %d, got %r" % (t, f[:4])
    return f


def refused(name, cafile, why):
    try:
        connect(name, cafile).close()
    except ssl.SSLCertVerificationError as e:
        assert why in str(e), e
        print("refused: %s" % e.verify_message)
        return True
    return False


if case == "session":
    # a master and a viewer over TLS (one by IP name), 3 MB through
    m = connect()
    m.sendall(hello(1))
    number = struct.unpack(">I", expect(m, WELCOME)[4][:4])[0]
    v = connect("127.0.0.1")
    v.sendall(hello(2, number))
    slot = struct.unpack(">H", expect(v, WELCOME)[4][4:6])[0]
    expect(m, 5)
    want = b""
    for i in range(100):
        body = bytes([(i + k) & 0xFF for k in range(256)]) * 120
        m.sendall(frame(DATA, body, flags=4, slot=0xFFFF, seq=i + 1))
        want += frame(DATA, body, flags=4, slot=0, seq=i + 1)
    time.sleep(0.5)         # let the relay's queue for the viewer grow
    got = recv_all(v, len(want))
    assert got == want, "stream differs"
    v.sendall(frame(DATA, b"up", flags=2, slot=9, seq=1))
    f = expect(m, DATA)
    assert f[2] == slot and f[4] == b"up", f
    print("session over TLS: number=%d slot=%d, %d bytes identical" % (number, slot, len(got)))
elif case == "preauth":
    s = connect()
    s.sendall(frame(HELLO, length=2000))
    f = expect(s, ERROR)
    assert struct.unpack(">H", f[4][:2])[0] == 6, f
    print("oversize before HELLO inside TLS: TOO_LARGE")
elif case == "other-ca":
    sys.exit(0 if refused("localhost", sys.argv[4], "certificate verify failed") else 1)
elif case == "wrong-name":
    sys.exit(0 if refused("localhost", ca, "mismatch") else 1)
elif case == "expired":
    sys.exit(0 if refused("localhost", ca, "expired") else 1)
elif case == "stall":
    # a ClientHello that never finishes: closed at the pre-auth deadline
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(b"\x16\x03\x01\x02\x00\x01")
    t0 = time.time()
    try:
        while s.recv(100):
            pass
    except ConnectionResetError:
        pass
    took = time.time() - t0
    assert took < 5, took
    print("stalled handshake closed after %.1f s" % took)
elif case == "no-tls":
    try:
        connect().close()
    except (ssl.SSLError, OSError) as e:
        print("no TLS here: %s" % e)
        sys.exit(0)
    sys.exit(1)
PY
tls() { python3 "$T/tls.py" "$1" "$P/ca.pem" "$2" ${3:-} >>"$T/tls.out" 2>&1; }
tls "$MAIN" session || fail "session over TLS"
tls "$MAIN" preauth || fail "pre-auth limit inside TLS"
tls "$MAIN" other-ca "$P/other-ca.pem" || fail "a client trusting another CA connected"
tls "$MAIN" stall || fail "a stalled handshake was not closed"
# raw TCP on the same port
python3 "$top/tests/integration/rawclient.py" "$MAIN" forward >>"$T/raw.out" 2>&1 ||
	fail "raw frames next to TLS"

start_relay wrongname --tls-cert "$P/wrongname.pem" --tls-key "$P/wrongname.key"
tls "$RELAY" wrong-name || fail "a wrongly named certificate was accepted"
start_relay expired --tls-cert "$P/expired.pem" --tls-key "$P/expired.key"
tls "$RELAY" expired || fail "an expired certificate was accepted"
grep -q 'has expired' "$T/expired.log" || fail "no warning about the expired certificate"
start_relay plain
tls "$RELAY" no-tls || fail "TLS to a relay without a certificate"
wait_for "$T/plain.log" 'no --tls-cert' 5

# a bad certificate or key: a clear error, exit 1
for args in "--tls-cert $T/none.pem --tls-key $P/server.key" \
    "--tls-cert $P/server.pem --tls-key $P/other-ca.key" \
    "--tls-cert $P/server.key --tls-key $P/server.key" "--tls-cert $P/server.pem"; do
	# shellcheck disable=SC2086
	"$B/fernsicht-relay" --listen 127.0.0.1:0 $args >"$T/bad.out" 2>"$T/bad.err"
	rc=$?
	[ "$rc" = 1 ] || fail "relay with $args: exit $rc"
	grep -Eq 'TLS|tls-' "$T/bad.err" || fail "relay with $args: no clear error: $(cat "$T/bad.err")"
	grep -q '^listening' "$T/bad.out" && fail "relay with $args listened"
done
kill -0 "$RELAY_PID" || fail "relay died"
grep -q 'name="ssl"' "$T/relay.log" || fail "no HELLO from s_client in the log"
note "TLS: $(grep -c . "$T/tls.out") client checks, s_client, raw TCP alongside, 4 bad setups refused"
