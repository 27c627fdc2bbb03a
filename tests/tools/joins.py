#!/usr/bin/env python3
"""joins.py - session create and join latency through relays, raw frames.

  joins.py --master-relay A --viewer-relay B --count N [--out FILE]
  joins.py --master-relay A --hold K --hold-s S


N times, one after the other: a master connects to A and says HELLO (the
time to its WELCOME is the create latency); then a viewer connects to B and
joins that number, following one REDIRECT as a client does (the time from
its connect to its WELCOME is the join latency, redirect included); the
master must see the viewer's PEER_JOIN. Both then close. With A == B it
measures one relay; with A != B in a cluster, the join goes through the
directory and a REDIRECT.

Prints: create_p50_ms= create_p99_ms= join_p50_ms= join_p99_ms= redirects= failed=
Exit 0 when every create and join worked.

With --hold: K masters connect to A and stay for S seconds (PING every
5 s), then END; prints "held=K". For what a live session costs the
relays' shared directory while it lasts.
"""
import argparse
import socket
import struct
import sys
import time

HELLO, WELCOME, ERROR, PEER_JOIN, END, PING, REDIRECT = 1, 2, 3, 5, 9, 10, 13


def frame(t, body):
    return struct.pack(">IBBHQ", len(body), t, 0, 0, 0) + body


def hello(role, session, name):
    return frame(HELLO, b"FSHT" + bytes([1, role]) + struct.pack(">IH", session, len(name)) + name)


def read_frame(s, buf):
    while len(buf) < 16 or len(buf) < 16 + struct.unpack(">I", buf[:4])[0]:
        b = s.recv(65536)
        if not b:
            raise ConnectionError("closed")
        buf += b
    n, t = struct.unpack(">IB", buf[:5])
    return t, buf[16:16 + n], buf[16 + n:]


def source_ip(i):
    """Each round from its own loopback address: the relays' per-address
    limits are for abuse, not for a benchmark."""
    return "127.%d.%d.%d" % (20 + i // 62500, (i // 250) % 250 + 1, i % 250 + 1)


def connect(addr, i):
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), 10, source_address=(source_ip(i), 0))
    s.settimeout(10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))] if xs else float("nan")


def hold(a):
    ms = []
    for i in range(a.hold):
        m = connect(a.master_relay, i)
        m.sendall(hello(1, 0, b"bench-master"))
        t, _body, _ = read_frame(m, b"")
        if t != WELCOME:
            print("master %d got type %d" % (i, t), file=sys.stderr)
            return 1
        ms.append(m)
    end = time.time() + a.hold_s
    while time.time() < end:
        time.sleep(min(5, max(0, end - time.time())))
        for m in ms:
            m.sendall(frame(PING, b""))
    for m in ms:
        m.sendall(frame(END, b""))
        m.close()
    print("held=%d" % len(ms))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--master-relay", required=True)
    ap.add_argument("--viewer-relay")
    ap.add_argument("--hold", type=int, default=0)
    ap.add_argument("--hold-s", type=float, default=30)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.hold:
        return hold(a)
    creates, joins = [], []
    redirects = failed = 0
    for i in range(a.count):
        try:
            t0 = time.perf_counter()
            m = connect(a.master_relay, i)
            m.sendall(hello(1, 0, b"bench-master"))
            t, body, mbuf = read_frame(m, b"")
            if t != WELCOME:
                raise RuntimeError("master got type %d" % t)
            number = struct.unpack(">I", body[:4])[0]
            creates.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            target = a.viewer_relay
            for hop in range(2):
                v = connect(target, i)
                v.sendall(hello(2, number, b"bench-viewer"))
                t, body, _ = read_frame(v, b"")
                if t == REDIRECT and hop == 0:
                    n = struct.unpack(">H", body[:2])[0]
                    target = body[2:2 + n].decode()
                    redirects += 1
                    v.close()
                    continue
                break
            if t != WELCOME:
                raise RuntimeError("viewer got type %d" % t)
            joins.append((time.perf_counter() - t0) * 1000)
            t, _body, mbuf = read_frame(m, mbuf)
            if t != PEER_JOIN:
                raise RuntimeError("master got type %d, not PEER_JOIN" % t)
            v.close()
            m.sendall(frame(END, b""))     # retired now, not held away for a resume
            m.close()
        except (OSError, RuntimeError, ConnectionError) as e:
            failed += 1
            print("failed: %s" % e, file=sys.stderr)
    print("create_p50_ms=%.2f create_p99_ms=%.2f join_p50_ms=%.2f join_p99_ms=%.2f "
          "redirects=%d failed=%d" % (pct(creates, 50), pct(creates, 99), pct(joins, 50),
                                      pct(joins, 99), redirects, failed))
    if a.out:
        with open(a.out, "w") as f:
            for c, j in zip(creates, joins):
                f.write("%.3f %.3f\n" % (c, j))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
