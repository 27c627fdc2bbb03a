#!/usr/bin/env python3
"""drop_client.py - the relay's file drop (docs/PROTOCOL.md 5.2) from a
script: for tests, and a reference for clients. It moves bytes only; the
blob's encryption is the clients' (the relay never sees keys).

  drop_client.py grant RELAY [SESSION]
      HELLO as a master (no SESSION) or a viewer of SESSION over raw
      frames; print the WELCOME's drop grant as hex ("" when none), and
      with --hold SECONDS keep the connection (the session stays live).
  drop_client.py upload RELAY GRANT FILE [--links N] [--downloads K]
      [--ttl S] [--part BYTES] [--stop-after BYTES]
      new, put in parts, done; print "id=..", "put=..", then "link=.."
      lines. --stop-after leaves the upload unfinished after that many
      bytes (prints "stopped have=N"); "resume RELAY ID PUT FILE" goes on.
  drop_client.py resume RELAY ID PUT FILE [--part BYTES] [--rate BYTES]
      --rate sends each put's body at BYTES a second (0: none of it, and
      waits for the relay to close), as a slow line would.
  drop_client.py fetch RELAY TOKEN OUT [--stop-after BYTES]
      claim, then get in parts into OUT (resumed from OUT's size when
      --id and --get are given instead of a claim).
  drop_client.py request RELAY METHOD PATH [HEADER=VALUE ...] [--body-file F]
      one raw request: prints "status=N" and the answer's body; exits 2
      for a status of 300 or more.

RELAY is HOST:PORT; --tls speaks HTTPS (certificate not verified: tests).
Any HTTP error prints "status=N" and the reason, and exits 2.
"""
import argparse
import http.client
import os
import socket
import ssl
import struct
import sys
import time

HELLO, WELCOME, ERROR = 1, 2, 3
PART = 256 << 10


def frame(t, body):
    return struct.pack(">IBBHQ", len(body), t, 0, 0, 0) + body


def read_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise SystemExit("relay closed the connection")
        b += c
    return b


def welcome_grant(body):
    """The optional tail of WELCOME: [lv16 ticket] [lv16 grant]."""
    at = 24                                   # u32 u16 u64 u32 u32 u16
    if len(body) <= at:
        return b""
    n = struct.unpack(">H", body[at:at + 2])[0]
    at += 2 + n
    if len(body) <= at:
        return b""
    n = struct.unpack(">H", body[at:at + 2])[0]
    return body[at + 2:at + 2 + n]


def cmd_grant(a):
    host, port = a.relay.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=10)
    role = 2 if a.session else 1
    name = b"drop_client"
    s.sendall(frame(HELLO, b"FSHT" + bytes([1, role]) + struct.pack(">I", a.session or 0)
                    + struct.pack(">H", len(name)) + name))
    while True:
        n, t, _f, _slot, _seq = struct.unpack(">IBBHQ", read_exact(s, 16))
        body = read_exact(s, n)
        if t == ERROR:
            raise SystemExit("relay refused: code %d" % struct.unpack(">H", body[:2])[0])
        if t == WELCOME:
            break
    number = struct.unpack(">I", body[:4])[0]
    print("session=%d" % number)
    print("grant=%s" % welcome_grant(body).hex(), flush=True)
    if a.hold:
        time.sleep(a.hold)
    s.close()


class Relay:
    def __init__(self, addr, tls):
        host, port = addr.rsplit(":", 1)
        self.addr, self.tls = (host, int(port)), tls
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            self.c = http.client.HTTPSConnection(host, int(port), timeout=30, context=ctx)
        else:
            self.c = http.client.HTTPConnection(host, int(port), timeout=30)

    def req(self, method, path, headers=None, body=b""):
        h = dict(headers or {})
        h["Content-Length"] = str(len(body))
        try:
            self.c.request(method, path, body=body, headers=h)
            r = self.c.getresponse()
            data = r.read()
        except (http.client.HTTPException, OSError):
            self.c.close()                    # the relay closed after an error: again
            self.c.request(method, path, body=body, headers=h)
            r = self.c.getresponse()
            data = r.read()
        if r.getheader("Connection", "").lower() == "close":
            self.c.close()
        return r.status, data


def fields(data):
    out = {}
    for line in data.decode().splitlines():
        k, _, v = line.partition("=")
        out.setdefault(k, []).append(v)
    return out


def check(status, data, want, raw=False):
    if status != want:
        print("status=%d" % status)
        sys.stdout.write(data.decode(errors="replace"))
        sys.exit(2)
    return data if raw else fields(data)


