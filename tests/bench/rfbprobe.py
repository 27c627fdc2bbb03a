#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""rfbprobe - a minimal RFB 3.8 viewer that counts bytes (and follows one pixel).

  rfbprobe.py HOST:PORT zrle|tight|tightjpeg8 SECONDS [--latency X,Y] [--frames DIR]

Connects without authentication (security type None), shares the desktop,
asks for 32-bpp true colour little-endian pixels and one encoding: ZRLE,
or Tight at compression level 2 without the JPEG quality pseudo-encoding
(so the server must not send JPEG; both lossless), or (tightjpeg8) Tight
at compression level 2 with JPEG quality level 8 (pseudo-encoding -24),
which lets the server send photographic areas as JPEG, plus CopyRect,
DesktopSize and Cursor. Then it asks for incremental updates in lockstep,
like a viewer: the next request goes out when an update has been read
whole. Updates are parsed only far enough to find where they end.

Cursor (the pointer's shape as a pseudo-rectangle) is asked for so that
the servers leave the pointer out of the picture, as Fernsicht's master
does (it sends the pointer apart); otherwise every pointer move would be
drawn into the picture and cost bytes and updates.

--latency X,Y is the VNC half of the screen benchmark's latency probe
(tests/bench/screen.sh, viewer/session.h for Fernsicht's): with
tests/tools/x11_latency's window centred at X,Y (white while the pointer is
in its left half, black in its right), every 200-250 ms (the jitter keeps
the samples from locking to the server's frame clock) it sends a
PointerEvent to X - 12 or X + 12, towards the colour it does not see, and
prints "latency ms=T" when the first whole update after the move shows the
new colour at X - 20, Y + 20, or "latency timeout" after 2 s. The pixel
is decoded for real, which is why this mode inflates every ZRLE or Tight
rectangle and decodes those that cover that pixel: counting the first
rectangle that touches the window would also count an update that is not
the new colour yet (a damage scanline, a cursor), and would not be the
same measurement as Fernsicht's viewer, which looks at the decoded pixel.

--frames DIR keeps the whole picture as a viewer does (every Tight
rectangle decoded, JPEG ones with PIL) and writes it after every whole
update as DIR/frame-NNNNNN.ppm (binary PPM of the whole screen, like
fernsicht-viewer --record DIR/), for the picture quality figure
(tests/bench/ssim.py). Tight and tightjpeg8 only: ZRLE is not decoded
here (it is lossless, and decoding it in Python would slow the lockstep
down). tightjpeg8 keeps the picture even without --frames, so that the
latency probe's pixel is read from it when it came as JPEG. Needs numpy
and PIL (python3-numpy, python3-pil) in those two cases only.

Prints "ready w=W h=H" once the first update has arrived, and at the end
(after SECONDS, on SIGTERM/SIGINT, or when the server closes)
"bytes=N updates=M rects=R cursors=C jpeg=J jpeg_bytes=K" where N counts
every byte received on the socket, handshake included, M the updates with
picture rectangles, C the updates with nothing but a new pointer shape,
J the JPEG rectangles among the R and K their bytes (control byte, length
and JPEG data; they are in N too). Exit 0, or 1 on a
protocol error (the counts are still printed).
"""
import io
import os
import random
import signal
import socket
import struct
import sys
import time
import zlib

ENC_RAW, ENC_COPYRECT, ENC_TIGHT, ENC_ZRLE = 0, 1, 7, 16
ENC_DESKTOPSIZE = -223
ENC_CURSOR = -239
ENC_COMPRESS_2 = -256 + 2
ENC_QUALITY_8 = -32 + 8

PROBE_STEP = 12             # pointer offset from the window's centre
PROBE_DX, PROBE_DY = -20, 20    # the pixel looked at, from the centre
PROBE_PERIOD = 0.200
PROBE_JITTER = 0.050
PROBE_TIMEOUT = 2.0


class Stop(Exception):
    pass


class Conn:
    def __init__(self, sock, deadline):
        self.sock = sock
        self.deadline = deadline
        self.buf = bytearray()
        self.total = 0
        self.probe = None
        self.jpeg = 0
        self.jpeg_bytes = 0

    def count_jpeg(self, n):
        """A JPEG rectangle of n data bytes: control byte, length, data."""
        self.jpeg += 1
        self.jpeg_bytes += 1 + (1 if n < 1 << 7 else 2 if n < 1 << 14 else 3) + n

    def read(self, n):
        while len(self.buf) < n:
            now = time.monotonic()
            left = self.deadline - now
            if left <= 0:
                raise Stop("time")
            wait = min(left, 1.0)
            if self.probe is not None:
                wait = min(wait, self.probe.tick(now))
            self.sock.settimeout(max(wait, 0.001))
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
    if kind == 0x09:                      # JPEG (tightjpeg8 only)
        n = compact_len(c)
        c.count_jpeg(n)
        c.read(n)
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
    elif enc == ENC_CURSOR:
        c.read(w * h * 4 + (w + 7) // 8 * h)
    else:
        raise ValueError("unexpected encoding %d" % enc)


def cpixel(b, o):
    """ZRLE's CPIXEL: the three low bytes of our little-endian pixel."""
    return b[o] | b[o + 1] << 8 | b[o + 2] << 16


def tpixel(b, o):
    """Tight's TPIXEL: red, green, blue."""
    return b[o] << 16 | b[o + 1] << 8 | b[o + 2]


def zrle_pixel(raw, w, h, px, py):
    """The colour at px,py of an inflated ZRLE rectangle of w x h."""
    o = 0
    for ty in range(0, h, 64):
        th = min(64, h - ty)
        for tx in range(0, w, 64):
            tw = min(64, w - tx)
            hit = tx <= px < tx + tw and ty <= py < ty + th
            at = (py - ty) * tw + (px - tx)
            sub = raw[o]
            o += 1
            if sub == 0:                                  # raw
                if hit:
                    return cpixel(raw, o + 3 * at)
                o += 3 * tw * th
            elif sub == 1:                                # solid
                if hit:
                    return cpixel(raw, o)
                o += 3
            elif sub <= 16:                               # packed palette
                pal = o
                o += 3 * sub
                bits = 1 if sub == 2 else 2 if sub <= 4 else 4
                row = (tw * bits + 7) // 8
                if hit:
                    lx = px - tx
                    b = raw[o + (py - ty) * row + lx * bits // 8]
                    i = b >> (8 - bits - lx * bits % 8) & ((1 << bits) - 1)
                    return cpixel(raw, pal + 3 * i)
                o += row * th
            elif sub == 128 or sub >= 130:                # (palette) RLE
                pal = o
                if sub >= 130:
                    o += 3 * (sub - 128)
                n = 0
                while n < tw * th:
                    if sub == 128:
                        col, run = o, True
                        o += 3
                    else:
                        col, run = pal + 3 * (raw[o] & 0x7F), raw[o] & 0x80
                        o += 1
                    length = 1
                    while run:
                        length += raw[o]
                        run = raw[o] == 255
                        o += 1
                    if hit and n <= at < n + length:
                        return cpixel(raw, col)
                    n += length
            else:
                raise ValueError("zrle: unknown subencoding %d" % sub)
    raise ValueError("zrle: pixel outside the rectangle")


def gradient_pixel(data, w, px, py):
    """Undo Tight's gradient filter up to px,py (3 components)."""
    prev = [0] * (3 * w)
    for y in range(py + 1):
        cur = [0] * (3 * w)
        for x in range(w):
            for k in range(3):
                left = cur[3 * (x - 1) + k] if x else 0
                up = prev[3 * x + k]
                ul = prev[3 * (x - 1) + k] if x else 0
                pred = min(max(left + up - ul, 0), 255)
                cur[3 * x + k] = (data[3 * (y * w + x) + k] + pred) & 0xFF
        prev = cur
    return tpixel(prev, 3 * px)


class Picture:
    """The whole picture, as a viewer keeps it (--frames, tightjpeg8): every
    Tight rectangle decoded into an H x W x 3 RGB array."""

    def __init__(self, w, h):
        import numpy                                  # only here: see the doc
        from PIL import Image
        self.np, self.image = numpy, Image
        self.fb = numpy.zeros((h, w, 3), dtype=numpy.uint8)
        self.tight = [zlib.decompressobj() for _ in range(4)]
        self.written = 0

    def resize(self, w, h):
        self.fb = self.np.zeros((h, w, 3), dtype=self.np.uint8)

    def colour(self, x, y):
        """0xRRGGBB at x,y, or None outside the picture."""
        if not (0 <= y < self.fb.shape[0] and 0 <= x < self.fb.shape[1]):
            return None
        r, g, b = (int(v) for v in self.fb[y, x])
        return r << 16 | g << 8 | b

    def rect(self, c, enc, x, y, w, h):
        np = self.np
        if enc == ENC_TIGHT:
            self.tight_rect(c, x, y, w, h)
        elif enc == ENC_COPYRECT:
            sx, sy = struct.unpack(">HH", c.read(4))
            self.fb[y:y + h, x:x + w] = self.fb[sy:sy + h, sx:sx + w].copy()
        elif enc == ENC_RAW:                          # B, G, R, X (little-endian)
            px = np.frombuffer(c.read(w * h * 4), dtype=np.uint8).reshape(h, w, 4)
            self.fb[y:y + h, x:x + w] = px[:, :, 2::-1]
        elif enc == ENC_DESKTOPSIZE:
            self.resize(w, h)
        elif enc == ENC_ZRLE:
            raise ValueError("zrle: not decoded here (--frames is for Tight)")
        else:
            skip_rect(c, enc, w, h)

    def tight_rect(self, c, x, y, w, h):
        np = self.np
        ctl = c.u8()
        for i in range(4):
            if ctl & (1 << i):
                self.tight[i] = zlib.decompressobj()
        kind = ctl >> 4
        if kind == 0x08:                              # fill
            self.fb[y:y + h, x:x + w] = np.frombuffer(c.read(3), dtype=np.uint8)
            return
        if kind == 0x09:                              # JPEG
            n = compact_len(c)
            c.count_jpeg(n)
            im = self.image.open(io.BytesIO(c.read(n))).convert("RGB")
            if im.size != (w, h):
                raise ValueError("tight: a %dx%d JPEG in a %dx%d rectangle" %
                                 (im.size[0], im.size[1], w, h))
            self.fb[y:y + h, x:x + w] = np.asarray(im)
            return
        if kind > 0x09:
            raise ValueError("tight: unknown compression control 0x%02x" % ctl)
        filt = c.u8() if kind & 0x04 else 0
        pal = None
        if filt == 0 or filt == 2:                    # copy, gradient
            size = w * h * 3
        elif filt == 1:                               # palette
            pal = c.read((c.u8() + 1) * 3)
            size = (w + 7) // 8 * h if len(pal) == 6 else w * h
        else:
            raise ValueError("tight: unknown filter %d" % filt)
        if size < 12:
            data = c.read(size)
        else:
            data = self.tight[kind & 0x03].decompress(c.read(compact_len(c)))
        if len(data) != size:
            raise ValueError("tight: %d bytes inflated, %d expected" % (len(data), size))
        if filt == 0:
            px = np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3)
        elif filt == 2:
            px = self.gradient(data, w, h)
        else:
            colours = np.frombuffer(pal, dtype=np.uint8).reshape(-1, 3)
            if len(pal) == 6:
                bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8).reshape(h, -1),
                                     axis=1)[:, :w]
                px = colours[bits]
            else:
                idx = np.frombuffer(data, dtype=np.uint8).reshape(h, w)
                if idx.max(initial=0) >= len(colours):
                    raise ValueError("tight: palette index out of range")
                px = colours[idx]
        self.fb[y:y + h, x:x + w] = px

    def gradient(self, data, w, h):
        """Undoes Tight's gradient filter (a pixel at a time: slow, rare
        with JPEG on, since servers send smooth areas as JPEG then)."""
        out = bytearray(w * h * 3)
        for yy in range(h):
            for xx in range(w):
                for k in range(3):
                    o = 3 * (yy * w + xx) + k
                    left = out[o - 3] if xx else 0
                    up = out[o - 3 * w] if yy else 0
                    ul = out[o - 3 * w - 3] if xx and yy else 0
                    pred = min(max(left + up - ul, 0), 255)
                    out[o] = (data[o] + pred) & 0xFF
        return self.np.frombuffer(bytes(out), dtype=self.np.uint8).reshape(h, w, 3)

    def write(self, d):
        """The picture as d/frame-NNNNNN.ppm (its mtime: when it was whole)."""
        self.written += 1
        h, w = self.fb.shape[:2]
        with open(os.path.join(d, "frame-%06d.ppm" % self.written), "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (w, h))
            f.write(self.fb.tobytes())


class Pixel:
    """Follows one pixel of the picture through ZRLE or Tight rectangles.
    Every rectangle is inflated (the zlib streams run across them), and
    those that cover the pixel are decoded just far enough to find it."""

    def __init__(self, x, y):
        self.x, self.y = x, y
        self.colour = None                        # 0xRRGGBB; None: unknown
        self.zrle = zlib.decompressobj()
        self.tight = [zlib.decompressobj() for _ in range(4)]

    def rect(self, c, enc, x, y, w, h):
        hit = x <= self.x < x + w and y <= self.y < y + h
        px, py = self.x - x, self.y - y
        if enc == ENC_ZRLE:
            raw = self.zrle.decompress(c.read(c.u32()))
            if hit:
                self.colour = zrle_pixel(raw, w, h, px, py)
        elif enc == ENC_TIGHT:
            self.tight_rect(c, w, h, hit, px, py)
        else:
            skip_rect(c, enc, w, h)
            if hit and enc == ENC_COPYRECT:
                self.colour = None                # from elsewhere: not followed
            elif hit and enc == ENC_RAW:
                raise ValueError("raw rectangle: not asked for")

    def tight_rect(self, c, w, h, hit, px, py):
        ctl = c.u8()
        for i in range(4):
            if ctl & (1 << i):
                self.tight[i] = zlib.decompressobj()
        kind = ctl >> 4
        if kind == 0x08:                          # fill
            col = tpixel(c.read(3), 0)
            if hit:
                self.colour = col
            return
        if kind == 0x09:                          # JPEG: not asked for
            n = compact_len(c)
            c.count_jpeg(n)
            c.read(n)
            if hit:
                self.colour = None
            return
        if kind > 0x09:
            raise ValueError("tight: unknown compression control 0x%02x" % ctl)
        filt = c.u8() if kind & 0x04 else 0
        pal = None
        if filt == 0 or filt == 2:                # copy, gradient
            size = w * h * 3
        elif filt == 1:                           # palette
            pal = c.read((c.u8() + 1) * 3)
            size = (w + 7) // 8 * h if len(pal) == 6 else w * h
        else:
            raise ValueError("tight: unknown filter %d" % filt)
        if size < 12:
            data = c.read(size)
        else:
            data = self.tight[kind & 0x03].decompress(c.read(compact_len(c)))
        if len(data) != size:
            raise ValueError("tight: %d bytes inflated, %d expected" % (len(data), size))
        if not hit:
            return
        if filt == 0:
            self.colour = tpixel(data, 3 * (py * w + px))
        elif filt == 2:
            self.colour = gradient_pixel(data, w, px, py)
        elif len(pal) == 6:
            b = data[py * ((w + 7) // 8) + px // 8]
            self.colour = tpixel(pal, 3 * (b >> (7 - px % 8) & 1))
        else:
            self.colour = tpixel(pal, 3 * data[py * w + px])


class Probe:
    """--latency X,Y: moves the pointer, times until the pixel shows it."""

    def __init__(self, c, x, y):
        self.c = c
        self.x, self.y = x, y
        self.pixel = Pixel(x + PROBE_DX, y + PROBE_DY)
        self.picture = None                       # when the whole picture is kept
        self.started = False                      # the first update arrived
        self.pending = False
        self.want = 0
        self.sent = 0.0
        self.next = 0.0

    def shade(self):
        """1 white, 0 black, -1 else (near counts, as in the viewer)."""
        if self.picture is not None:
            c = self.picture.colour(self.x + PROBE_DX, self.y + PROBE_DY)
        else:
            c = self.pixel.colour
        if c is None:
            return -1
        return 1 if c & 0xE0E0E0 == 0xE0E0E0 else 0 if c & 0xE0E0E0 == 0 else -1

    def done(self, now):
        self.pending = False
        self.next = max(self.sent + PROBE_PERIOD + random.uniform(0, PROBE_JITTER), now)

    def tick(self, now):
        """Sends the next move when due; returns seconds until the next call."""
        if not self.started:
            return 1.0
        if self.pending:
            if now - self.sent < PROBE_TIMEOUT:
                return self.sent + PROBE_TIMEOUT - now
            print("latency timeout", flush=True)
            self.done(now)
        if now < self.next:
            return self.next - now
        # Towards the colour the picture does not show (a lost sample
        # cannot put the probe out of step).
        white = self.shade() != 1
        x = self.x - PROBE_STEP if white else self.x + PROBE_STEP
        self.c.send(struct.pack(">BBHH", 5, 0, x, self.y))
        self.sent = time.monotonic()
        self.pending = True
        self.want = 1 if white else 0
        return PROBE_TIMEOUT

    def update(self):
        """A whole update has been read and decoded."""
        self.started = True
        if self.pending and self.shade() == self.want:
            now = time.monotonic()
            print("latency ms=%.1f" % ((now - self.sent) * 1000), flush=True)
            self.done(now)


def main():
    usage = ("usage: rfbprobe.py HOST:PORT zrle|tight|tightjpeg8 SECONDS [--latency X,Y] "
             "[--frames DIR]\n")
    args = sys.argv[1:]
    if len(args) < 3 or args[1] not in ("zrle", "tight", "tightjpeg8"):
        sys.stderr.write(usage)
        return 2
    probe_at = frames = None
    rest = args[3:]
    while rest:
        if len(rest) < 2 or rest[0] not in ("--latency", "--frames"):
            sys.stderr.write(usage)
            return 2
        if rest[0] == "--frames":
            frames = rest[1]
        else:
            try:
                probe_at = [int(v) for v in rest[1].split(",")]
            except ValueError:
                probe_at = []
            if len(probe_at) != 2 or not PROBE_STEP <= probe_at[0] <= 65535 - PROBE_STEP or \
                    not 0 <= probe_at[1] <= 65535:
                sys.stderr.write(usage)
                return 2
        rest = rest[2:]
    host, _, port = args[0].rpartition(":")
    enc = args[1]
    if frames is not None and enc == "zrle":
        sys.stderr.write("rfbprobe: --frames decodes Tight only\n")
        return 2
    if frames is not None and not os.path.isdir(frames):
        sys.stderr.write("rfbprobe: %s is not a directory\n" % frames)
        return 2
    deadline = time.monotonic() + float(args[2])

    def on_signal(signum, frame):
        raise Stop("signal")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c = Conn(sock, deadline)
    updates = rects = cursors = 0
    probe = kept = None
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
        elif enc == "tight":
            encs = [ENC_TIGHT, ENC_COMPRESS_2]
        else:
            encs = [ENC_TIGHT, ENC_COMPRESS_2, ENC_QUALITY_8]
        encs += [ENC_COPYRECT, ENC_DESKTOPSIZE, ENC_CURSOR]
        if frames is not None or enc == "tightjpeg8":
            kept = Picture(w, h)
        if probe_at is not None:
            probe = c.probe = Probe(c, *probe_at)
            probe.picture = kept
        c.send(struct.pack(">BxH", 2, len(encs)) + struct.pack(">%di" % len(encs), *encs))
        c.send(struct.pack(">BBHHHH", 3, 0, 0, 0, w, h))
        while True:
            t = c.u8()
            if t == 0:                                # FramebufferUpdate
                c.read(1)
                nr = c.u16()
                picture = False
                for _ in range(nr):
                    x, y, rw, rh, e = struct.unpack(">HHHHi", c.read(12))
                    if kept is not None:
                        kept.rect(c, e, x, y, rw, rh)
                    elif probe is not None:
                        probe.pixel.rect(c, e, x, y, rw, rh)
                    else:
                        skip_rect(c, e, rw, rh)
                    if e == ENC_DESKTOPSIZE:
                        w, h = rw, rh
                    if e == ENC_CURSOR:
                        continue
                    picture = True
                    rects += 1
                if not picture:
                    cursors += 1
                else:
                    updates += 1
                    if updates == 1:
                        print("ready w=%d h=%d" % (w, h), flush=True)
                c.send(struct.pack(">BBHHHH", 3, 1, 0, 0, w, h))
                if kept is not None and frames is not None and picture:
                    kept.write(frames)
                if probe is not None and updates > 0:
                    probe.update()
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
    print("bytes=%d updates=%d rects=%d cursors=%d jpeg=%d jpeg_bytes=%d" %
          (c.total, updates, rects, cursors, c.jpeg, c.jpeg_bytes), flush=True)
    sock.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
