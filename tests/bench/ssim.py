#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""ssim.py - the screen benchmark's picture quality figure.

  ssim.py MARKS DIR       the mean SSIM of a client's decoded frames
  ssim.py A.ppm B.ppm     the SSIM of two pictures of one size

SSIM is the standard one (Wang, Bovik, Sheikh, Simoncelli 2004): an 11x11
Gaussian window of sigma 1.5, K1 = 0.01, K2 = 0.03, dynamic range 255,
computed on luma (Y = 0.299 R + 0.587 G + 0.114 B, BT.601) over the
windows that lie wholly inside the picture, and averaged over them. 1.0
is the same picture; a picture of the previous frame or a coarse JPEG
scores lower.

MARKS has the workload's sample moments (tests/bench/workload.sh):
  t_ns=T truth=FILE x=X y=Y w=W h=H sx=SX sy=SY step=S back=K
DIR has the frames the client decoded, one binary PPM of the whole screen
each (fernsicht-viewer --record DIR/, rfbprobe.py --frames DIR); a file's
modification time is when the client finished decoding and writing it. For
each moment the client's picture is the last frame written at or before T
(a later one may be a newer picture), cut to the workload's region X,Y,W,H,
and it is compared with the W x H crop at SX,SY of the PPM FILE; when
step and back are not 0 (the video), also with the crops at SX - S ..
SX - K*S (the frames shown up to K frames earlier) and the best counts, so
that a client a few frames late is scored on how its picture looks, not on
how late it is (the benchmark measures latency apart).

Prints "ssim=M samples=N missing=U min=L" (M the mean over the moments
the client had a frame for; U the moments it had none; L the worst), or
"ssim=n/a ..." when there is none. Needs numpy (python3-numpy).
"""
import os
import sys

import numpy

WINDOW = 11
SIGMA = 1.5
C1 = (0.01 * 255) ** 2
C2 = (0.03 * 255) ** 2


def ppm(path):
    """A binary PPM as a read-only H x W x 3 uint8 array (memory-mapped)."""
    with open(path, "rb") as f:
        head = f.read(64)
    fields, pos = [], 0
    while len(fields) < 4:
        while pos < len(head) and head[pos:pos + 1].isspace():
            pos += 1
        if pos < len(head) and head[pos:pos + 1] == b"#":
            raise ValueError("%s: PPM comments are not read here" % path)
        end = pos
        while end < len(head) and not head[end:end + 1].isspace():
            end += 1
        if end >= len(head):
            raise ValueError("%s: not a binary PPM" % path)
        fields.append(head[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError("%s: not a binary PPM of maxval 255" % path)
    w, h = int(fields[1]), int(fields[2])
    return numpy.memmap(path, dtype=numpy.uint8, mode="r", offset=pos + 1, shape=(h, w, 3))


def luma(rgb):
    rgb = numpy.asarray(rgb, dtype=numpy.float64)
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def gaussian():
    k = numpy.arange(WINDOW) - WINDOW // 2
    g = numpy.exp(-(k * k) / (2 * SIGMA * SIGMA))
    return g / g.sum()


def blur(a, g):
    """The Gaussian window's weighted mean at every whole-window position."""
    n = len(g)
    rows = sum(g[i] * a[i:a.shape[0] - n + 1 + i, :] for i in range(n))
    return sum(g[i] * rows[:, i:rows.shape[1] - n + 1 + i] for i in range(n))


def ssim(a, b):
    """Mean SSIM of two H x W x 3 pictures."""
    if a.shape != b.shape or a.shape[0] < WINDOW or a.shape[1] < WINDOW:
        raise ValueError("ssim: pictures of %s and %s" % (a.shape, b.shape))
    x, y, g = luma(a), luma(b), gaussian()
    mx, my = blur(x, g), blur(y, g)
    sxx = blur(x * x, g) - mx * mx
    syy = blur(y * y, g) - my * my
    sxy = blur(x * y, g) - mx * my
    m = ((2 * mx * my + C1) * (2 * sxy + C2)) / ((mx * mx + my * my + C1) * (sxx + syy + C2))
    return float(m.mean())


def parse_mark(line):
    kv = dict(f.split("=", 1) for f in line.split())
    ints = {k: int(kv[k]) for k in ("t_ns", "x", "y", "w", "h", "sx", "sy", "step", "back")}
    ints["truth"] = kv["truth"]
    return ints


def frames_of(d):
    """(mtime_ns, path) of every PPM in d, oldest first."""
    out = []
    for name in sorted(os.listdir(d)):
        if name.endswith(".ppm"):
            p = os.path.join(d, name)
            out.append((os.stat(p).st_mtime_ns, p))
    out.sort(key=lambda e: e[0])        # stable: by name within one mtime
    return out


def quality(marks_path, d):
    with open(marks_path) as f:
        marks = [parse_mark(line) for line in f if line.strip()]
    frames = frames_of(d)
    truths = {}
    scores, missing = [], 0
    for m in marks:
        seen = [p for t, p in frames if t <= m["t_ns"]]
        if not seen:
            missing += 1
            continue
        shot = ppm(seen[-1])
        x, y, w, h = m["x"], m["y"], m["w"], m["h"]
        if shot.shape[0] < y + h or shot.shape[1] < x + w:
            raise ValueError("%s: %dx%d, smaller than the region" %
                             (seen[-1], shot.shape[1], shot.shape[0]))
        got = numpy.array(shot[y:y + h, x:x + w])
        if m["truth"] not in truths:
            truths[m["truth"]] = ppm(m["truth"])
        truth = truths[m["truth"]]
        best = None
        for k in range(m["back"] + 1 if m["step"] else 1):
            sx = m["sx"] - k * m["step"]
            if sx < 0:
                break
            s = ssim(got, truth[m["sy"]:m["sy"] + h, sx:sx + w])
            best = s if best is None or s > best else best
        scores.append(best)
    if not scores:
        return "ssim=n/a samples=0 missing=%d min=n/a" % missing
    return "ssim=%.4f samples=%d missing=%d min=%.4f" % (
        sum(scores) / len(scores), len(scores), missing, min(scores))


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: ssim.py MARKS DIR | ssim.py A.ppm B.ppm\n")
        return 2
    try:
        if os.path.isdir(sys.argv[2]):
            print(quality(sys.argv[1], sys.argv[2]))
        else:
            print("ssim=%.4f" % ssim(numpy.array(ppm(sys.argv[1])),
                                     numpy.array(ppm(sys.argv[2]))))
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write("ssim.py: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