def slow_put(r, path, headers, body, rate):
    """One put over a raw socket, its body at rate bytes a second: (status,
    answer), or (0, b"") when the relay closed before it answered."""
    s = socket.create_connection(r.addr, timeout=60)
    if r.tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s)
    head = "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (
        path, r.addr[0], len(body))
    head += "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n"
    try:
        s.sendall(head.encode())
        step = max(1, rate // 10)
        at = 0
        while at < len(body):
            if rate == 0:
                if s.recv(1) == b"":
                    return 0, b""
                raise SystemExit("the relay answered a put whose body never came")
            s.sendall(body[at:at + step])
            at += step
            time.sleep(0.1)
        resp = http.client.HTTPResponse(s)
        resp.begin()
        return resp.status, resp.read()
    except (ConnectionError, http.client.HTTPException, OSError):
        return 0, b""
    finally:
        s.close()


def put_all(r, drop_id, put, path, have, part, stop_after=None, rate=None):
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        while have < size:
            if stop_after is not None and have >= stop_after:
                print("stopped have=%d" % have)
                return have, False
            f.seek(have)
            chunk = f.read(min(part, size - have))
            q = "/v1/drop/put?id=%s&off=%d" % (drop_id, have)
            if rate is not None:
                st, data = slow_put(r, q, {"X-Fernsicht-Put": put}, chunk, rate)
                if st == 0:
                    print("status=closed")
                    print("the relay closed the connection before it answered")
                    sys.exit(2)
            else:
                st, data = r.req("POST", q, {"X-Fernsicht-Put": put}, chunk)
            if st == 409:                     # the relay has another count: take it
                have = int(fields(data)["have"][0])
                continue
            have = int(check(st, data, 200)["have"][0])
    return have, True


def done(r, drop_id, put):
    st, data = r.req("POST", "/v1/drop/done?id=%s" % drop_id, {"X-Fernsicht-Put": put})
    for link in check(st, data, 200)["link"]:
        print("link=%s" % link)


def cmd_upload(a):
    r = Relay(a.relay, a.tls)
    size = os.path.getsize(a.file)
    st, data = r.req("POST", "/v1/drop/new?size=%d&links=%d&downloads=%d&ttl=%d"
                     % (size, a.links, a.downloads, a.ttl), {"X-Fernsicht-Grant": a.grant})
    f = check(st, data, 201)
    drop_id, put = f["id"][0], f["put"][0]
    print("id=%s" % drop_id)
    print("put=%s" % put, flush=True)
    _, complete = put_all(r, drop_id, put, a.file, 0, a.part, a.stop_after)
    if complete:
        done(r, drop_id, put)


def cmd_resume(a):
    r = Relay(a.relay, a.tls)
    # a put at offset 0 of nothing is refused; ask with an offset that is
    # surely wrong, and the 409 says where the relay stands
    st, data = r.req("POST", "/v1/drop/put?id=%s&off=%d" % (a.id, 1 << 60),
                     {"X-Fernsicht-Put": a.put}, b"x")
    have = int(check(st, data, 409)["have"][0])
    print("have=%d" % have)
    _, complete = put_all(r, a.id, a.put, a.file, have, a.part, rate=a.rate)
    if complete:
        done(r, a.id, a.put)


def cmd_fetch(a):
    r = Relay(a.relay, a.tls)
    if a.id and a.get:
        drop_id, get = a.id, a.get
        size = None
    else:
        st, data = r.req("POST", "/v1/drop/claim?t=%s" % a.token)
        f = check(st, data, 200)
        drop_id, get, size = f["id"][0], f["get"][0], int(f["size"][0])
        print("id=%s" % drop_id)
        print("size=%d" % size)
        print("get=%s" % get, flush=True)
    have = os.path.getsize(a.out) if os.path.exists(a.out) else 0
    with open(a.out, "ab") as out:
        while True:
            if a.stop_after is not None and have >= a.stop_after:
                print("stopped have=%d" % have)
                return
            st, data = r.req("GET", "/v1/drop/get?id=%s&off=%d" % (drop_id, have),
                             {"X-Fernsicht-Get": get})
            check(st, data, 200, raw=True)
            if not data:
                break
            out.write(data)
            have += len(data)
            if size is not None and have == size:
                break
    print("fetched=%d" % have)


def cmd_request(a):
    r = Relay(a.relay, a.tls)
    headers = dict(h.split("=", 1) for h in a.header)
    body = open(a.body_file, "rb").read() if a.body_file else b""
    st, data = r.req(a.method, a.path, headers, body)
    print("status=%d" % st)
    sys.stdout.write(data.decode(errors="replace"))
    if st >= 300:
        sys.exit(2)


def main():
    p = argparse.ArgumentParser(description="the relay's file drop, from a script")
    p.add_argument("--tls", action="store_true")
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grant")
    g.add_argument("relay")
    g.add_argument("session", type=int, nargs="?")
    g.add_argument("--hold", type=float, default=0)
    u = sub.add_parser("upload")
    u.add_argument("relay")
    u.add_argument("grant")
    u.add_argument("file")
    u.add_argument("--links", type=int, default=1)
    u.add_argument("--downloads", type=int, default=1)
    u.add_argument("--ttl", type=int, default=3600)
    u.add_argument("--part", type=int, default=PART)
    u.add_argument("--stop-after", type=int)
    s = sub.add_parser("resume")
    s.add_argument("relay")
    s.add_argument("id")
    s.add_argument("put")
    s.add_argument("file")
    s.add_argument("--part", type=int, default=PART)
    s.add_argument("--rate", type=int)
    f = sub.add_parser("fetch")
    f.add_argument("relay")
    f.add_argument("token")
    f.add_argument("out")
    f.add_argument("--id")
    f.add_argument("--get")
    f.add_argument("--stop-after", type=int)
    q = sub.add_parser("request")
    q.add_argument("relay")
    q.add_argument("method")
    q.add_argument("path")
    q.add_argument("header", nargs="*")
    q.add_argument("--body-file")
    a = p.parse_args()
    {"grant": cmd_grant, "upload": cmd_upload, "resume": cmd_resume, "fetch": cmd_fetch,
     "request": cmd_request}[a.cmd](a)


if __name__ == "__main__":
    main()
