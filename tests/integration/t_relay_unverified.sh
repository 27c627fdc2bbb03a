# Strangers holding half-done handshakes cannot lock the real supporter
# out. A raw fake master, raw viewers from many loopback addresses (one
# join each, so no rate limit hides anything), against the real relay:
#
#  rotate  16 viewers join at once and hold their handshakes (the master
#          sends them HANDSHAKE frames only, never PAIR; they PING past the
#          idle timeout and set PAIR flags of their own): every join gets
#          WELCOME, at most RELAY_UNVERIFIED_PER_SESSION_MAX (4) are held,
#          the rest were pushed out oldest first (ERROR BUSY to them,
#          PEER_LEAVE BUSY to the master). Then the supporter still gets
#          WELCOME and the master its PEER_JOIN; once the master sent it a
#          PAIR record it no longer counts as unverified, and 8 more
#          strangers never push it out.
#  verified  --max-viewers 2: only viewers the master sent a PAIR record to
#          count. With one verified, strangers still rotate (a broadcast
#          PAIR does not verify them); with two, a join gets FULL; a PAIR
#          to a third closes it with FULL; when a verified one leaves,
#          joins work again.
. "$(dirname "$0")/lib.sh"
cat >"$T/attack.py" <<'EOF'
import select
import socket
import struct
import sys
import time

sys.path.insert(0, sys.argv[1])
from rawclient import (DATA, ERROR, PEER_JOIN, PEER_LEAVE, PING, PONG,  # noqa: E402
                       WELCOME, frame, hello)

F_HANDSHAKE, F_PAIR, F_SESSION = 1, 2, 4
E_FULL, E_BUSY, E_CLOSED = 4, 13, 14
UNVERIFIED_MAX = 4
ALL = 0xFFFF


class Peer:
    """One raw connection from a loopback address of its own."""

    def __init__(self, relay, src, name):
        host, port = relay.rsplit(":", 1)
        self.s = socket.create_connection((host, int(port)), timeout=10,
                                          source_address=(src, 0))
        self.name, self.buf, self.got, self.closed = name, b"", [], False
        self.slot = None

    def send(self, t, body=b"", flags=0, slot=0, seq=0):
        self.s.sendall(frame(t, body, flags=flags, slot=slot, seq=seq))

    def pump(self, timeout):
        if self.closed:
            return
        r, _, _ = select.select([self.s], [], [], max(timeout, 0))
        if not r:
            return
        try:
            c = self.s.recv(65536)
        except ConnectionResetError:
            c = b""
        if not c:
            self.closed = True
            return
        self.buf += c
        while len(self.buf) >= 16:
            n, t, fl, slot, _ = struct.unpack(">IBBHQ", self.buf[:16])
            if len(self.buf) < 16 + n:
                break
            self.got.append((t, fl, slot, self.buf[16:16 + n]))
            self.buf = self.buf[16 + n:]

    def next(self, timeout=5, skip=(PONG,)):
        """The next frame not of a type in skip, or None (closed, or none in time)."""
        end = time.time() + timeout
        while True:
            while self.got:
                f = self.got.pop(0)
                if f[0] not in skip:
                    return f
            if self.closed or time.time() >= end:
                return None
            self.pump(end - time.time())


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)


def code_of(f):
    return struct.unpack(">H", f[3][:2])[0]


def welcome(p):
    f = p.next()
    check(f is not None and f[0] == WELCOME, "%s: no WELCOME but %r" % (p.name, f))
    p.slot = struct.unpack(">H", f[3][4:6])[0]
    return struct.unpack(">I", f[3][:4])[0]


def refused(p, code):
    """p gets ERROR code (skipping frames the master sent before), then the end."""
    f = p.next(skip=(PONG, DATA))
    check(f is not None and f[0] == ERROR and code_of(f) == code,
          "%s: expected ERROR %d, got %r" % (p.name, code, f))
    check(p.next(skip=(PONG, DATA, ERROR)) is None and p.closed, "%s: not closed" % p.name)


def until(p, body):
    """Read p's frames until the DATA with body (the relay handled it)."""
    f = p.next()
    while f is not None and not (f[0] == DATA and f[3] == body):
        f = p.next()
    check(f is not None, "%s: never got %r" % (p.name, body))
    return f


