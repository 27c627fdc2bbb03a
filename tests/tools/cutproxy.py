#!/usr/bin/env python3
"""cutproxy.py - a plain HTTP forward proxy for tests that cuts every
long-poll answer (GET /v1/rx) after CUT bytes of its body, the way a
flaky network or an impatient proxy would. The client must resume from
what it got: nothing lost, nothing doubled (the record layer would notice).

  cutproxy.py CUT       prints "listening=127.0.0.1:PORT", serves until killed
"""
import socket
import socketserver
import sys
import threading

CUT = int(sys.argv[1])
cuts = 0
lock = threading.Lock()


def read_head(f):
    lines = []
    while True:
        line = f.readline(65536)
        if not line:
            return None
        lines.append(line)
        if line in (b"\r\n", b"\n"):
            return lines


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        global cuts
        while True:
            head = read_head(self.rfile)
            if head is None:
                return
            method, url, _ = head[0].decode().split(" ", 2)
            hostport, path = url[len("http://"):].split("/", 1)
            host, port = hostport.rsplit(":", 1)
            length = 0
            out = ["%s /%s HTTP/1.1\r\n" % (method, path)]
            for h in head[1:-1]:
                k, v = h.decode().split(":", 1)
                if k.lower() == "content-length":
                    length = int(v)
                if k.lower() in ("proxy-connection", "proxy-authorization", "connection"):
                    continue
                out.append(h.decode())
            out.append("Connection: close\r\n\r\n")
            body = self.rfile.read(length) if length else b""
            up = socket.create_connection((host, int(port)))
            up.sendall("".join(out).encode() + body)
            rx = path.startswith("v1/rx")
            head_done = not rx
            data = b""
            body = 0
            while True:
                c = up.recv(65536)
                if not c:
                    break
                if not head_done:
                    data += c
                    if b"\r\n\r\n" not in data:
                        continue
                    hdr, c = data.split(b"\r\n\r\n", 1)
                    self.wfile.write(hdr + b"\r\n\r\n")
                    head_done = True
                if rx and body + len(c) > CUT:
                    # Forward up to CUT bytes of body, then hang up.
                    self.wfile.write(c[:CUT - body])
                    self.wfile.flush()
                    with lock:
                        cuts += 1
                        print("cut %d" % cuts, flush=True)
                    up.close()
                    return
                body += len(c)
                self.wfile.write(c)
                self.wfile.flush()
            up.close()
            return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
print("listening=127.0.0.1:%d" % srv.server_address[1], flush=True)
srv.serve_forever()
