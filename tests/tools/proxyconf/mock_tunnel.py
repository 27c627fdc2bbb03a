#!/usr/bin/env python3
"""MOCK of the relay's HTTP long-poll side (PROTOCOL.md 5.1), for tests only.

The relay does not serve T3 yet; this stand-in speaks the tunnel requests
and carries each tunnel's bytes to the relay's raw-frame port, so that the
client side (proto/transport.c) can be tested end to end. It ends each rx
answer after RX_SECONDS (short, so re-issuing is exercised) or 256 KiB.

usage: mock_tunnel.py RELAY_HOST:PORT   (prints listening=127.0.0.1:PORT)
"""
import secrets
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RX_SECONDS = 2.0
RX_MAX = 256 << 10
TX_MAX = 256 << 10


class Tunnel:
    def __init__(self, relay):
        self.sock = socket.create_connection(relay)
        self.cond = threading.Condition()
        self.down = b""         # relay -> client bytes not yet freed
        self.down_base = 0      # stream offset of down[0]
        self.up_total = 0       # client -> relay bytes received
        self.eof = False
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        while True:
            try:
                b = self.sock.recv(65536)
            except OSError:
                b = b""
            with self.cond:
                if not b:
                    self.eof = True
                else:
                    self.down += b
                self.cond.notify_all()
            if not b:
                return


tunnels = {}
lock = threading.Lock()
relay_addr = None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("mock-tunnel: " + (fmt % args) + "\n")

    def answer(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def params(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query)
        t = tunnels.get(q.get("t", [""])[0])
        off = int(q.get("off", ["0"])[0])
        return u.path, t, off, q.get("t", [""])[0]

    def do_POST(self):
        path, t, off, tid = self.params()
        n = int(self.headers.get("Content-Length", "0"))
        if n > TX_MAX:
            return self.answer(413)
        body = self.rfile.read(n)
        if path == "/v1/open":
            tid = secrets.token_hex(16)
            with lock:
                tunnels[tid] = Tunnel(relay_addr)
            return self.answer(200, b"t=" + tid.encode() + b"\n")
        if t is None:
            return self.answer(404)
        if path == "/v1/close":
            t.sock.close()
            with lock:
                tunnels.pop(tid, None)
            return self.answer(200)
        if path != "/v1/tx":
            return self.answer(404)
        with t.cond:
            if off > t.up_total:
                return self.answer(409)
            new = body[t.up_total - off:]
            t.up_total += len(new)
        if new:
            t.sock.sendall(new)
        return self.answer(200, b"ack=%d\n" % t.up_total)

    def do_GET(self):
        path, t, off, _ = self.params()
        if t is None or path != "/v1/rx":
            return self.answer(404)
        with t.cond:
            sent = t.down_base + len(t.down)
            if off < t.down_base or off > sent:
                return self.answer(409)
            t.down = t.down[off - t.down_base:]     # off acknowledges what is before it
            t.down_base = off
            if t.eof and not t.down:
                return self.answer(404)
            t.cond.wait_for(lambda: t.down or t.eof, timeout=RX_SECONDS)
            data = t.down[:RX_MAX]
        # No length: the answer ends when the connection closes.
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True


def main():
    global relay_addr
    host, port = sys.argv[1].rsplit(":", 1)
    relay_addr = (host, int(port))
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print("listening=127.0.0.1:%d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
