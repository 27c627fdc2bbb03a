#!/usr/bin/env python3
"""cut_proxy.py - a hostile path between viewers and the relay, for tests.

  cut_proxy.py LISTEN_PORT RELAY_PORT

A TCP proxy on 127.0.0.1:LISTEN_PORT to the relay on 127.0.0.1:RELAY_PORT.
It forwards bytes both ways as they are, and does two things a hostile
network (or a hostile relay operator) can do, when the test says so:

  SIGUSR1  cut every connection it carries now (the viewer sees its
           connection to the relay drop)
  SIGHUP   freeze every connection it carries now: they stay open and
           whatever comes on them is thrown away, both ways, their ends
           too, as on a path that died in silence; new connections are
           carried as before
  SIGUSR2  arm the capture: the next connection whose HELLO names itself
           "resume:..." (a viewer coming back) is passed until the viewer
           sends HS_CONFIRM; that frame is kept back, the connection is cut,
           and the recorded HELLO, HS_INIT and HS_CONFIRM are replayed on a
           new connection of its own to the relay, as an attacker who saw
           them would. The host answers that connection with a fresh OFFER,
           so the replayed INIT and CONFIRM must fail.

Prints one line per event on stdout (flushed):
  listening PORT | cut N | frozen N | captured hint=H | replay refused reason=R |
  replay accepted | replay error code=C | replay closed | replay timeout
"""
import signal
import socket
import struct
import sys
import threading
import time

HELLO, WELCOME, ERROR, DATA = 1, 2, 3, 4
F_HANDSHAKE, F_PAIR = 0x01, 0x02
HS_OFFER, HS_INIT, HS_REPLY, HS_CONFIRM, HS_ABORT = 1, 2, 3, 4, 5

lock = threading.Lock()
conns = []
frozen = set()         # the client sockets of frozen connections
armed = False


def say(line):
    with lock:
        print(line, flush=True)


def frames(buf):
    """Whole frames at the start of buf: (list of (type, flags, body, raw), rest)."""
    out = []
    while len(buf) >= 16:
        n, t, flags, _slot, _seq = struct.unpack(">IBBHQ", buf[:16])
        if len(buf) < 16 + n:
            break
        out.append((t, flags, buf[16:16 + n], buf[:16 + n]))
        buf = buf[16 + n:]
    return out, buf


def hello_hint(body):
    if len(body) < 12 or body[:4] != b"FSHT":
        return ""
    n = struct.unpack(">H", body[10:12])[0]
    return body[12:12 + n].decode("utf-8", "replace")


def close_pair(c, u):
    for s in (c, u):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            s.close()
        except OSError:
            pass


def pump(src, dst, key):
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            if key not in frozen:
                dst.sendall(b)
    except OSError:
        pass
    if key in frozen:
        return      # not even the end passes: the other side hears nothing
    close_pair(src, dst)


def recv_frame(s, deadline):
    buf = b""
    while True:
        got, rest = frames(buf)
        if got:
            return got[0], rest
        s.settimeout(max(0.05, deadline - time.time()))
        b = s.recv(65536)
        if not b:
            return None, b""
        buf += b


def replay(relay_port, recorded):
    """The attacker's connection: the recorded frames against a fresh OFFER."""
    hello = next(r for t, _f, _b, r in recorded if t == HELLO)
    init = next(r for t, f, b, r in recorded if t == DATA and f == F_HANDSHAKE and b[:1] == bytes([HS_INIT]))
    confirm = next(r for t, f, b, r in recorded
                   if t == DATA and f == F_HANDSHAKE and b[:1] == bytes([HS_CONFIRM]))
    s = socket.create_connection(("127.0.0.1", relay_port), 5)
    deadline = time.time() + 20
    s.sendall(hello)
    pending = b""
    sent_init = sent_confirm = False
    try:
        while time.time() < deadline:
            got, pending = frames(pending)
            if not got:
                s.settimeout(max(0.05, deadline - time.time()))
                b = s.recv(65536)
                if not b:
                    say("replay closed")
                    return
                pending += b
                continue
            for t, f, body, _raw in got:
                if t == ERROR:
                    say("replay error code=%d" % struct.unpack(">H", body[:2])[0])
                    return
                if t != DATA:
                    continue
                if f == F_HANDSHAKE and body[:1] == bytes([HS_OFFER]) and not sent_init:
                    s.sendall(init)
                    sent_init = True
                elif f == F_HANDSHAKE and body[:1] == bytes([HS_REPLY]) and not sent_confirm:
                    s.sendall(confirm)
                    sent_confirm = True
                elif f == F_HANDSHAKE and body[:1] == bytes([HS_ABORT]):
                    say("replay refused reason=%d" % body[1])
                    return
                elif f & F_PAIR:
                    say("replay accepted")
                    return
        say("replay timeout")
    except OSError:
        say("replay closed")
    finally:
        s.close()


def client_side(c, u, relay_port):
    """Client to relay: passed on, or captured once armed."""
    global armed
    buf = b""
    capture = None
    try:
        while True:
            b = c.recv(65536)
            if not b:
                if c in frozen:
                    return
                break
            if c in frozen:
                continue
            if capture is None and not armed:
                u.sendall(b)
                continue
            buf += b
            got, buf = frames(buf)
            for t, f, body, raw in got:
                if t == HELLO and capture is None:
                    hint = hello_hint(body)
                    with lock:
                        take = armed and hint.startswith("resume:")
                        if take:
                            armed = False
                    if take:
                        capture = []
                        say("captured hint=%s" % hint)
                if capture is not None:
                    capture.append((t, f, body, raw))
                    if t == DATA and f == F_HANDSHAKE and body[:1] == bytes([HS_CONFIRM]):
                        close_pair(c, u)
                        threading.Thread(target=replay, args=(relay_port, capture),
                                         daemon=True).start()
                        return
                u.sendall(raw)
            if capture is None and buf:
                u.sendall(buf)
                buf = b""
    except OSError:
        pass
    close_pair(c, u)


def on_cut(_sig, _frame):
    with lock:
        pairs = list(conns)
        conns.clear()
    for c, u in pairs:
        close_pair(c, u)
    say("cut %d" % len(pairs))


def on_freeze(_sig, _frame):
    with lock:
        pairs = list(conns)
        conns.clear()
        frozen.update(c for c, _u in pairs)
    say("frozen %d" % len(pairs))


def on_arm(_sig, _frame):
    global armed
    with lock:
        armed = True
    say("armed")


def main():
    listen_port, relay_port = int(sys.argv[1]), int(sys.argv[2])
    signal.signal(signal.SIGUSR1, on_cut)
    signal.signal(signal.SIGUSR2, on_arm)
    signal.signal(signal.SIGHUP, on_freeze)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", listen_port))
    ls.listen(64)
    say("listening %d" % listen_port)
    while True:
        try:
            c, _ = ls.accept()
        except InterruptedError:
            continue
        try:
            u = socket.create_connection(("127.0.0.1", relay_port), 5)
        except OSError:
            c.close()
            continue
        with lock:
            conns.append((c, u))
        threading.Thread(target=client_side, args=(c, u, relay_port), daemon=True).start()
        threading.Thread(target=pump, args=(u, c, c), daemon=True).start()


if __name__ == "__main__":
    main()
