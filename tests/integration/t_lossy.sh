# Lossy tiles on a real X display (Xvfb): a still screen arrives exact;
# pictures that change (noise painted over and over, more colours than a
# palette holds) arrive as JPEG tiles, the text-like colour bars beside
# them stay exact; once the screen is still the viewer's picture becomes
# the screen's pixel for pixel (the exact refresh); a master started with
# --lossless never sends a JPEG tile; a second viewer that joins the
# still screen gets it exact at once; a viewer behind a 2 Mbit/s line
# (tools/link_shaper) watching a pan across a picture makes the master
# lower its JPEG quality (master/quality.c); the same pan on a fast line
# goes as VP9 (master/motion.c), a viewer that joins in the middle of it
# gets a key frame of its own, and both end exact once it stops.
. "$(dirname "$0")/lib.sh"
start_xvfb 640x480
start_relay relay

# same_as_screen PPM: the picture equals an X screenshot taken now.
same_as_screen() {
	xwd -root -silent >"$T/shot.xwd" || fail "xwd"
	python3 "$top/tests/tools/xwd2ppm.py" "$T/shot.xwd" "$T/shot.ppm" || fail "xwd2ppm"
	cmp -s "$1" "$T/shot.ppm"
}

# until_exact DIR WHAT: the newest frame in DIR becomes the screen (the
# refresh comes a second after the last change; 15 s is only a deadline).
until_exact() {
	i=0
	until same_as_screen "$1/$(ls "$1" | tail -1)"; do
		i=$((i + 1))
		[ $i -lt 150 ] || fail "$2: the viewer's picture never became the screen's"
		sleep 0.1
	done
}

# paint_changing: five pictures of noise, one over the other, 150 ms apart.
paint_changing() {
	for seed in 7 8 9 10 11; do
		"$B/tools/x11_paint" 40 30 300 200 $seed >"$T/paint$seed.out" 2>&1 &
		pids="$pids $!"
		wait_for "$T/paint$seed.out" '^painted' 10
		sleep 0.15
	done
}

# 1. Lossy allowed (the default).
start_master host "$RELAY" --source x11 --auto-accept --fps 30
mkdir "$T/rec"
start_viewer v "$RELAY" "$SESSION" "$CODE" --record "$T/rec/"
vp=$VIEWER_PID
wait_for "$T/v.out" '^frame n=1 ' 20
grep -q '^frame n=1 .*lossy=' "$T/v.out" && fail "the first picture of a still screen was lossy"
paint_changing
wait_for "$T/v.out" '^frame n=[0-9]+ id=[0-9]+ lossy=[1-9]' 10
wait_for "$T/v.out" '^picture jpeg' 10
lossy_id=$(grep -E 'lossy=[1-9]' "$T/v.out" | tail -1 | sed -n 's/.* id=\([0-9]*\) .*/\1/p')
until_exact "$T/rec" "after the pictures stopped changing"
# The viewer's own count of JPEG tiles agrees: none left.
wait_for "$T/v.out" '^picture exact' 10
# The lossy frame was close to the screen in the noise, not equal there;
# the colour bars above it were exact in it.
python3 - "$T/rec/frame-$(printf %06u "$lossy_id").ppm" "$T/shot.ppm" <<'PY' ||
import math, sys
def ppm(p):
    d = open(p, 'rb').read()
    f, i = [], 0
    while len(f) < 4:
        while d[i:i + 1].isspace(): i += 1
        j = i
        while not d[j:j + 1].isspace(): j += 1
        f.append(d[i:j]); i = j
    return int(f[1]), d[i + 1:]
w, a = ppm(sys.argv[1])
_, b = ppm(sys.argv[2])
def region(px, x0, y0, x1, y1):
    return [px[(y * w + x) * 3 + c] for y in range(y0, y1) for x in range(x0, x1) for c in range(3)]
bars_a, bars_b = region(a, 40, 30, 340, 120), region(b, 40, 30, 340, 120)
noise_a, noise_b = region(a, 40, 140, 340, 230), region(b, 40, 140, 340, 230)
se = sum((p - q) ** 2 for p, q in zip(noise_a, noise_b)) / len(noise_a)
psnr = 99 if se == 0 else 10 * math.log10(255 * 255 / se)
print("noise psnr %.1f dB, bars exact %s" % (psnr, bars_a == bars_b))
sys.exit(0 if bars_a == bars_b and 8 < psnr < 99 else 1)
PY
    fail "frame $lossy_id: the bars should be exact and the noise close but lossy"

# 2. A second viewer joins the still screen: its first picture is exact.
mkdir "$T/rec2"
start_viewer w "$RELAY" "$SESSION" "$(latest_code host)" --record "$T/rec2/"
wp=$VIEWER_PID
wait_for "$T/w.out" '^frame n=1 ' 20
grep -q 'lossy=' "$T/w.out" && fail "a viewer joining a still screen got lossy tiles"
same_as_screen "$T/rec2/$(ls "$T/rec2" | head -1)" ||
    fail "the joining viewer's first picture is not the screen"
kill "$vp" "$wp"
master_cmd host end
note "changing pictures went lossy (frame $lossy_id), exact once still;" \
    "a joining viewer exact at once"

