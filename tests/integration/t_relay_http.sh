# The relay's HTTP long-poll tunnel (docs/PROTOCOL.md 5.1), driven by
# python3's http.client: a master and a viewer, both over long-poll, get
# WELCOME and exchange DATA through the relay; a retried tx is not
# doubled; an rx cut mid-way and asked again from the received offset
# loses and doubles nothing; garbage is 400, an unknown tunnel 404. Then
# the same over https, and raw TCP on the same port still works.
. "$(dirname "$0")/lib.sh"
sh "$top/tests/tools/mkcert.sh" "$T/pki" >"$T/mkcert.log" 2>&1 || fail "mkcert.sh failed"
start_relay relay --tls-cert "$T/pki/chain.pem" --tls-key "$T/pki/server.key"
cat >"$T/lp.py" <<'PY'
import http.client, socket, ssl, struct, sys

HELLO, WELCOME, ERROR, DATA, PEER_JOIN, PEER_LEAVE = 1, 2, 3, 4, 5, 6
RX_MAX = 256 << 10
host, port = sys.argv[1].rsplit(":", 1)
port = int(port)
ctx = None
if len(sys.argv) > 2 and sys.argv[2]:
    ctx = ssl.create_default_context(cafile=sys.argv[2])


def frame(t, body=b"", flags=0, slot=0, seq=0, length=None):
    n = len(body) if length is None else length
    return struct.pack(">IBBHQ", n, t, flags, slot, seq) + body


def hello(role, session=0, name=b"lp"):
    return frame(HELLO, b"FSHT" + bytes([1, role]) + struct.pack(">I", session)
                 + struct.pack(">H", len(name)) + name)


def conn():
    if ctx is not None:
        return http.client.HTTPSConnection("localhost", port, context=ctx, timeout=30)
    return http.client.HTTPConnection(host, port, timeout=30)


def request(c, method, path, body=None):
    c.request(method, path, body=body)
    r = c.getresponse()
    return r.status, r.read()


class Tunnel:
    def __init__(self):
        self.txc = conn()
        st, b = request(self.txc, "POST", "/v1/open", b"")
        assert st == 200 and b.startswith(b"t=") and len(b) == 35, (st, b)
        self.id = b[2:34].decode()
        self.tx_off = 0
        self.rx_off = 0
        self.rxc = None
        self.resp = None
        self.answer = 0         # bytes in the current rx answer
        self.answers = []       # bytes per finished rx answer

    def tx(self, data, off=None):
        off = self.tx_off if off is None else off
        st, b = request(self.txc, "POST", "/v1/tx?t=%s&off=%d" % (self.id, off), data)
        assert st == 200, (st, b)
        ack = int(b.decode().strip()[4:])
        self.tx_off = max(self.tx_off, ack)
        return ack

    def send(self, data):
        while data:
            part = data[:200000]
            ack_before = self.tx_off
            self.tx(part)
            data = data[self.tx_off - ack_before:]

    def rx_start(self):
        if self.rxc is None:
            self.rxc = conn()
        self.rxc.request("GET", "/v1/rx?t=%s&off=%d" % (self.id, self.rx_off))
        self.resp = self.rxc.getresponse()
        assert self.resp.status == 200, self.resp.status
        assert self.resp.getheader("Transfer-Encoding") == "chunked"
        assert self.resp.getheader("Cache-Control") == "no-store"
        self.answer = 0

    def recv(self, n):
        out = b""
        while len(out) < n:
            if self.resp is None:
                self.rx_start()
            b = self.resp.read1(n - len(out))
            if not b:               # the relay ended this answer: ask again
                self.answers.append(self.answer)
                self.resp = None
                continue
            self.answer += len(b)
            self.rx_off += len(b)
            out += b
        return out

    def cut(self):
        """Drop the answer in progress with its connection, as a proxy might."""
        self.rxc.close()
        self.rxc = None
        self.resp = None

    def read_frame(self):
        n, t, flags, slot, seq = struct.unpack(">IBBHQ", self.recv(16))
        return t, flags, slot, seq, self.recv(n)


def expect(tun, t):
    f = tun.read_frame()
    while f[0] == 7 and t != 7:     # FLOW: the viewer's queue passed a mark
        f = tun.read_frame()
    assert f[0] == t, "wanted type %d, got %r" % (t, f[:4])
    return f


