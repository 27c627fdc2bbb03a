#!/bin/sh
# tests/bench/codec_pick.sh - which lossy codec for picture regions of the
# screen stream: TurboJPEG, libwebp, and VP8/VP9 realtime for a region that
# changes every frame, on real photographs (tests/bench/codec_pick.c says
# what is measured and how). Nothing here passes or fails on the numbers.
#
# The photographs are the machine's own: JPEGs over 100 KB under
# /usr/share, the CODEC_PICK_COUNT (5) largest of distinct names (one size
# of a picture shipped in several). With fewer, mate-backgrounds (real
# photographs) is installed with apt-get; failing that, ImageMagick's
# plasma fractals stand in, and the output says so. Each is scaled to
# cover 1280x720 and cropped to it from the middle. The video is a
# 640x360 window panning 4 px a frame across one of them, then 50 frames
# zooming into its middle (CODEC_PICK_VIDEO, 2: the largest file is often
# a painting or texture rather than a photograph).
#
# Environment: B (build), CODEC_PICK_COUNT (5), CODEC_PICK_PHOTOS (a list of
# image files to use instead of searching), CODEC_PICK_VIDEO (2),
# CODEC_PICK_REPEAT (2: runs of each encode and decode, the fastest counts).
# About 12 minutes on 2 cores.
# Prints "bench: codec ..." lines (tests/bench/run.sh collects the comparator,
# the best of each codec and the yardsticks), then a summary table.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
COUNT=${CODEC_PICK_COUNT:-5}
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init codec-pick

apt() {
	if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get "$@"
	else sudo -n env DEBIAN_FRONTEND=noninteractive apt-get "$@"; fi
}
# install PACKAGE...: the ones missing, quietly; 1 when that fails.
install() {
	_miss=""
	for _p in "$@"; do
		dpkg-query -W -f='${Status}' "$_p" 2>/dev/null | grep -q "ok installed" ||
		    _miss="$_miss $_p"
	done
	[ -z "$_miss" ] && return 0
	echo "installing$_miss (apt-get)"
	# shellcheck disable=SC2086
	apt install -y -q --no-install-recommends $_miss </dev/null >>"$T/apt.log" 2>&1 ||
	    { apt update -q </dev/null >>"$T/apt.log" 2>&1 &&
	      apt install -y -q --no-install-recommends $_miss </dev/null >>"$T/apt.log" 2>&1; }
}

install libturbojpeg0-dev libwebp-dev libvpx-dev libaom-dev libzstd-dev pkg-config imagemagick ||
    { echo "codec_pick: cannot install the codecs' -dev packages or ImageMagick" >&2
      tail -5 "$T/apt.log" >&2; exit 1; }
make --no-print-directory BUILD="$B" "$B/bench/codec_pick" >"$T/make.log" 2>&1 ||
    { echo "codec_pick: build failed" >&2; cat "$T/make.log" >&2; exit 1; }
# Debian's ImageMagick 6 is /usr/bin/convert; an earlier convert in PATH
# may be something else.
CONVERT=/usr/bin/convert
[ -x "$CONVERT" ] || CONVERT=convert

# photos: the COUNT largest JPEGs over 100 KB under /usr/share, one per name
# (Elephants_3840x2160.jpg is Elephants.jpg again).
photos() {
	find /usr/share -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -size +100k \
	    -printf '%s %p\n' 2>/dev/null | sort -rn | awk -v n="$COUNT" '{
		p = $0; sub(/^[0-9]+ /, "", p)
		stem = p; sub(/.*\//, "", stem); sub(/\.[^.]*$/, "", stem)
		sub(/_[0-9]+x[0-9]+$/, "", stem)
		if (!(stem in seen) && k < n) { seen[stem] = 1; k++; print p }
	}'
}

kind="photographs"
if [ -n "${CODEC_PICK_PHOTOS:-}" ]; then
	list=$CODEC_PICK_PHOTOS
else
	list=$(photos)
	if [ "$(echo "$list" | grep -c .)" -lt "$COUNT" ]; then
		install mate-backgrounds || echo "codec_pick: mate-backgrounds did not install"
		list=$(photos)
	fi
