#!/usr/bin/env python3
"""rawclient.py - speaks relay frames byte by byte, for relay tests.

  rawclient.py RELAY CASE [SESSION]

Each CASE sends something (valid or broken) and prints what came back as
"got TYPE code=N" lines, or "closed" when the relay hung up. Exit 0 when
the relay behaved as the case expects, 1 otherwise.
"""
import socket
import struct
import sys
import time

HELLO, WELCOME, ERROR, DATA, PEER_JOIN, PEER_LEAVE = 1, 2, 3, 4, 5, 6
KICK, END, PING, PONG = 8, 9, 10, 11
E_PROTOCOL, E_VERSION, E_NO_SESSION, E_FULL, E_RATE, E_TOO_LARGE, E_TIMEOUT = 1, 2, 3, 4, 5, 6, 7
E_BUSY = 13


def frame(t, body=b"", flags=0, slot=0, seq=0, length=None):
    n = len(body) if length is None else length
    return struct.pack(">IBBHQ", n, t, flags, slot, seq) + body


def hello(role, session=0, name=b"raw", version=1):
    return frame(HELLO, b"FSHT" + bytes([version, role]) + struct.pack(">I", session)
                 + struct.pack(">H", len(name)) + name)


def connect(addr):
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=10)
    s.settimeout(10)
    return s


def read_frame(s):
    """One frame as (type, slot, body), or None when the relay closed."""
    hdr = b""
    while len(hdr) < 16:
        try:
            c = s.recv(16 - len(hdr))
        except (ConnectionResetError, socket.timeout):
            return None
        if not c:
            return None
        hdr += c
    n, t, _flags, slot, _seq = struct.unpack(">IBBHQ", hdr)
    body = b""
    while len(body) < n:
        c = s.recv(n - len(body))
        if not c:
            return None
        body += c
    return t, slot, body


def expect_error(s, code):
    """Read until an ERROR frame; it must carry code, then the relay closes."""
    while True:
        f = read_frame(s)
        if f is None:
            print("closed without an ERROR frame")
            return False
        if f[0] == ERROR:
            got = struct.unpack(">H", f[2][:2])[0]
            print("got ERROR code=%d text=%r" % (got, f[2][4:].decode(errors="replace")))
            if got != code:
                return False
            return read_frame(s) is None    # and then it closes
        print("got type %d" % f[0])


def master(addr):
    s = connect(addr)
    s.sendall(hello(1))
    f = read_frame(s)
    assert f and f[0] == WELCOME, f
    return s, struct.unpack(">I", f[2][:4])[0]


def join(addr, m, num, rcvbuf=0):
    """A viewer in session num of master m: (socket, slot). rcvbuf: its
    receive buffer, set before it connects (0: the system's)."""
    host, port = addr.rsplit(":", 1)
    v = socket.socket()
    if rcvbuf:
        v.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    v.settimeout(10)
    v.connect((host, int(port)))
    v.sendall(hello(2, session=num))
    f = read_frame(v)
    assert f and f[0] == WELCOME, f
    slot = struct.unpack(">H", f[2][4:6])[0]
    f = read_frame(m)
    assert f and f[0] == PEER_JOIN and f[1] == slot, f
    return v, slot


