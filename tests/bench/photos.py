#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""photos.py DIR - the pictures of the photos and video workloads (workload.sh).

Writes into DIR, once (nothing is done when DIR/source exists):
  photo01.ppm .. photo10.ppm  10 photographs as binary PPM (P6), 1280x720
  pan.ppm                     one more photograph, 1664x936, the video's
                              source (a 640x360 window moves across it)
  source                      one line: where the pictures came from

The photographs are the JPEGs larger than 100 KB under /usr/share (sorted
by path; those in a folder named "nature" or "photos" first, because
packages keep their photographs apart from drawings there; one of each
name stem: Elephants.jpg and Elephants_3840x2160.jpg are one picture). On
Debian, mate-backgrounds has eleven (screen.sh installs it). Every picture
is scaled to cover the size and cut to it in the middle (no bars). When
fewer than 11 are found, the rest are made here: fractal (1/f) noise in
three channels, blurred, which has the smooth gradients and fine texture of
a photograph but is not one; "source" then says "generated".

Needs PIL (python3-pil) and numpy (python3-numpy).
"""
import os
import subprocess
import sys

import numpy
from PIL import Image, ImageFilter

PHOTO_W, PHOTO_H = 1280, 720
PAN_W, PAN_H = 1664, 936
COUNT = 10
MIN_BYTES = 100 * 1024


def candidates():
    found = []
    for root, _dirs, files in os.walk("/usr/share"):
        for f in files:
            if f.lower().endswith((".jpg", ".jpeg")):
                p = os.path.join(root, f)
                try:
                    if os.path.getsize(p) > MIN_BYTES:
                        found.append(p)
                except OSError:
                    pass

    def photo_dir(p):
        parts = p.lower().split("/")
        return 0 if "nature" in parts or "photos" in parts else 1
    found.sort(key=lambda p: (photo_dir(p), p))
    out, stems = [], set()
    for p in found:
        stem = os.path.splitext(os.path.basename(p))[0].split("_")[0].lower()
        if stem not in stems:
            stems.add(stem)
            out.append(p)
    return out


def cover(im, w, h):
    """Scaled to cover w x h, then the middle w x h."""
    im = im.convert("RGB")
    s = max(w / im.width, h / im.height)
    sw, sh = max(w, round(im.width * s)), max(h, round(im.height * s))
    im = im.resize((sw, sh), Image.LANCZOS)
    x, y = (sw - w) // 2, (sh - h) // 2
    return im.crop((x, y, x + w, y + h))


def generated(seed, w, h):
    """Fractal noise: white noise shaped to 1/f in frequency, per channel."""
    rng = numpy.random.default_rng(seed)
    fy = numpy.fft.fftfreq(h)[:, None]
    fx = numpy.fft.rfftfreq(w)[None, :]
    f = numpy.sqrt(fx * fx + fy * fy)
    f[0, 0] = 1.0
    chans = []
    for _ in range(3):
        spec = numpy.fft.rfft2(rng.standard_normal((h, w))) / f
        c = numpy.fft.irfft2(spec, s=(h, w))
        c = (c - c.mean()) / (c.std() + 1e-9)
        chans.append(numpy.clip(128 + 45 * c, 0, 255))
    im = Image.fromarray(numpy.stack(chans, axis=2).astype(numpy.uint8), "RGB")
    return im.filter(ImageFilter.GaussianBlur(1.2))


def package_of(path):
    try:
        out = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True,
                             timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.split(":")[0] if out else "?"


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: photos.py DIR\n")
        return 2
    d = sys.argv[1]
    if os.path.exists(os.path.join(d, "source")):
        return 0
    os.makedirs(d, exist_ok=True)
    found = candidates()[:COUNT + 1]
    made = 0
    for i in range(COUNT):
        if i < len(found):
            im = cover(Image.open(found[i]), PHOTO_W, PHOTO_H)
        else:
            im = generated(i + 1, PHOTO_W, PHOTO_H)
            made += 1
        im.save(os.path.join(d, "photo%02d.ppm" % (i + 1)), "PPM")
    if len(found) > COUNT:
        cover(Image.open(found[COUNT]), PAN_W, PAN_H).save(os.path.join(d, "pan.ppm"), "PPM")
        pan = os.path.basename(found[COUNT])
    else:
        generated(100, PAN_W, PAN_H).save(os.path.join(d, "pan.ppm"), "PPM")
        pan = "generated"
        made += 1
    real = found[:COUNT + 1]
    pkgs = sorted({package_of(p) for p in real})
    if not real:
        line = "generated: all 11 pictures are fractal noise (no JPEG over 100 KB in /usr/share)"
    else:
        line = "%d photographs from %s (%s; video: %s)" % (
            len(real), ", ".join(pkgs), " ".join(os.path.basename(p) for p in real[:COUNT]), pan)
        if made:
            line += "; %d generated (fractal noise)" % made
    with open(os.path.join(d, "source.tmp"), "w") as f:
        f.write(line + "\n")
    os.rename(os.path.join(d, "source.tmp"), os.path.join(d, "source"))
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
