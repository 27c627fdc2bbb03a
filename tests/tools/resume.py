#!/usr/bin/env python3
"""resume.py - a raw-frame relay client for the resume and cluster tests.

  resume.py hello RELAY master|viewer [--number N] [--ticket HEX] [--hint H]
            [--from ADDR] [--hold-s S] [--end-when FILE]
  resume.py race RELAY_A RELAY_B --number N --ticket HEX [--end]
  resume.py flood RELAY --number N --count K [--from ADDR]

hello sends one HELLO (a master's with --number and --ticket asks to
resume) and prints the answer as one line:
  welcome number=N slot=S uid=U [ticket=HEX hash=HEX]
  error code=C
  redirect to=HOST:PORT
  closed
With --hold-s it stays connected for up to S seconds after a WELCOME and
prints what comes (peer_join slot=S addr=A hint=H, peer_leave slot=S
code=C, error code=C, restarting, closed); with --end-when it sends END
once FILE exists. hash is the BLAKE2b-256 of the ticket, what the relay
keeps. race sends a resume HELLO to both relays at the same moment and
prints "A: ..." and "B: ..."; exit 0 when exactly one got WELCOME (with
--end the winner then ends the session). flood sends K resume HELLOs
with random tickets, one after the other, and prints the codes; exit 0
when the relay answered RATE before the end. Exit 1 otherwise, or when a
hello got no answer at all.
"""
import argparse
import hashlib
import os
import select
import socket
import struct
import sys
import threading
import time

HELLO, WELCOME, ERROR, DATA, PEER_JOIN, PEER_LEAVE = 1, 2, 3, 4, 5, 6
END, PING, PONG, RESTARTING, REDIRECT = 9, 10, 11, 12, 13
E_RATE = 5


def frame(t, body=b"", slot=0):
    return struct.pack(">IBBHQ", len(body), t, 0, slot, 0) + body


def lv16(b):
    return struct.pack(">H", len(b)) + b


def hello(role, number=0, ticket=None, hint=b"raw"):
    body = b"FSHT" + bytes([1, role]) + struct.pack(">I", number) + lv16(hint)
    if ticket is not None:
        body += lv16(ticket)
    return frame(HELLO, body)


def connect(addr, src=None):
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=10,
                                 source_address=(src, 0) if src else None)
    s.settimeout(10)
    return s


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        try:
            c = s.recv(n - len(b))
        except (ConnectionResetError, socket.timeout, OSError):
            return None
        if not c:
            return None
        b += c
    return b


def read_frame(s):
    hdr = recv_exact(s, 16)
    if hdr is None:
        return None
    n, t, _flags, slot, _seq = struct.unpack(">IBBHQ", hdr)
    if n > 1 << 20:
        return None
    body = recv_exact(s, n) if n else b""
    if body is None:
        return None
    return t, slot, body


def get_lv16(b, off):
    n = struct.unpack(">H", b[off:off + 2])[0]
    return b[off + 2:off + 2 + n], off + 2 + n


def describe(f):
    """One line for a frame (None: the relay closed)."""
    if f is None:
        return "closed"
    t, slot, body = f
    if t == WELCOME:
        number, slot_, uid = struct.unpack(">IHQ", body[:14])
        line = "welcome number=%d slot=%d uid=%d" % (number, slot_, uid)
        if len(body) > 24:
            ticket, _ = get_lv16(body, 24)
            line += " ticket=%s hash=%s" % (
                ticket.hex(), hashlib.blake2b(ticket, digest_size=32).hexdigest())
        return line
    if t == ERROR:
        return "error code=%d" % struct.unpack(">H", body[:2])[0]
    if t == REDIRECT:
        to, _ = get_lv16(body, 0)
        return "redirect to=%s" % to.decode(errors="replace")
    if t == PEER_JOIN:
        addr, off = get_lv16(body, 0)
        hint = get_lv16(body, off)[0] if off < len(body) else b""
        return "peer_join slot=%d addr=%s hint=%s" % (
            slot, addr.decode(errors="replace"), hint.decode(errors="replace"))
    if t == PEER_LEAVE:
        return "peer_leave slot=%d code=%d" % (slot, struct.unpack(">H", body[:2])[0])
    if t == RESTARTING:
        return "restarting"
    return "frame type=%d slot=%d len=%d" % (t, slot, len(body))


