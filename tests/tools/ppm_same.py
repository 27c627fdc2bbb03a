#!/usr/bin/env python3
# ppm_same.py VIEWER.ppm GRIM.ppm W H [any]: the viewer's decoded frame equals
# grim's copy of the output pixel for pixel, both W x H; and (unless "any")
# the picture is tests/tools/wl_pattern's. Exit 0, else the reason on stderr.
import sys
def ppm(path):
    d = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while d[pos:pos + 1].isspace():
            pos += 1
        if d[pos:pos + 1] == b"#":
            pos = d.index(b"\n", pos)
            continue
        end = pos
        while not d[end:end + 1].isspace():
            end += 1
        fields.append(d[pos:end])
        pos = end
    assert fields[0] == b"P6" and fields[3] == b"255", path
    w, h = int(fields[1]), int(fields[2])
    return w, h, d[pos + 1:pos + 1 + w * h * 3]
vw, vh, vpx = ppm(sys.argv[1])
gw, gh, gpx = ppm(sys.argv[2])
want = (int(sys.argv[3]), int(sys.argv[4]))
if (vw, vh) != want or (gw, gh) != want:
    sys.exit("sizes: viewer %dx%d, grim %dx%d, want %dx%d" % (vw, vh, gw, gh, *want))
def pattern(x, y):
    return bytes(((x * 3 + y) & 255, (y * 5 + (x >> 2)) & 255, (x ^ y) & 255))
if vpx != gpx:
    # Where, and whose picture is off (a pointer left on the viewer's, or
    # on grim's), so that a failure says what to look for.
    diff = [(i // 3 % vw, i // 3 // vw) for i in range(0, len(vpx), 3)
            if vpx[i:i + 3] != gpx[i:i + 3]]
    xs, ys = [x for x, _y in diff], [y for _x, y in diff]
    off_v = sum(1 for x, y in diff if vpx[(y * vw + x) * 3:(y * vw + x) * 3 + 3] != pattern(x, y))
    off_g = sum(1 for x, y in diff if gpx[(y * gw + x) * 3:(y * gw + x) * 3 + 3] != pattern(x, y))
    sys.exit("%d of %d pixels differ from grim's, within x %d-%d, y %d-%d; of those, the "
             "viewer's are not wl_pattern's in %d, grim's in %d"
             % (len(diff), vw * vh, min(xs), max(xs), min(ys), max(ys), off_v, off_g))
if len(sys.argv) > 5 and sys.argv[5] == "any":
    sys.exit(0)
bad = 0
for y in range(gh):
    for x in range(gw):
        i = (y * gw + x) * 3
        if gpx[i:i + 3] != pattern(x, y):
            bad += 1
if bad:
    sys.exit("grim's copy is not wl_pattern's picture in %d pixels" % bad)
