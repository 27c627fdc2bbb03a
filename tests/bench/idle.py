#!/usr/bin/env python3
"""idle.py - hold N idle master connections open on a relay, for run.sh.

  idle.py RELAY N

Each connection sends HELLO as master and waits for its WELCOME. The relay
allows only RELAY_PREAUTH_PER_IP_MAX (8) connections per address that have
not said HELLO yet, so connections are opened in waves of at most 8, each
wave welcomed before the next. Prints "held=N" once all are welcomed (or
"refused=K code=C" and stops at the first refusal), then sleeps until
killed, so the relay's memory can be read with them open.
"""
import resource
import socket
import struct
import sys
import time

HELLO, WELCOME, ERROR = 1, 2, 3
WAVE = 8


def hello():
    name = b"idle"
    body = b"FSHT" + bytes([1, 1]) + struct.pack(">I", 0) + struct.pack(">H", len(name)) + name
    return struct.pack(">IBBHQ", len(body), HELLO, 0, 0, 0) + body


def read_frame(s):
    buf = b""
    while len(buf) < 16:
        c = s.recv(16 - len(buf))
        if not c:
            return None
        buf += c
    n, t = struct.unpack(">IB", buf[:5])
    body = b""
    while len(body) < n:
        c = s.recv(n - len(body))
        if not c:
            return None
        body += c
    return t, body


def main():
    addr, want = sys.argv[1], int(sys.argv[2])
    host, port = addr.rsplit(":", 1)
    # one descriptor per connection, and some to spare
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = want + 64
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    held = []
    msg = hello()
    while len(held) < want:
        wave = []
        for _ in range(min(WAVE, want - len(held))):
            s = socket.create_connection((host, int(port)), timeout=10)
            s.sendall(msg)
            wave.append(s)
        for s in wave:
            f = read_frame(s)
            if f is None or f[0] != WELCOME:
                code = struct.unpack(">H", f[1][:2])[0] if f and f[0] == ERROR else -1
                print("refused=%d code=%d" % (len(held), code), flush=True)
                time.sleep(3600)
                return
            held.append(s)
    print("held=%d" % len(held), flush=True)
    time.sleep(3600)


if __name__ == "__main__":
    main()
