#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pixels.py - count pixels in window pictures, for the tests.

  pixels.py count FILE R,G,B [X Y W H]   pixels of exactly that colour
  pixels.py diff A B [X Y W H]           pixels that differ between A and B

FILE is an uncompressed BMP (24/32 bit, as SDL_SaveBMP writes them), a
binary PPM (P6) or an xwd dump of a TrueColor window (`xwd -id`). The
rectangle (default: all) is in the picture's pixels, clipped to it; the
count is printed."""
import struct
import sys


def read_bmp(d):
    off, = struct.unpack_from('<I', d, 10)
    w, h, _, bpp, comp = struct.unpack_from('<iiHHI', d, 18)
    if bpp not in (24, 32) or comp not in (0, 3):
        sys.exit('pixels: BMP with %d bpp, compression %d' % (bpp, comp))
    n = bpp // 8
    stride = (w * n + 3) & ~3
    rows = []
    for y in range(abs(h)):
        src = y if h < 0 else abs(h) - 1 - y
        r = d[off + src * stride:][:w * n]
        rows.append([(r[i + 2], r[i + 1], r[i]) for i in range(0, w * n, n)])
    return w, abs(h), rows


def read_ppm(d):
    parts, i = [], 0
    while len(parts) < 4:
        while d[i:i + 1].isspace():
            i += 1
        j = i
        while not d[j:j + 1].isspace():
            j += 1
        parts.append(d[i:j])
        i = j
    w, h = int(parts[1]), int(parts[2])
    px = d[i + 1:]
    return w, h, [[tuple(px[(y * w + x) * 3:(y * w + x) * 3 + 3]) for x in range(w)]
                  for y in range(h)]


def read_xwd(d):
    f = struct.unpack('>25I', d[:100])
    hsize, fmt, w, h, bo, bpp, bpl, vclass = f[0], f[2], f[4], f[5], f[7], f[11], f[12], f[13]
    masks, ncolors = f[14:17], f[19]
    if fmt != 2 or bpp not in (24, 32) or vclass not in (4, 5):
        sys.exit('pixels: unsupported xwd dump')
    px = d[hsize + 12 * ncolors:]

    def chan(p, m):
        s = (m & -m).bit_length() - 1
        return ((p & m) >> s) >> ((m >> s).bit_length() - 8)
    n = bpp // 8
    rows = []
    for y in range(h):
        row = []
        for x in range(w):
            b = px[y * bpl + x * n:y * bpl + x * n + n]
            p = int.from_bytes(b, 'big' if bo == 1 else 'little')
            row.append(tuple(chan(p, m) for m in masks))
        rows.append(row)
    return w, h, rows


def read(path):
    d = open(path, 'rb').read()
    if d[:2] == b'BM':
        return read_bmp(d)
    if d[:2] == b'P6':
        return read_ppm(d)
    return read_xwd(d)


def rect(w, h, args):
    x, y, rw, rh = (int(a) for a in args) if len(args) == 4 else (0, 0, w, h)
    return max(x, 0), max(y, 0), min(x + rw, w), min(y + rh, h)


def main(a):
    if len(a) >= 3 and a[0] == 'count':
        w, h, rows = read(a[1])
        want = tuple(int(c) for c in a[2].split(','))
        x0, y0, x1, y1 = rect(w, h, a[3:])
        print(sum(1 for y in range(y0, y1) for x in range(x0, x1) if rows[y][x] == want))
    elif len(a) >= 3 and a[0] == 'diff':
        w, h, ra = read(a[1])
        w2, h2, rb = read(a[2])
        x0, y0, x1, y1 = rect(min(w, w2), min(h, h2), a[3:])
        print(sum(1 for y in range(y0, y1) for x in range(x0, x1) if ra[y][x] != rb[y][x]))
    else:
        sys.exit(__doc__)


main(sys.argv[1:])