fi
i=0
for f in $list; do
	n=$((i + 1))
	if "$CONVERT" "$f" -strip -colorspace sRGB -type TrueColor -depth 8 \
	    -resize '1280x720^' -gravity center -extent 1280x720 "ppm:$T/photo$n.ppm" \
	    2>>"$T/convert.log" && [ -s "$T/photo$n.ppm" ]; then
		i=$n
		echo "photo $i: $f ($(identify -format '%wx%h' "$f" 2>/dev/null))"
	else
		echo "codec_pick: cannot read $f"
	fi
done
if [ "$i" -lt "$COUNT" ]; then
	kind="photographs and plasma fractals"
	while [ "$i" -lt "$COUNT" ]; do
		i=$((i + 1))
		"$CONVERT" -size 1280x720 -seed "$i" plasma:fractal -blur 0x1 -depth 8 \
		    "ppm:$T/photo$i.ppm" ||
		    { echo "codec_pick: ImageMagick cannot make a stand-in picture" >&2; exit 1; }
		echo "photo $i: generated, ImageMagick plasma:fractal (no photograph found)"
	done
fi
v=${CODEC_PICK_VIDEO:-2}
[ "$v" -le "$i" ] 2>/dev/null || v=1
echo "inputs: $i $kind at 1280x720; video: 50 frames of 640x360 panning 4 px a frame" \
    "across photo $v, then 50 zooming into its middle by 1% a frame"
echo "packages: $(dpkg-query -W -f '${Package} ${Version}, ' libturbojpeg0 libwebp7 libvpx7 \
    libaom3 libzstd1 2>/dev/null)"

ppms=""
j=1
while [ "$j" -le "$i" ]; do ppms="$ppms $T/photo$j.ppm"; j=$((j + 1)); done
# shellcheck disable=SC2086
"$B/bench/codec_pick" photo $ppms >"$T/photo.out" || { cat "$T/photo.out"; exit 1; }
cat "$T/photo.out"
"$B/bench/codec_pick" video "$T/photo$v.ppm" >"$T/video.out" || { cat "$T/video.out"; exit 1; }
cat "$T/video.out"

# The summary: per mode the comparator and each codec's smallest setting at
# its SSIM; bytes relative to the comparator's, times to zstd -1's.
echo
echo "summary (KiB after zstd -1 over the whole output; SSIM luma, Gaussian 11x11;"
echo "ms per megapixel, one thread; 'x zstd' is that time over zstd -1 of the raw pixels)"
cat "$T/photo.out" "$T/video.out" | awk '
function kv(line, key,   n, i, a, b) {
	n = split(line, a, " ")
	for (i = 1; i <= n; i++) { split(a[i], b, "="); if (b[1] == key) return b[2] }
	return ""
}
/^bench: codec_yardstick / { z[kv($0, "mode")] = kv($0, "zstd1_ms_mp") }
/^bench: codec_ref / || /^bench: codec_best / {
	m = kv($0, "mode")
	if (/codec_ref/) { ref[m] = kv($0, "zbytes"); name = "tight-q8 (jpeg q92 4:4:4)"; q = 92 }
	else { name = kv($0, "codec"); q = kv($0, "q") }
	if (!(m in shown)) {
		if (nshown++)
			print ""
		else
			printf "%-6s %-26s %4s %9s %7s %6s %8s %8s %9s %9s %7s\n", "mode", "codec",
			    "q", "KiB", "vs ref", "bpp", "SSIM", "SSIM-c", "enc ms/MP", "dec ms/MP",
			    "x zstd"
		shown[m] = 1
	}
	if (kv($0, "none") == 1) {
		printf "%-6s %-26s  (no setting reached the SSIM)\n", m, name
		next
	}
	e = kv($0, "enc_ms_mp")
	printf "%-6s %-26s %4s %9.0f %7.2f %6.3f %8.5f %8.5f %9.2f %9.2f %7.1f\n", m, name, q,
	    kv($0, "zbytes") / 1024, kv($0, "zbytes") / ref[m], kv($0, "bpp"), kv($0, "ssim"),
	    kv($0, "ssim_c"), e, kv($0, "dec_ms_mp"), (z[m] > 0 ? e / z[m] : 0)
}'
