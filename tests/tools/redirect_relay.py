#!/usr/bin/env python3
"""redirect_relay.py - a STAND-IN for a relay of a cluster that does not
hold the session, for the clients' tests: it answers every HELLO with
REDIRECT (PROTOCOL.md section 1) to the address it was given and closes,
as such a relay does. It is not the relay and checks nothing else.

  redirect_relay.py --to HOST:PORT [--listen 127.0.0.1:0] [--tls CERT KEY]
                    [--hellos FILE]

Prints "listening=HOST:PORT" once it listens. Raw frames on TCP, and with
--tls also TLS on the same port (told apart by the first byte, as the
relay does). Each HELLO it answered is appended to FILE (default stdout)
as one line "hello role=R session=N name=NAME ticket=yes|no".
"""
import argparse
import socket
import ssl
import struct
import sys
import threading

HELLO, REDIRECT = 1, 13
HEADER = ">IBBHQ"                 # len, type, flags, slot, seq: 16 bytes
PREAUTH_MAX = 4096                # far above any HELLO


def read_exact(s, n):
    got = b""
    while len(got) < n:
        c = s.recv(n - len(got))
        if not c:
            return None
        got += c
    return got


def lv16(b, at):
    n = struct.unpack(">H", b[at:at + 2])[0]
    return b[at + 2:at + 2 + n], at + 2 + n


def describe(body):
    """The HELLO's fields as one line, or None when it is no HELLO."""
    if len(body) < 10 or body[:4] != b"FSHT":
        return None
    role, session = body[5], struct.unpack(">I", body[6:10])[0]
    name, at = lv16(body, 10)
    ticket = b""
    if at < len(body):
        ticket, at = lv16(body, at)
    return "hello role=%d session=%d name=%s ticket=%s" % (
        role, session, name.decode("utf-8", "replace"), "yes" if ticket else "no")


def serve(conn, args, ctx, out, lock):
    try:
        conn.settimeout(10)
        first = conn.recv(1, socket.MSG_PEEK)
        if first == b"\x16" and ctx is not None:
            conn = ctx.wrap_socket(conn, server_side=True)
        hdr = read_exact(conn, 16)
        if hdr is None:
            return
        n, t, _flags, _slot, _seq = struct.unpack(HEADER, hdr)
        if t != HELLO or n > PREAUTH_MAX:
            return
        body = read_exact(conn, n)
        line = describe(body) if body is not None else None
        if line is None:
            return
        with lock:
            out.write(line + "\n")
            out.flush()
        to = args.to.encode()
        reply = struct.pack(">H", len(to)) + to
        conn.sendall(struct.pack(HEADER, len(reply), REDIRECT, 0, 0, 0) + reply)
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--to", required=True)
    p.add_argument("--listen", default="127.0.0.1:0")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--hellos")
    args = p.parse_args()
    ctx = None
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
    host, port = args.listen.rsplit(":", 1)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(16)
    out = open(args.hellos, "a") if args.hellos else sys.stdout
    lock = threading.Lock()
    print("listening=%s:%d" % ls.getsockname(), flush=True)
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve, args=(conn, args, ctx, out, lock), daemon=True).start()


if __name__ == "__main__":
    main()