def main():
    addr, case = sys.argv[1], sys.argv[2]
    if case == "oversize-preauth":
        s = connect(addr)
        s.sendall(frame(HELLO, length=2000))
        return expect_error(s, E_TOO_LARGE)
    if case == "oversize":
        s, _ = master(addr)
        s.sendall(frame(DATA, length=(1 << 20) + 1, slot=1))
        return expect_error(s, E_TOO_LARGE)
    if case == "garbage":
        s = connect(addr)
        s.sendall(b"GET / HTTP/1.0\r\n\r\n" + bytes(range(256)))
        return read_error_any(s)
    if case == "bad-magic":
        s = connect(addr)
        s.sendall(frame(HELLO, b"XXXX\x01\x01\0\0\0\0\0\0"))
        return read_error_any(s)
    if case == "bad-version":
        s = connect(addr)
        s.sendall(hello(1, version=9))
        return expect_error(s, E_VERSION)
    if case == "truncated":
        s = connect(addr)
        s.sendall(hello(1)[:10])
        s.shutdown(socket.SHUT_WR)
        f = read_frame(s)
        print("closed" if f is None else "got type %d" % f[0])
        return f is None or f[0] == ERROR
    if case == "hello-timeout":
        s = connect(addr)
        return expect_error(s, E_TIMEOUT)
    if case == "no-session":
        s = connect(addr)
        s.sendall(hello(2, session=int(sys.argv[3])))
        return expect_error(s, E_NO_SESSION)
    if case == "join-ok":
        # A viewer's HELLO to a live session gets WELCOME (then it leaves).
        s = connect(addr)
        s.sendall(hello(2, session=int(sys.argv[3])))
        f = read_frame(s)
        print("got type %s" % (f[0] if f else None))
        return f is not None and f[0] == WELCOME
    if case == "join-full":
        # A viewer's HELLO to a live session that is full: FULL.
        s = connect(addr)
        s.sendall(hello(2, session=int(sys.argv[3])))
        return expect_error(s, E_FULL)
    if case == "viewer-kick":
        # A viewer may not KICK: protocol error.
        m, num = master(addr)
        s = connect(addr)
        s.sendall(hello(2, session=num))
        f = read_frame(s)
        assert f and f[0] == WELCOME, f
        s.sendall(frame(KICK, slot=1))
        return expect_error(s, E_PROTOCOL)
    if case == "unknown-rate":
        # Guessing numbers is throttled hard: after a few tries, RATE.
        for i in range(20):
            s = connect(addr)
            s.sendall(hello(2, session=10000 + i))
            f = read_frame(s)
            code = struct.unpack(">H", f[2][:2])[0] if f and f[0] == ERROR else -1
            print("try %d: code=%d" % (i, code))
            if code == E_RATE:
                return i >= 1
            if code != E_NO_SESSION:
                return False
        return False
    if case == "session-rate":
        # Opening and ENDing sessions as fast as it can, one address would
        # make every number cool for a day: after a burst, RATE.
        for i in range(40):
            s = connect(addr)
            s.sendall(hello(1))
            f = read_frame(s)
            if f and f[0] == WELCOME:
                s.sendall(frame(END))
                s.close()
                continue
            code = struct.unpack(">H", f[2][:2])[0] if f and f[0] == ERROR else -1
            print("session %d: code=%d" % (i, code))
            return code == E_RATE and i >= 1
        print("40 sessions opened and ended, none refused")
        return False
    if case == "idle-timeout":
        # Welcomed, then silent: the relay times the connection out.
        s, _ = master(addr)
        return expect_error(s, E_TIMEOUT)
    if case == "conn-cap":
        # More connections from one address than allowed: RATE, and the
        # ones already open keep working.
        held = [connect(addr) for _ in range(int(sys.argv[3]))]
        s = connect(addr)
        ok = expect_error(s, E_RATE)
        held[0].sendall(hello(1))
        f = read_frame(held[0])
        print("held connection got type %s" % (f[0] if f else None))
        return ok and f is not None and f[0] == WELCOME
    if case == "conns-max":
        # The relay holds N connections at most (its descriptors allow no
        # more): the next ones get BUSY at once, each from an address of its
        # own so that no per-address limit is what refuses them; once one of
        # the N closes, a newcomer is held and served.
        n = int(sys.argv[3])
        host, port = addr.rsplit(":", 1)

        def from_own_address(i):
            s = socket.socket()
            s.bind(("127.0.3.%d" % (i + 1), 0))
            s.settimeout(10)
            s.connect((host, int(port)))
            return s
        held = [from_own_address(i) for i in range(n)]
        ok = all(expect_error(from_own_address(n + i), E_BUSY) for i in range(3))
        held[0].close()
        time.sleep(0.5)
        late = from_own_address(n + 3)
        for s in (late, held[1]):
            s.sendall(hello(1))
            f = read_frame(s)
            print("held connection got type %s" % (f[0] if f else None))
            ok = ok and f is not None and f[0] == WELCOME
        return ok
    if case == "full":
        # One more viewer than the session allows: FULL. Only viewers the
        # master verified (sent a PAIR record) count.
        m, num = master(addr)
        vs = []
        for _ in range(int(sys.argv[3])):
            v, slot = join(addr, m, num)
            m.sendall(frame(DATA, b"pair", flags=2, slot=slot, seq=1))
            f = read_frame(v)
            assert f == (DATA, 0, b"pair"), f
            vs.append(v)
        v = connect(addr)
        v.sendall(hello(2, session=num))
        return expect_error(v, E_FULL)
    if case == "forward":
        # DATA from the master reaches the viewer with slot 0; the viewer's
        # DATA reaches the master with the viewer's slot, whatever it wrote.
        m, num = master(addr)
        v, slot = join(addr, m, num)
        m.sendall(frame(DATA, b"opaque-1", flags=2, slot=slot, seq=1))
        f = read_frame(v)
        assert f == (DATA, 0, b"opaque-1"), f
        v.sendall(frame(DATA, b"opaque-2", flags=2, slot=77, seq=1))
        f = read_frame(m)
        assert f == (DATA, slot, b"opaque-2"), f
        m.sendall(frame(PING))
        f = read_frame(m)
        assert f and f[0] == PONG, f
        v.close()
        f = read_frame(m)
        assert f and f[0] == PEER_LEAVE and f[1] == slot, f
        print("forward ok slot=%d" % slot)
        return True
    if case == "forward-large":
        return forward_large(addr)
    print("unknown case")
    return False