def main():
    # a master and a viewer, both tunnels
    m = Tunnel()
    m.send(hello(1))
    w = expect(m, WELCOME)[4]
    number = struct.unpack(">I", w[:4])[0]
    v = Tunnel()
    v.send(hello(2, number))
    w = expect(v, WELCOME)[4]
    slot = struct.unpack(">H", w[4:6])[0]
    f = expect(m, PEER_JOIN)
    assert f[2] == slot, f
    print("welcome number=%d slot=%d" % (number, slot))

    # viewer -> master, with a retried tx (same offset) in between
    d1 = frame(DATA, b"first", flags=2, slot=0, seq=1)
    d2 = frame(DATA, b"second", flags=2, slot=0, seq=2)
    off = v.tx_off
    assert v.tx(d1) == off + len(d1)
    assert v.tx(d1, off) == off + len(d1), "a retried tx moved the offset"
    # a retry that overlaps: the old bytes are skipped, the new ones taken
    assert v.tx(d1[-5:] + d2, off + len(d1) - 5) == off + len(d1) + len(d2)
    f = expect(m, DATA)
    assert f[2] == slot and f[4] == b"first", f
    f = expect(m, DATA)
    assert f[2] == slot and f[4] == b"second", "duplicate or lost: %r" % (f,)
    print("tx retries not doubled")

    # a gap is 409; an rx offset beyond what was sent is 409
    st, _ = request(v.txc, "POST", "/v1/tx?t=%s&off=%d" % (v.id, v.tx_off + 10), b"x")
    assert st == 409, st
    c = conn()
    st, _ = request(c, "GET", "/v1/rx?t=%s&off=%d" % (v.id, v.rx_off + 10))
    assert st == 409, st
    # unknown tunnel: 404
    st, _ = request(c, "GET", "/v1/rx?t=%s&off=0" % ("0" * 32))
    assert st == 404, st
    st, _ = request(c, "POST", "/v1/tx?t=%s&off=0" % ("ab" * 16), b"x")
    assert st == 404, st
    c.close()
    print("409 and 404 ok")

    # master -> viewer: 1.2 MB of DATA, the viewer's rx cut twice mid-way
    want = b""
    sent = b""
    for i in range(40):
        body = bytes([(i * 7 + k) & 0xFF for k in range(256)]) * 117   # 29952 bytes
        sent += frame(DATA, body, flags=4, slot=0xFFFF, seq=100 + i)
        want += frame(DATA, body, flags=4, slot=0, seq=100 + i)
    m.send(sent)
    got = v.recv(100000)
    v.cut()
    got += v.recv(400000)
    v.cut()
    got += v.recv(len(want) - len(got))
    assert got == want, "the stream after cuts differs (%d bytes)" % len(got)
    v.answers.append(v.answer)
    assert max(v.answers) <= RX_MAX, v.answers
    print("1.2 MB through cut rx answers, identical; answers %r" % v.answers)

    # an oversize frame in the tunnel before HELLO: ERROR TOO_LARGE, as on TCP
    x = Tunnel()
    x.tx(frame(HELLO, length=2000))
    f = expect(x, ERROR)
    assert struct.unpack(">H", f[4][:2])[0] == 6, f
    print("pre-auth limit ok")

    # close the viewer's tunnel: the master hears PEER_LEAVE; the id is gone
    st, _ = request(v.txc, "POST", "/v1/close?t=%s" % v.id, b"")
    assert st == 200, st
    f = expect(m, PEER_LEAVE)
    assert f[2] == slot, f
    st, _ = request(v.txc, "GET", "/v1/rx?t=%s&off=%d" % (v.id, v.rx_off))
    assert st == 404, st
    print("close ok")


def garbage():
    """Malformed requests: 400 and the connection closes."""
    cases = [
        b"GET /v1/rx HTTP/2.0\r\nHost: x\r\n\r\n",
        b"GET /v1/rx?t=zz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /v1/tx HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"POST /v1/open HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        b"GET /v1/open HTTP/1.1\nHost: x\n\n",
        b"GET / HTTP/1.1\r\n" + b"X-Pad: " + b"a" * 9000 + b"\r\n\r\n",
        b"POST \x00\x01\x02\xff HTTP/1.1\r\n\r\n",
    ]
    for raw in cases:
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(raw)
        answer = b""
        while True:
            try:
                b = s.recv(4096)
            except ConnectionResetError:
                break
            if not b:
                break
            answer += b
        assert answer.startswith(b"HTTP/1.1 400 "), (raw[:40], answer[:60])
        s.close()
    print("%d malformed requests: 400, closed" % len(cases))


def restart():
    """SIGTERM while an rx waits: RESTARTING arrives, the answer ends, the
    tunnel is gone."""
    m = Tunnel()
    m.send(hello(1))
    expect(m, WELCOME)      # and that rx answer stays open
    print("ready", flush=True)
    expect(m, 12)
    assert m.resp.read1(100) == b"", "the answer went on after RESTARTING"
    print("RESTARTING, answer ended", flush=True)


if len(sys.argv) > 3:
    restart()
else:
    main()
    if ctx is None:
        garbage()
PY
python3 "$T/lp.py" "$RELAY" >"$T/http.out" 2>&1 || fail "long-poll over http: $(tail -3 "$T/http.out")"
python3 "$T/lp.py" "$RELAY" "$T/pki/ca.pem" >"$T/https.out" 2>&1 ||
	fail "long-poll over https: $(tail -3 "$T/https.out")"
# raw frames on the same port still work
python3 "$top/tests/integration/rawclient.py" "$RELAY" forward >"$T/raw.out" 2>&1 ||
	fail "raw TCP next to http"
kill -0 "$RELAY_PID" || fail "relay died"
grep -q 'via=https' "$T/relay.log" || fail "no https connection in the log"
grep -q 'hello.*lp' "$T/relay.log" && grep -Eq 'first|second' "$T/relay.log" &&
	fail "the relay logged payload bytes"
# a relay that stops tells a tunnel, through the rx answer in progress
start_relay stopping
python3 "$T/lp.py" "$RELAY" "" restart >"$T/restart.out" 2>&1 &
lp=$!
wait_for "$T/restart.out" '^ready' 10
kill -TERM "$RELAY_PID"
wait_exit "$lp" 10
[ "$rc" = 0 ] || fail "restart: $(tail -3 "$T/restart.out")"
wait_exit "$RELAY_PID" 5
[ "$rc" = 0 ] || fail "relay exit $rc after SIGTERM"
note "http and https long-poll: $(grep -c . "$T/http.out") + $(grep -c . "$T/https.out") checks passed"