# 3. --lossless: the same changes, never a JPEG tile.
start_master exact "$RELAY" --source x11 --auto-accept --fps 30 --lossless
code=$(latest_code exact)
mkdir "$T/rec3"
start_viewer x "$RELAY" "$SESSION" "$code" --record "$T/rec3/"
xp=$VIEWER_PID
wait_for "$T/x.out" '^frame n=1 ' 20
paint_changing
until_exact "$T/rec3" "--lossless"
grep -q "lossy=" "$T/x.out" && fail "--lossless sent JPEG tiles"
kill "$xp"
note "--lossless: exact every frame"

# 4. A slow line: a pan at 25 frames a second needs several times what
# 2 Mbit/s carries, so frames queue and the quality steps down.
python3 - "$T/pan.ppm" <<'PY' || fail "cannot draw the pan's picture"
import math, random, sys
w, h, rnd = 900, 300, random.Random(7)
px = bytearray()
for y in range(h):
    for x in range(w):
        for k in range(3):
            v = 128 + 90 * math.sin(x / (31.0 + 9 * k) + y / (47.0 - 5 * k))
            v += rnd.randint(-40, 40)
            px.append(max(0, min(255, int(v))))
open(sys.argv[1], 'wb').write(b'P6 %d %d 255\n' % (w, h) + bytes(px))
PY
start_master slow "$RELAY" --source x11 --auto-accept --fps 30 --log-level debug
code=$(latest_code slow)
"$B/tools/link_shaper" 0 "$RELAY" 2000 40 >"$T/shaper.out" 2>"$T/shaper.log" &
pids="$pids $!"
wait_for "$T/shaper.out" '^listening' 5
start_viewer y "127.0.0.1:$(sed -n 's/^listening //p' "$T/shaper.out")" "$SESSION" "$code"
yp=$VIEWER_PID
wait_for "$T/y.out" '^frame n=1 ' 20
# (Its exit status is not looked at: under the sanitizers the tool's own
# leaks at exit would count.)
"$B/tools/x11_paint" --pan "$T/pan.ppm" 80 60 480 270 4 25 100 10 >"$T/pan.out" 2>&1
grep -q '^shown frame=99 ' "$T/pan.out" || fail "x11_paint --pan: $(tail -3 "$T/pan.out")"
wait_for "$T/slow.log" 'JPEG quality [0-9]+ ' 10 ||
    fail "the quality did not follow the 2 Mbit/s line"
q=$(grep -o 'JPEG quality [0-9]*' "$T/slow.log" | head -1 | grep -o '[0-9]*$')
[ "$q" -lt 75 ] || fail "the first change of quality was up ($q), not down"
kill "$yp"
note "2 Mbit/s, 40 ms: the quality went from 75 to $q first, then" \
    "$(grep -o 'JPEG quality [0-9]*' "$T/slow.log" | grep -o '[0-9]*$' | tr '\n' ' ')"

# 5. The pan on a fast line: the moving region goes as VP9; a viewer that
# joins while it moves gets a key frame (the first one's stream goes on);
# both pictures end exact once it stops.
master_cmd slow end
start_master vid "$RELAY" --source x11 --auto-accept --fps 30 --log-level debug
mkdir "$T/rec5" "$T/rec6"
start_viewer z "$RELAY" "$SESSION" "$(latest_code vid)" --record "$T/rec5/"
zp=$VIEWER_PID
wait_for "$T/z.out" '^frame n=1 ' 20
"$B/tools/x11_paint" --pan "$T/pan.ppm" 80 60 480 270 4 25 100 10 >"$T/pan2.out" 2>&1 &
panp=$!
wait_for "$T/vid.log" 'motion: .* VP9 from now on' 10 || fail "the pan did not go as VP9"
start_viewer z2 "$RELAY" "$SESSION" "$(latest_code vid)" --record "$T/rec6/"
z2p=$VIEWER_PID
wait_for "$T/z2.out" '^frame n=5 ' 20
wait "$panp"
grep -q '^shown frame=99 ' "$T/pan2.out" || fail "x11_paint --pan: $(tail -3 "$T/pan2.out")"
wait_for "$T/z2.out" '^frame n=[0-9]+ id=[0-9]+ lossy=' 10 ||
    fail "the viewer that joined got no lossy frame of the pan"
until_exact "$T/rec5" "after the pan (first viewer)"
until_exact "$T/rec6" "after the pan (the viewer that joined)"
wait_for "$T/vid.log" 'motion: the VP9 region .* ends \(still\)' 5 ||
    fail "the VP9 region did not end once still"
# Every region of the pan together (a region that grows starts afresh).
keys=$(grep -o 'ends ([a-z ]*); [0-9]* frames, [0-9]* key' "$T/vid.log" |
    awk '{f += $(NF - 3); k += $(NF - 1)} END {print f " frames, " k " key frames"}')
nframes=$(echo "$keys" | awk '{print $1}')
nkey=$(echo "$keys" | awk '{print $3}')
[ "${nkey:-0}" -ge 2 ] || fail "the viewer that joined should have had a key frame ($keys)"
[ "${nframes:-0}" -gt "$((nkey + 10))" ] || fail "few inter frames ($keys)"
kill -0 "$zp" "$z2p" 2>/dev/null || fail "a viewer of the VP9 pan ended"
kill "$zp" "$z2p"
note "the pan as VP9: $keys; a viewer joining mid-pan decoded it, both exact once still"