def read_full(s, n, slow):
    """n bytes from s; slow: in small reads with pauses, as a slow line takes them."""
    out = b""
    while len(out) < n:
        c = s.recv(min(n - len(out), 1500 if slow else 1 << 20))
        if not c:
            raise EOFError("closed after %d of %d bytes" % (len(out), n))
        out += c
        if slow:
            time.sleep(0.0005)
    return out


def forward_large(addr):
    """Large and small DATA frames mixed, to one viewer and to all: a viewer
    with a tiny receive buffer that reads slowly, and a fast one, each get
    every frame whole and in order (the relay sends large bodies straight
    from its input; test_relay_conn forces the sends that go in part)."""
    import hashlib
    import threading
    m, num = master(addr)
    views = []
    for rcvbuf in (4096, 0):
        v, slot = join(addr, m, num, rcvbuf)
        v.settimeout(30)
        views.append((v, slot, rcvbuf != 0))
    sizes = [65536, 100, 16384, 16383, 30000, 0, 65529, 16385, 7]
    plan = []
    for i in range(90):
        n = sizes[i % len(sizes)]
        body = hashlib.shake_256(b"%d" % i).digest(n) if n else b""
        to = 0xFFFF if i % 3 == 0 else views[i % 2][1]
        plan.append((to, 2 if i & 1 else 4, i + 1, body))
    want = {slot: [p for p in plan if p[0] in (0xFFFF, slot)] for _, slot, _ in views}

    def send():
        for to, flags, seq, body in plan:
            m.sendall(frame(DATA, body, flags=flags, slot=to, seq=seq))
    t = threading.Thread(target=send)
    t.start()
    time.sleep(0.3)     # let the slow viewer's queue fill before anyone reads
    ok = True
    for v, slot, slow in views:
        for to, flags, seq, body in want[slot]:
            hdr = read_full(v, 16, slow)
            n, typ, fl, sl, sq = struct.unpack(">IBBHQ", hdr)
            got = read_full(v, n, slow)
            if (typ, fl, sl, sq, got) != (DATA, flags, 0, seq, body):
                print("slot %d: frame seq %d wrong (got type %d flags %d seq %d, %d bytes)"
                      % (slot, seq, typ, fl, sq, n))
                ok = False
                break
        else:
            print("slot %d: %d frames whole%s" % (slot, len(want[slot]),
                                                   " (slow reader)" if slow else ""))
    t.join()
    return ok


def read_error_any(s):
    f = read_frame(s)
    while f is not None and f[0] != ERROR:
        f = read_frame(s)
    if f is None:
        print("closed")
        return True
    print("got ERROR code=%d" % struct.unpack(">H", f[2][:2])[0])
    return read_frame(s) is None


if __name__ == "__main__":
    try:
        sys.exit(0 if main() else 1)
    except (AssertionError, OSError) as e:
        print("failed: %r" % (e,))
        sys.exit(1)