def say(line):
    print(line, flush=True)


def cmd_hello(a):
    role = 1 if a.role == "master" else 2
    ticket = bytes.fromhex(a.ticket) if a.ticket else None
    s = connect(a.relay, a.src)
    s.sendall(hello(role, a.number, ticket, a.hint.encode()))
    f = read_frame(s)
    say(describe(f))
    if f is None or f[0] != WELCOME:
        return 0 if f is not None else 1
    if a.hold_s <= 0 and not a.end:
        return 0
    if a.end and a.hold_s <= 0:
        a.hold_s = 5                    # the relay's answer to END
    if a.end:
        s.sendall(frame(END))
    end = time.monotonic() + a.hold_s
    s.setblocking(False)
    buf = b""
    ended = a.end
    while time.monotonic() < end:
        if not ended and a.end_when and os.path.exists(a.end_when):
            s.setblocking(True)
            s.sendall(frame(END))
            s.setblocking(False)
            ended = True
        r, _, _ = select.select([s], [], [], 0.05)
        if not r:
            continue
        try:
            c = s.recv(65536)
        except (ConnectionResetError, OSError):
            c = b""
        if not c:
            say("closed")
            return 0
        buf += c
        while len(buf) >= 16:
            n = struct.unpack(">I", buf[:4])[0]
            if len(buf) < 16 + n:
                break
            t, _fl, slot, _seq = struct.unpack(">BBHQ", buf[4:16])
            body = buf[16:16 + n]
            buf = buf[16 + n:]
            if t in (DATA, PONG):
                continue
            say(describe((t, slot, body)))
    return 0


def cmd_race(a):
    ticket = bytes.fromhex(a.ticket)
    socks = [connect(a.relay_a), connect(a.relay_b)]
    msg = hello(1, a.number, ticket, b"race")
    go = threading.Barrier(2)
    got = [None, None]

    def one(i):
        go.wait()
        socks[i].sendall(msg)
        got[i] = read_frame(socks[i])

    ts = [threading.Thread(target=one, args=(i,)) for i in (0, 1)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    say("A: " + describe(got[0]))
    say("B: " + describe(got[1]))
    won = [i for i in (0, 1) if got[i] is not None and got[i][0] == WELCOME]
    if a.end and len(won) == 1:
        socks[won[0]].sendall(frame(END))
        say("ended: " + describe(read_frame(socks[won[0]])))
    for s in socks:
        s.close()
    return 0 if len(won) == 1 else 1


def cmd_flood(a):
    codes = []
    for _ in range(a.count):
        s = connect(a.relay, a.src)
        s.sendall(hello(1, a.number, os.urandom(32), b"flood"))
        f = read_frame(s)
        s.close()
        codes.append(describe(f))
        if f is not None and f[0] == ERROR and struct.unpack(">H", f[2][:2])[0] == E_RATE:
            break
    say(" ".join(c.replace(" ", ":") for c in codes))
    return 0 if codes and codes[-1] == "error code=%d" % E_RATE else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("hello")
    h.add_argument("relay")
    h.add_argument("role", choices=["master", "viewer"])
    h.add_argument("--number", type=int, default=0)
    h.add_argument("--ticket")
    h.add_argument("--hint", default="raw")
    h.add_argument("--from", dest="src")
    h.add_argument("--hold-s", type=float, default=0)
    h.add_argument("--end", action="store_true")
    h.add_argument("--end-when")
    r = sub.add_parser("race")
    r.add_argument("relay_a")
    r.add_argument("relay_b")
    r.add_argument("--number", type=int, required=True)
    r.add_argument("--ticket", required=True)
    r.add_argument("--end", action="store_true")
    f = sub.add_parser("flood")
    f.add_argument("relay")
    f.add_argument("--number", type=int, required=True)
    f.add_argument("--count", type=int, default=20)
    f.add_argument("--from", dest="src")
    a = ap.parse_args()
    return {"hello": cmd_hello, "race": cmd_race, "flood": cmd_flood}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
