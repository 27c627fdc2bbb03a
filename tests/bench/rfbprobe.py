#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""rfbprobe - a minimal RFB 3.8 viewer that counts bytes, decodes nothing.

  rfbprobe.py HOST:PORT zrle|tight SECONDS

Connects without authentication (security type None), shares the desktop,
asks for 32-bpp true colour little-endian pixels and one lossless encoding:
ZRLE, or Tight at compression level 2 without the JPEG quality
pseudo-encoding (so the server must not send JPEG), plus CopyRect and
DesktopSize. Then it asks for incremental updates in lockstep, like a
viewer: the next request goes out when an update has been read whole.
Updates are parsed only far enough to find where they end.

Prints "ready w=W h=H" once the first update has arrived, and at the end
(after SECONDS, on SIGTERM/SIGINT, or when the server closes)
"bytes=N updates=M rects=R" where N counts every byte received on the
socket, handshake included. Exit 0, or 1 on a protocol error (the counts
are still printed).
"""
import signal
import socket
import struct
import sys
import time

ENC_RAW, ENC_COPYRECT, ENC_TIGHT, ENC_ZRLE = 0, 1, 7, 16
ENC_DESKTOPSIZE = -223
ENC_COMPRESS_2 = -256 + 2


class Stop(Exception):
    pass


class Conn:
    def __init__(self, sock, deadline):
        self.sock = sock
        self.deadline = deadline
        self.buf = bytearray()
        self.total = 0

    def read(self, n):
        while len(self.buf) < n:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise Stop("time")
            self.sock.settimeout(min(left, 1.0))
            try:
                d = self.sock.recv(1 << 16)
            except socket.timeout:
                continue
            if not d:
                raise Stop("closed")
            self.total += len(d)
            self.buf += d
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def u8(self):
        return self.read(1)[0]

    def u16(self):
        return struct.unpack(">H", self.read(2))[0]

    def u32(self):
        return struct.unpack(">I", self.read(4))[0]

    def send(self, b):
        self.sock.sendall(b)


def compact_len(c):
    b = c.u8()
    n = b & 0x7F
    if b & 0x80:
        b = c.u8()
        n |= (b & 0x7F) << 7
        if b & 0x80:
            n |= c.u8() << 14
    return n


def skip_tight(c, w, h, tpixel=3):
    ctl = c.u8()
    kind = ctl >> 4
    if kind == 0x08:                      # fill: one TPIXEL
        c.read(tpixel)
        return
    if kind == 0x09:                      # JPEG (not requested, but cheap to skip)
        c.read(compact_len(c))
        return
    if kind > 0x09:
        raise ValueError("tight: unknown compression control 0x%02x" % ctl)
    filt = c.u8() if kind & 0x04 else 0
    if filt == 0:                         # copy
        size = w * h * tpixel
    elif filt == 1:                       # palette
        ncol = c.u8() + 1
        c.read(ncol * tpixel)
        size = ((w + 7) // 8) * h if ncol == 2 else w * h
    elif filt == 2:                       # gradient
        size = w * h * tpixel
    else:
        raise ValueError("tight: unknown filter %d" % filt)
    if size < 12:
        c.read(size)
    else:
        c.read(compact_len(c))


def skip_rect(c, enc, w, h):
    if enc == ENC_RAW:
        c.read(w * h * 4)
    elif enc == ENC_COPYRECT:
        c.read(4)
    elif enc == ENC_ZRLE:
        c.read(c.u32())
    elif enc == ENC_TIGHT:
        skip_tight(c, w, h)
    elif enc == ENC_DESKTOPSIZE:
        pass
    else:
        raise ValueError("unexpected encoding %d" % enc)


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("zrle", "tight"):
        sys.stderr.write("usage: rfbprobe.py HOST:PORT zrle|tight SECONDS\n")
        return 2
    host, _, port = sys.argv[1].rpartition(":")
    enc = sys.argv[2]
    deadline = time.monotonic() + float(sys.argv[3])

    def on_signal(signum, frame):
        raise Stop("signal")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c = Conn(sock, deadline)
    updates = rects = 0
    rc = 0
    try:
        ver = c.read(12)
        if not ver.startswith(b"RFB 003."):
            raise ValueError("not an RFB server: %r" % ver)
        c.send(b"RFB 003.008\n")
        n = c.u8()
        if n == 0:
            raise ValueError("refused: %r" % c.read(c.u32()))
        types = c.read(n)
        if 1 not in types:
            raise ValueError("no security type None offered: %r" % list(types))
        c.send(b"\x01")
        if c.u32() != 0:
            raise ValueError("security failed")
        c.send(b"\x01")                               # ClientInit: shared
        w, h = c.u16(), c.u16()
        c.read(16)                                    # server pixel format
        c.read(c.u32())                               # desktop name
        # SetPixelFormat: 32 bpp, depth 24, little-endian, true colour.
        c.send(struct.pack(">B3xBBBBHHHBBB3x", 0, 32, 24, 0, 1, 255, 255, 255, 16, 8, 0))
        if enc == "zrle":
            encs = [ENC_ZRLE]
        else:
            encs = [ENC_TIGHT, ENC_COMPRESS_2]
        encs += [ENC_COPYRECT, ENC_DESKTOPSIZE]
        c.send(struct.pack(">BxH", 2, len(encs)) + struct.pack(">%di" % len(encs), *encs))
        c.send(struct.pack(">BBHHHH", 3, 0, 0, 0, w, h))
        while True:
            t = c.u8()
            if t == 0:                                # FramebufferUpdate
                c.read(1)
                nr = c.u16()
                for _ in range(nr):
                    x, y, rw, rh, e = struct.unpack(">HHHHi", c.read(12))
                    skip_rect(c, e, rw, rh)
                    if e == ENC_DESKTOPSIZE:
                        w, h = rw, rh
                    rects += 1
                updates += 1
                if updates == 1:
                    print("ready w=%d h=%d" % (w, h), flush=True)
                c.send(struct.pack(">BBHHHH", 3, 1, 0, 0, w, h))
            elif t == 1:                              # SetColourMapEntries
                c.read(3)
                c.read(c.u16() * 6)
            elif t == 2:                              # Bell
                pass
            elif t == 3:                              # ServerCutText
                c.read(3)
                c.read(c.u32())
            else:
                raise ValueError("unknown server message %d" % t)
    except Stop:
        pass
    except (ValueError, OSError) as e:
        sys.stderr.write("rfbprobe: %s\n" % e)
        rc = 1
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("bytes=%d updates=%d rects=%d" % (c.total, updates, rects), flush=True)
    sock.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
