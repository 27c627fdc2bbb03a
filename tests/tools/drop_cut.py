#!/usr/bin/env python3
"""drop_cut.py - a TCP path to the relay that breaks connections in the
middle of a request, for the file drop's resume (t_drop.sh).

  drop_cut.py RELAY_PORT CUT TIMES

Listens on 127.0.0.1 (prints "listening=127.0.0.1:PORT"), forwards every
connection to 127.0.0.1:RELAY_PORT, and closes both sides of a connection
once CUT bytes went through it in one direction, at most TIMES times for
each direction (then it only forwards): uploads break on the way up,
downloads on the way down. Prints "cut up|down n=N" per cut.
"""
import socket
import sys
import threading

RELAY_PORT, CUT, TIMES = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
lock = threading.Lock()
cuts = {"up": 0, "down": 0}


def serve(c):
    r = socket.create_connection(("127.0.0.1", RELAY_PORT))
    moved = {"up": 0, "down": 0}
    done = threading.Event()

    def pump(src, dst, key):
        try:
            while not done.is_set():
                b = src.recv(16384)
                if not b:
                    break
                with lock:
                    cut = cuts[key] < TIMES and moved[key] + len(b) >= CUT
                    if cut:
                        cuts[key] += 1
                        n = cuts[key]
                if cut:
                    keep = CUT - moved[key]
                    dst.sendall(b[:keep])
                    print("cut %s n=%d" % (key, n), flush=True)
                    break
                moved[key] += len(b)
                dst.sendall(b)
        except OSError:
            pass
        done.set()
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    t = threading.Thread(target=pump, args=(r, c, "down"), daemon=True)
    t.start()
    pump(c, r, "up")
    t.join()
    c.close()
    r.close()


def main():
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    print("listening=127.0.0.1:%d" % ls.getsockname()[1], flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


main()
