#!/usr/bin/env python3
"""xwd2ppm.py IN OUT [X Y W H]: an `xwd -root` dump (ZPixmap, 24/32 bpp,
header big-endian) as a binary PPM, optionally cropped. An independent
reading of the screen, to compare with what Fernsicht captured or showed."""
import struct, sys
d = open(sys.argv[1], 'rb').read()
f = struct.unpack('>25I', d[:100])
hsize, fmt, depth, w, h, bo, bpp, bpl, vclass = f[0], f[2], f[3], f[4], f[5], f[7], f[11], f[12], f[13]
masks, ncolors = f[14:17], f[19]
if fmt != 2 or bpp not in (24, 32) or vclass not in (4, 5):
    sys.exit('xwd2ppm: unsupported dump: format %d, %d bpp, visual class %d' % (fmt, bpp, vclass))
px = d[hsize + 12 * ncolors:]
x0, y0, cw, ch = (int(a) for a in sys.argv[3:7]) if len(sys.argv) > 3 else (0, 0, w, h)
def chan(p, m):
    s = (m & -m).bit_length() - 1
    return ((p & m) >> s) >> ((m >> s).bit_length() - 8)
out = bytearray(b'P6\n%d %d\n255\n' % (cw, ch))
n = bpp // 8
# byte_of(m): where a channel lies in the pixel's bytes when it fills one
# whole byte (the usual 0xff0000 / 0xff00 / 0xff), else None.
def byte_of(m):
    for i in range(n):
        if m == 0xff << (8 * i):
            return i if bo == 0 else n - 1 - i
    return None
offsets = [byte_of(m) for m in masks]
if None not in offsets:
    # whole bytes: copy each channel with one slice a row (the per-pixel
    # way below takes half a second for a 460x340 crop)
    line = bytearray(cw * 3)
    for y in range(y0, y0 + ch):
        row = px[y * bpl + x0 * n:y * bpl + (x0 + cw) * n]
        for c in range(3):
            line[c::3] = row[offsets[c]::n]
        out += line
else:
    for y in range(y0, y0 + ch):
        row = px[y * bpl:(y + 1) * bpl]
        for x in range(x0, x0 + cw):
            p = int.from_bytes(row[x * n:x * n + n], 'little' if bo == 0 else 'big')
            out += bytes(chan(p, m) for m in masks)
open(sys.argv[2], 'wb').write(out)
