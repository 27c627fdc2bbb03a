#!/usr/bin/env python3
"""topng.py IN OUT.png: a binary PPM (P6) or an uncompressed BMP (24/32
bit, as SDL_SaveBMP writes them) as a PNG, for screenshots in the docs."""
import struct
import sys
import zlib


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
    if parts[0] != b'P6' or int(parts[3]) != 255:
        sys.exit('topng: not a binary 8-bit PPM')
    w, h = int(parts[1]), int(parts[2])
    px = d[i + 1:i + 1 + w * h * 3]
    return w, h, [px[y * w * 3:(y + 1) * w * 3] for y in range(h)]


def read_bmp(d):
    off, = struct.unpack('<I', d[10:14])
    w, h, planes, bpp, comp = struct.unpack('<iiHHI', d[18:34])
    if bpp not in (24, 32) or comp not in (0, 3):
        sys.exit('topng: BMP with %d bpp, compression %d' % (bpp, comp))
    n = bpp // 8
    stride = (w * n + 3) & ~3
    rows = []
    for y in range(abs(h)):
        src = y if h < 0 else abs(h) - 1 - y
        r = d[off + src * stride:off + src * stride + w * n]
        out = bytearray(w * 3)
        out[0::3] = r[2::n]
        out[1::3] = r[1::n]
        out[2::3] = r[0::n]
        rows.append(bytes(out))
    return w, abs(h), rows


def chunk(kind, data):
    c = kind + data
    return struct.pack('>I', len(data)) + c + struct.pack('>I', zlib.crc32(c))


def main():
    d = open(sys.argv[1], 'rb').read()
    w, h, rows = read_bmp(d) if d[:2] == b'BM' else read_ppm(d)
    raw = b''.join(b'\0' + r for r in rows)
    png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
           + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))
    open(sys.argv[2], 'wb').write(png)


main()