def alive(p):
    p.send(PING)
    f = p.next(skip=(DATA,))
    check(f is not None and f[0] == PONG, "%s: no PONG, got %r" % (p.name, f))


class Master(Peer):
    """The fake master: it answers every PEER_JOIN with a HANDSHAKE frame (an
    HS_OFFER would be one) and keeps the slots in join order."""

    def __init__(self, relay):
        Peer.__init__(self, relay, "127.0.0.1", "master")
        self.s.sendall(hello(1))
        self.number = welcome(self)
        self.order = []         # slots present, oldest first

    def event(self, timeout=5):
        f = self.next(timeout, skip=(PONG, DATA))
        check(f is not None, "master: no PEER_JOIN/PEER_LEAVE in time")
        if f[0] == PEER_JOIN:
            check(f[2] not in self.order, "PEER_JOIN for a taken slot %d" % f[2])
            self.order.append(f[2])
            self.send(DATA, b"\x01offer", flags=F_HANDSHAKE, slot=f[2])
        elif f[0] == PEER_LEAVE:
            check(f[2] in self.order, "PEER_LEAVE for an empty slot %d" % f[2])
            self.order.remove(f[2])
        return f

    def expect(self, t, slot, code=None):
        f = self.event()
        check(f[0] == t and f[2] == slot and (code is None or code_of(f) == code),
              "master: expected type %d slot %d code %s, got %r" % (t, slot, code, f))

    def pair(self, slot):
        self.send(DATA, b"\x02pair", flags=F_PAIR, slot=slot, seq=1)


def join(relay, number, src, name):
    p = Peer(relay, src, name)
    p.s.sendall(hello(2, session=number))
    return p


def rotate(relay):
    m = Master(relay)
    # 16 strangers at once, from 127.0.0.10..25
    ss = [Peer(relay, "127.0.0.%d" % (10 + i), "s%d" % i) for i in range(16)]
    for s in ss:
        s.s.sendall(hello(2, session=m.number))
    for s in ss:
        welcome(s)
    by_slot = dict((s.slot, s) for s in ss)
    check(len(by_slot) == 16, "16 joins, %d distinct slots" % len(by_slot))
    joins, gone = 0, []
    while joins < 16 or len(gone) < 16 - UNVERIFIED_MAX:
        before = list(m.order)
        f = m.event()
        if f[0] == PEER_JOIN:
            joins += 1
        else:
            check(f[0] == PEER_LEAVE and code_of(f) == E_BUSY and f[2] == before[0],
                  "expected PEER_LEAVE BUSY for the oldest slot %d, got %r" % (before[0], f))
            gone.append(f[2])
        check(len(m.order) <= UNVERIFIED_MAX, "%d unverified held" % len(m.order))
    for k in gone:
        refused(by_slot[k], E_BUSY)
    held = [by_slot[k] for k in m.order]
    # hold the handshakes: PING past the idle timeout (2 s), answer the
    # master's HANDSHAKE frame, and try PAIR and SESSION flags of our own
    t_end = time.time() + 3.5
    while time.time() < t_end:
        for s in held:
            s.send(PING)
            s.send(DATA, b"\x02init", flags=F_HANDSHAKE)
            s.send(DATA, b"fake", flags=F_PAIR | F_SESSION, seq=1)
            s.pump(0)
        m.send(PING)
        f = m.next(0.5, skip=(PONG, DATA))
        check(f is None, "master: %r while the strangers held" % (f,))
    for s in held:
        check(not s.closed, "%s was closed while holding" % s.name)
        alive(s)
    print("rotate: 16 joins welcomed, %d pushed out oldest first, %d held for 3.5 s"
          % (len(gone), len(held)))

    # the real supporter
    oldest = m.order[0]
    v = join(relay, m.number, "127.0.0.200", "supporter")
    welcome(v)
    m.expect(PEER_LEAVE, oldest, E_BUSY)
    m.expect(PEER_JOIN, v.slot)
    refused(by_slot[oldest], E_BUSY)
    f = v.next()
    check(f == (DATA, F_HANDSHAKE, 0, b"\x01offer"), "supporter: no offer but %r" % (f,))
    m.pair(v.slot)
    f = v.next()
    check(f == (DATA, F_PAIR, 0, b"\x02pair"), "supporter: no PAIR record but %r" % (f,))
    # 8 more strangers: the supporter no longer counts as unverified, so the
    # first fills the 4th place; each later one pushes out the oldest
    # unverified, never the supporter
    late = []                   # held: a socket let go of would close
    for i in range(8):
        unverified = [k for k in m.order if k != v.slot]
        s = join(relay, m.number, "127.0.0.%d" % (100 + i), "late%d" % i)
        late.append(s)
        welcome(s)
        if len(unverified) == UNVERIFIED_MAX:
            m.expect(PEER_LEAVE, unverified[0], E_BUSY)
        check(i == 0 or len(unverified) == UNVERIFIED_MAX, "%d unverified" % len(unverified))
        m.expect(PEER_JOIN, s.slot)
        check(v.slot in m.order, "the supporter was pushed out")
    alive(v)
    print("rotate: the supporter got WELCOME and PEER_JOIN, and stayed through 8 more joins")


def verified(relay):
    m = Master(relay)
    a = join(relay, m.number, "127.0.0.30", "a")
    welcome(a)
    m.expect(PEER_JOIN, a.slot)
    m.pair(a.slot)                                 # verified: 1 of 2
    until(a, b"\x02pair")
    xs = []
    for i in range(UNVERIFIED_MAX):
        x = join(relay, m.number, "127.0.0.%d" % (40 + i), "x%d" % i)
        welcome(x)
        m.expect(PEER_JOIN, x.slot)
        x.send(DATA, b"fake", flags=F_PAIR, seq=1)      # viewers cannot verify themselves
        xs.append(x)
    m.send(DATA, b"\x02all", flags=F_PAIR, slot=ALL)    # nor does a broadcast
    for x in xs:
        until(x, b"\x02all")
    # more unverified joins rotate, no FULL: x0 and x1 go
    for i in range(2):
        y = join(relay, m.number, "127.0.0.%d" % (50 + i), "x%d" % (UNVERIFIED_MAX + i))
        welcome(y)
        m.expect(PEER_LEAVE, xs[i].slot, E_BUSY)
        m.expect(PEER_JOIN, y.slot)
        refused(xs[i], E_BUSY)
        xs.append(y)
    xs = xs[2:]
    m.pair(xs[-1].slot)                            # verified: 2 of 2
    check(until(xs[-1], b"\x02pair") == (DATA, F_PAIR, 0, b"\x02pair"), "x: PAIR record")
    z = join(relay, m.number, "127.0.0.60", "z")
    refused(z, E_FULL)
    alive(a)
    alive(xs[0])                                   # nobody was pushed out for it
    # a PAIR record to a third: there is no room for it
    m.pair(xs[0].slot)
    refused(xs[0], E_FULL)
    m.expect(PEER_LEAVE, xs[0].slot, E_FULL)
    # a verified one leaves: joins work again
    a.s.close()
    m.expect(PEER_LEAVE, a.slot, E_CLOSED)
    w = join(relay, m.number, "127.0.0.61", "w")
    welcome(w)
    m.expect(PEER_JOIN, w.slot)
    print("verified: 2 of --max-viewers 2 verified made a join FULL; unverified ones rotated")


if __name__ == "__main__":
    {"rotate": rotate, "verified": verified}[sys.argv[3]](sys.argv[2])
EOF
attack() { python3 "$T/attack.py" "$top/tests/integration" "$RELAY" "$@" >>"$T/attack.log" 2>&1; }

start_relay rotate --idle-timeout-ms 2000
attack rotate || fail "16 held handshakes against one session"
grep -q "evict .*oldest unverified" "$T/rotate.log" || fail "no eviction in the relay's log"
kill -0 "$RELAY_PID" || fail "relay died"

start_relay verified --max-viewers 2
attack verified || fail "verified viewers against --max-viewers 2"
kill -0 "$RELAY_PID" || fail "relay died"
sed 's/^/  /' "$T/attack.log"
