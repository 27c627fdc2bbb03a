#!/bin/sh
# tests/bench/screen.sh - the screen benchmark (design/screen.md,
# "Benchmarks to run" and section 8): the same deterministic workloads
# (tests/bench/workload.sh) on a fresh Xvfb 1920x1080x24 for each server,
# side by side with the VNC servers closest to us, one server at a time:
#
#   fernsicht        relay + master (--source x11 --fps $SCREEN_FPS, default
#                    30, the master's own default) + headless viewer
#   fernsicht lossless  the same with the master's --lossless (no lossy
#                    picture path), only when fernsicht-master --help
#                    mentions --lossless
#   x0tigervnc zrle  X0tigervnc (TigerVNC's scraping server), rfbprobe ZRLE
#   x0tigervnc tight X0tigervnc, rfbprobe Tight level 2 without JPEG
#   x0tigervnc tightjpeg8  X0tigervnc, rfbprobe Tight level 2 with JPEG
#                    quality level 8 (pseudo-encoding -24)
#   x11vnc zrle      x11vnc -noxrecord, rfbprobe ZRLE
#   x11vnc tightjpeg8  x11vnc -noxrecord, rfbprobe Tight level 2, JPEG
#                    quality level 8
#
# For each run: bytes sent to the viewer (Fernsicht: the relay's "bytes
# out=" for the viewer's connection, so records, AEAD and headers count;
# VNC: every byte rfbprobe read, handshake included), the server's CPU
# seconds (run time of all its threads from /proc/PID/task/*/schedstat,
# or utime+stime from /proc/PID/stat; from just before the workload
# to just before the server is stopped; the master / X0tigervnc / x11vnc,
# not Xvfb), frames or updates delivered, and input-to-display latency
# while the workload runs. Ratios are against the best VNC run of the same
# workload in this run; nothing passes or fails on timing.
#
# Latency is input-to-decoded-frame on loopback: from the moment the
# viewer (Fernsicht: fernsicht-viewer --latency-probe, through its relay
# like any session; VNC: rfbprobe.py --latency, straight to the server)
# sends a pointer move until the first whole frame or update it has
# received and decoded shows the pixel that move changes. The target is
# tests/tools/x11_latency, a 48x48 window in the bottom-right corner (no
# workload draws there) that is white while the pointer is in its left
# half and black in its right; a sample moves the pointer to the other
# half every 200-250 ms (jittered, so the samples do not lock to a frame
# clock) and gives up after 2 s. Not included: the OS input path on the
# viewer's side and the display's scan-out (a photodiode measures those).
# p50 and p90 are nearest-rank over the samples taken between the start
# and the end of the workload; a timeout counts as 2000 ms (a lower bound).
# The probe runs in every run, so its pointer moves and repaints are in
# every run's bytes and CPU alike; the pointer's keyboard focus stays with
# the typing workload's xterm (xdotool windowfocus sets it explicitly).
#
# Picture quality (ssim): for the workloads that show known pictures
# (slideshow, animation, photos and video, tests/bench/workload.sh), the
# mean SSIM (tests/bench/ssim.py: the standard 11x11 Gaussian window, on
# luma) of the picture the client had decoded at each sample moment (the
# end of each image's 500 or 100 ms; every 10th video frame) against the
# true pixels of the workload's region; 1 is exact. The clients write
# every decoded frame (fernsicht-viewer --record DIR/, rfbprobe.py
# --frames DIR) to $SCREEN_FRAMES (a tmpfs when /dev/shm is writable, so
# that the writing costs both little); the moment's picture is the last
# frame written before it. A late frame scores lower, except in the video,
# where frames up to 5 late (200 ms) count as on time (ssim.py). Writing
# 6 MB a frame costs the client time, which the latency of those four
# workloads includes (rfbprobe, in Python, more than the viewer). ZRLE is
# not decoded by rfbprobe (it is lossless, and too slow in Python): its
# ssim is n/a; so is the text workloads' (no known pictures). The quality
# figure needs python3-pil and python3-numpy (and the photographs of
# mate-backgrounds), installed like the VNC servers; without them ssim is
# n/a and photos.py draws fractal noise instead of photographs (the output
# says which source was used).
#
# The VNC servers are Debian packages (tigervnc-scraping-server, x11vnc);
# they are installed with apt-get when missing, and when that fails only
# Fernsicht's numbers are reported.
#
# Environment: SCREEN_WORKLOADS ("scroll typing drag switch slideshow
# animation photos video"), SCREEN_DRAIN (1) seconds to let the last
# updates arrive after a workload, SCREEN_FPS (30) the master's frame cap
# (TigerVNC's default is 60), SCREEN_FRAMES (/dev/shm) where the decoded
# frames are written for a moment, SCREEN_LINK ("KBIT DELAY_MS", e.g.
# "10000 40"; default none) a slow line in user space (tools/link_shaper)
# between every viewer and its relay or VNC server, both ways,
# SCREEN_SERVERS the rows to run (default: every one; "fernsicht-qN" is the
# master with --quality N), B (build) where the programs are.
# Ends with "bench: screen ..." lines for grep; exit 1 only when a
# Fernsicht measurement could not be taken.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
WORKLOADS=${SCREEN_WORKLOADS:-scroll typing drag switch slideshow animation photos video}
DRAIN=${SCREEN_DRAIN:-1}
FPS=${SCREEN_FPS:-30}
LINK=${SCREEN_LINK:-}
missing=""
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init screen
FRAMES_BASE=${SCREEN_FRAMES:-/dev/shm}
[ -d "$FRAMES_BASE" ] && [ -w "$FRAMES_BASE" ] || FRAMES_BASE=$T
FR=$(mktemp -d "$FRAMES_BASE/fernsicht-frames.XXXXXX") || exit 1
trap 'rm -rf "$FR"; bench_cleanup' EXIT

for f in fernsicht-relay fernsicht-master fernsicht-viewer tools/x11_paint tools/x11_latency \
    tools/link_shaper; do
	[ -x "$B/$f" ] || { echo "bench: $B/$f missing (make all tests)" >&2; exit 1; }
done
for c in Xvfb xterm xdotool python3 timeout; do
	command -v $c >/dev/null 2>&1 || { sh scripts/deps.sh || exit 1; break; }
done

# The VNC comparators: installed only when missing.
vnc=yes
if ! command -v X0tigervnc >/dev/null 2>&1 || ! command -v x11vnc >/dev/null 2>&1; then
	echo "== installing tigervnc-scraping-server and x11vnc (apt-get)"
	apt_get() {
		if [ "$(id -u)" = 0 ]; then apt-get "$@"
		else sudo -n apt-get "$@"; fi
	}
	DEBIAN_FRONTEND=noninteractive apt_get install -y -q tigervnc-scraping-server x11vnc \
	    >"$T/apt.log" 2>&1 ||
	    { apt_get update -q >>"$T/apt.log" 2>&1 &&
	      DEBIAN_FRONTEND=noninteractive apt_get install -y -q tigervnc-scraping-server \
	          x11vnc >>"$T/apt.log" 2>&1; }
	if ! command -v X0tigervnc >/dev/null 2>&1 || ! command -v x11vnc >/dev/null 2>&1; then
		echo "  cannot install the VNC servers; only Fernsicht's numbers follow:"
		tail -3 "$T/apt.log" | sed 's/^/  | /'
		vnc=no
	fi
fi

# The quality figure's python (PIL and numpy) and photographs: installed
# only when missing, and only for the workloads that show pictures.
apt_quiet() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$T/apt.log" 2>&1 ||
	    { apt-get update -q >>"$T/apt.log" 2>&1 &&
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$T/apt.log" 2>&1; }
}
# has_pil PYTHON: whether PYTHON imports PIL and numpy.
has_pil() { "$1" -c 'import numpy, PIL.Image' >/dev/null 2>&1; }
QPY=""
for py in python3 /usr/bin/python3; do
	if has_pil "$py"; then QPY=$py; break; fi
done
# The tightjpeg8 rows decode JPEG (every workload); the picture workloads
# need the quality figure.
_pictures=no
case " $WORKLOADS " in
*" slideshow "* | *" animation "* | *" photos "* | *" video "*) _pictures=yes ;;
esac
if [ -z "$QPY" ] && [ "$(id -u)" = 0 ] && { [ "$vnc" = yes ] || [ $_pictures = yes ]; }; then
	echo "== installing python3-pil and python3-numpy (apt-get)"
	apt_quiet python3-pil python3-numpy
	! has_pil /usr/bin/python3 || QPY=/usr/bin/python3
fi
[ -n "$QPY" ] || echo "  no python with PIL and numpy: no tightjpeg8 rows, no photos and video," \
    "ssim is n/a"
case " $WORKLOADS " in
*" photos "* | *" video "*)
	if [ "$(id -u)" = 0 ] && ! dpkg-query -W -f '${Status}\n' mate-backgrounds 2>/dev/null |
	    grep -q '^install ok'; then
		echo "== installing mate-backgrounds (apt-get: photographs)"
		apt_quiet mate-backgrounds || echo "  cannot install mate-backgrounds"
	fi
	if [ -n "$QPY" ]; then
		"$QPY" tests/bench/photos.py "$T/pictures" >/dev/null ||
		    echo "  photos.py could not make the pictures"
		echo "  pictures: $(cat "$T/pictures/source" 2>/dev/null)"
	fi
	;;
esac

# quality RUN DIR: sets R_SSIM from the run's sample moments and the frames
# the client wrote to DIR, then removes DIR.
quality() {
	R_SSIM=""
	if [ -s "$T/$1.marks" ] && [ -n "$QPY" ]; then
		"$QPY" tests/bench/ssim.py "$T/$1.marks" "$2" >"$T/$1.ssim" 2>&1 ||
		    echo "  $1: ssim.py: $(tail -1 "$T/$1.ssim")"
		R_SSIM=$(sed -n 's/^ssim=\([0-9.]*\) .*/\1/p' "$T/$1.ssim")
		R_SSIM_N=$(sed -n 's/.* samples=\([0-9]*\) missing=\([0-9]*\).*/\1+\2/p' \
		    "$T/$1.ssim")
	fi
	rm -rf "$2"
}

# sees WORKLOAD: whether the workload has sample moments for the quality.
sees() { case $1 in slideshow | animation | photos | video) [ -n "$QPY" ] ;; *) false ;; esac; }

# sub A B: A - B with three decimals, or n/a.
sub() {
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "") print "n/a";
	    else printf "%.3f\n", a - b }'
}

# div A B [FORMAT]: A / B, or n/a when either is missing or B is zero.
div() {
	awk -v a="${1:-}" -v b="${2:-}" -v f="${3:-%.2f}" \
	    'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0)
	        print "n/a"; else printf f "\n", a / b }'
}

# least VALUES...: the smallest number, or n/a when there is none.
least() {
	printf '%s\n' "$@" | awk '/^[0-9.]+$/ { if (!n++ || $1 < m) m = $1 }
	    END { if (n) print m; else print "n/a" }'
}

# The latency probe's window (x11_latency's default place and size) and the
# number of samples the viewer may take (more than any workload needs).
PROBE_X=1896
PROBE_Y=1056
PROBE_MAX=100000

# probe_window RUN: the latency probe's window on $DISPLAY; sets PROBE_PID.
probe_window() {
	"$B/tools/x11_latency" "$((PROBE_X - 24))" "$((PROBE_Y - 24))" 48 \
	    >"$T/$1.probewin.out" 2>"$T/$1.probewin.log" &
	PROBE_PID=$!
	pids="$pids $PROBE_PID"
	wait_for "$T/$1.probewin.out" '^ready' 10
}

# lines FILE: how many lines FILE has now.
lines() { wc -l <"$1" | tr -d ' '; }

# latency FILE FROM TO RUN: sets R_P50, R_P90, R_N and R_TIMEOUTS from the
# latency lines FROM+1..TO of FILE (those written during the workload).
latency() {
	sed -n "$(($2 + 1)),$3p" "$1" >"$T/$4.latency"
	# shellcheck disable=SC2046 # four numbers
	set -- $(percentiles "$T/$4.latency")
	R_P50=$1 R_P90=$2 R_N=$3 R_TIMEOUTS=$4
	[ "$R_N" != 0 ] || R_P50="" R_P90=""
}

# workload NAME RUN: the workload in the foreground, bounded; its sample
# moments go to $T/RUN.marks.
workload() {
	: >"$T/$2.marks"
	LANG=C WORKLOAD_PICTURES="$T/pictures" WORKLOAD_PY="${QPY:-python3}" \
	    WORKLOAD_MARKS="$T/$2.marks" timeout 60 sh tests/bench/workload.sh "$1" \
	    >"$T/$2.workload.log" 2>&1 ||
	    echo "  $2: workload $1 failed: $(tail -2 "$T/$2.workload.log")"
}

# Each run sets R_BYTES, R_CPU, R_FRAMES, R_P50, R_P90 and R_SSIM (empty
# when not measured), R_N and R_TIMEOUTS.

# shaped ADDR ROW: VADDR becomes the address a viewer connects to: ADDR
# itself, or with SCREEN_LINK ("KBIT DELAY_MS") a link_shaper in front of
# it (a slow line both ways; its pid in SHAPER_PID).
SHAPER_PID=""
shaped() {
	SHAPER_PID=""
	VADDR=$1
	[ -n "$LINK" ] || return 0
	# shellcheck disable=SC2086 # KBIT DELAY_MS
	"$B/tools/link_shaper" 0 "$1" $LINK >"$T/$2.shaper.out" 2>"$T/$2.shaper.log" &
	SHAPER_PID=$!
	pids="$pids $SHAPER_PID"
	wait_for "$T/$2.shaper.out" '^listening' 5 ||
	    { echo "  $2: link_shaper did not start"; return 1; }
	VADDR=127.0.0.1:$(sed -n 's/^listening //p' "$T/$2.shaper.out")
}

# run_fernsicht WORKLOAD ROW [MASTER OPTION...]
run_fernsicht() {
	_r=$1-$2
	_w=$1
	shift 2
	R_BYTES="" R_CPU="" R_FRAMES="" R_P50="" R_P90="" R_SSIM="" R_N=0 R_TIMEOUTS=0
	_rec=""
	! sees "$_w" || _rec="--record $FR/$_r/"
	xvfb "$_r" || { echo "  $_r: Xvfb did not start"; return; }
	probe_window "$_r" || echo "  $_r: the latency probe's window did not map"
	bench_relay "$_r" || { stop "$RELAY_PID" "$XVFB_PID"; return; }
	_relay=$RELAY_PID
	shaped "$RELAY_ADDR" "$_r" || { stop "$_relay" "$XVFB_PID"; return; }
	if ! bench_master "$_r" "$RELAY_ADDR" --source x11 "$@"; then
		stop "$MASTER_PID" "$_relay" "$XVFB_PID"
		return
	fi
	_master=$MASTER_PID
	# shellcheck disable=SC2086 # none or two words
	"$B/fernsicht-viewer" --relay "$VADDR" "$SESSION" --code "$CODE" --headless --name bench \
	    --latency-probe "$PROBE_X,$PROBE_Y,$PROBE_MAX" $_rec \
	    >"$T/$_r.viewer.out" 2>"$T/$_r.viewer.log" &
	_viewer=$!
	pids="$pids $_viewer"
	if wait_for "$T/$_r.viewer.out" '^frame ' 15; then
		_c0=$(cpu "$_master")
		_l0=$(lines "$T/$_r.viewer.out")
		workload "$_w" "$_r"
		latency "$T/$_r.viewer.out" "$_l0" "$(lines "$T/$_r.viewer.out")" "$_r"
		sleep "$DRAIN"
		_c1=$(cpu "$_master")
		stop "$_viewer"
		# (state=closing: the host removed it after its goodbye)
		if wait_for "$T/$_r.relay.log" 'state=(viewer|closing).*bytes in=' 10; then
			R_BYTES=$(grep -E 'state=(viewer|closing).*bytes in=' "$T/$_r.relay.log" |
			    tail -1 |
			    sed 's/.* out=\([0-9]*\).*/\1/')
		else
			echo "  $_r: the relay logged no viewer close"
		fi
		[ -z "$_c0" ] || [ -z "$_c1" ] || R_CPU=$(sub "$_c1" "$_c0")
		R_FRAMES=$(grep -c '^frame ' "$T/$_r.viewer.out")
		[ -z "$_rec" ] || quality "$_r" "$FR/$_r"
	else
		echo "  $_r: no frame reached the viewer: $(tail -2 "$T/$_r.viewer.log")" \
		    "$(tail -2 "$T/$_r.master.log")"
	fi
	stop "$_viewer" "$_master" "$_relay" "$PROBE_PID" "$XVFB_PID" $SHAPER_PID
}

# run_vnc WORKLOAD x0tigervnc|x11vnc zrle|tight|tightjpeg8
run_vnc() {
	_r=$1-$2-$3
	R_BYTES="" R_CPU="" R_FRAMES="" R_P50="" R_P90="" R_SSIM="" R_N=0 R_TIMEOUTS=0
	# Tight is decoded with PIL and numpy (tightjpeg8 always, for the
	# latency probe's pixel); ZRLE is not (see rfbprobe.py).
	_py=python3 _rec=""
	case $3 in
	tightjpeg8) [ -n "$QPY" ] || { echo "  $_r: no python with PIL and numpy"; return; }
		_py=$QPY ;;
	esac
	if [ "$3" != zrle ] && sees "$1"; then
		_py=$QPY
		mkdir -p "$FR/$_r"
		_rec="--frames $FR/$_r"
	fi
	xvfb "$_r" || { echo "  $_r: Xvfb did not start"; return; }
	probe_window "$_r" || echo "  $_r: the latency probe's window did not map"
	_port=$(free_port)
	if [ "$2" = x0tigervnc ]; then
		# The binary, not the x0vncserver wrapper (which daemonizes).
		X0tigervnc -display "$DISPLAY" -rfbport "$_port" -localhost -SecurityTypes None \
		    -Log '*:stderr:30' >"$T/$_r.server.out" 2>"$T/$_r.server.log" &
		_ready='Listening for VNC connections'
		_rlog=$T/$_r.server.log
	else
		x11vnc -display "$DISPLAY" -rfbport "$_port" -localhost -nopw -forever -shared \
		    -noxrecord -q >"$T/$_r.server.out" 2>"$T/$_r.server.log" &
		_ready='^PORT='
		_rlog=$T/$_r.server.out
	fi
	_server=$!
	pids="$pids $_server"
	if ! wait_for "$_rlog" "$_ready" 15; then
		echo "  $_r: $2 did not start: $(tail -2 "$T/$_r.server.log")"
		stop "$_server" "$PROBE_PID" "$XVFB_PID"
		return
	fi
	shaped "127.0.0.1:$_port" "$_r" || { stop "$_server" "$PROBE_PID" "$XVFB_PID"; return; }
	# shellcheck disable=SC2086 # none or two words
	"$_py" tests/bench/rfbprobe.py "$VADDR" "$3" 300 \
	    --latency "$PROBE_X,$PROBE_Y" $_rec >"$T/$_r.probe.out" 2>"$T/$_r.probe.log" &
	_probe=$!
	pids="$pids $_probe"
	if wait_for "$T/$_r.probe.out" '^ready' 15; then
		_c0=$(cpu "$_server")
		_l0=$(lines "$T/$_r.probe.out")
		workload "$1" "$_r"
		latency "$T/$_r.probe.out" "$_l0" "$(lines "$T/$_r.probe.out")" "$_r"
		sleep "$DRAIN"
		_c1=$(cpu "$_server")
		stop "$_probe"
		_l=$(grep '^bytes=' "$T/$_r.probe.out" | tail -1)
		if [ -n "$_l" ]; then
			R_BYTES=$(echo "$_l" | sed 's/^bytes=\([0-9]*\) .*/\1/')
			R_FRAMES=$(echo "$_l" | sed 's/.*updates=\([0-9]*\).*/\1/')
		fi
		[ ! -s "$T/$_r.probe.log" ] || echo "  $_r: $(tail -1 "$T/$_r.probe.log")"
		[ -z "$_c0" ] || [ -z "$_c1" ] || R_CPU=$(sub "$_c1" "$_c0")
		[ -z "$_rec" ] || quality "$_r" "$FR/$_r"
	else
		echo "  $_r: the probe got no update: $(tail -2 "$T/$_r.probe.log")"
	fi
	stop "$_probe" "$_server" "$PROBE_PID" "$XVFB_PID" $SHAPER_PID
}

servers="fernsicht"
! "$B/fernsicht-master" --help 2>&1 | grep -q -- '--lossless' ||
    servers="$servers fernsicht-lossless"
[ "$vnc" = no ] ||
    servers="$servers x0tigervnc-zrle x0tigervnc-tight x0tigervnc-tightjpeg8 x11vnc-zrle"
[ "$vnc" = no ] || servers="$servers x11vnc-tightjpeg8"
servers=${SCREEN_SERVERS:-$servers}

line=${LINK:+; a line of $LINK (kbit/s, ms each way)}
echo "== screen: workloads on Xvfb 1920x1080x24, one server at a time ($servers)$line"
if [ "$vnc" = yes ]; then
	dpkg-query -W -f '  ${Package} ${Version}\n' tigervnc-scraping-server x11vnc 2>/dev/null
fi
start=$(date +%s)
for w in $WORKLOADS; do
	for s in $servers; do
		R_SSIM_N=0
		case $s in
		fernsicht) run_fernsicht "$w" "$s" ;;
		fernsicht-lossless) run_fernsicht "$w" "$s" --lossless ;;
		fernsicht-q*) run_fernsicht "$w" "$s" --quality "${s#fernsicht-q}" ;;
		*) run_vnc "$w" "${s%-*}" "${s#*-}" ;;
		esac
		v=$(echo "$s" | tr - _)
		eval "B_${w}_$v=\${R_BYTES:-n/a} C_${w}_$v=\${R_CPU:-n/a} F_${w}_$v=\${R_FRAMES:-n/a}"
		eval "P_${w}_$v=\${R_P50:-n/a} Q_${w}_$v=\${R_P90:-n/a} S_${w}_$v=\${R_SSIM:-n/a}"
		echo "  $w $s: bytes=${R_BYTES:-n/a} cpu_s=${R_CPU:-n/a} frames=${R_FRAMES:-n/a}" \
		    "latency_ms p50=${R_P50:-n/a} p90=${R_P90:-n/a} samples=$R_N" \
		    "timeouts=$R_TIMEOUTS ssim=${R_SSIM:-n/a} ssim_samples=${R_SSIM_N:-0}"
		[ "${s%-*}" != fernsicht ] || [ -n "$R_BYTES" ] || missing="$missing $w"
	done
done
echo "  ($(($(date +%s) - start)) s)"

get() { eval "echo \${$1_$2_$3:-n/a}"; }

echo
echo "== screen results (bytes to the viewer; server CPU s from workload start to stop;"
echo "   frames = Fernsicht frames decoded, VNC updates received; p50 / p90 = pointer"
echo "   move to decoded pixel in ms during the workload; ssim = mean SSIM of the"
echo "   client's picture at the sample moments: slideshow, animation, photos, video)"
printf '%-10s' workload
for s in $servers; do printf ' | %-48s' "$s"; done
echo
printf '%-10s' ""
for s in $servers; do printf ' | %12s %6s %6s %6s %6s %6s' bytes "cpu s" frames p50 p90 ssim; done
echo
for w in $WORKLOADS; do
	printf '%-10s' "$w"
	for s in $servers; do
		v=$(echo "$s" | tr - _)
		printf ' | %12s %6s %6s %6s %6s %6s' "$(get B "$w" "$v")" "$(get C "$w" "$v")" \
		    "$(get F "$w" "$v")" "$(get P "$w" "$v")" "$(get Q "$w" "$v")" \
		    "$(get S "$w" "$v" | cut -c1-6)"
	done
	echo
done
echo "(best-vnc: the lossless VNC run (ZRLE, Tight without JPEG) with the fewest bytes,"
echo "the least CPU, or the lowest p50 latency of that workload; best-vnc-jpeg: the same"
echo "over the tightjpeg8 runs; x11vnc runs with -noxrecord: no scroll detection)"
echo
for w in $WORKLOADS; do
	for s in $servers; do
		case $s in fernsicht*) ;; *) continue ;; esac
		v=$(echo "$s" | tr - _)
		echo "bench: screen $w $s bytes = $(get B "$w" "$v")"
		echo "bench: screen $w $s cpu s = $(get C "$w" "$v")"
		echo "bench: screen $w $s frames = $(get F "$w" "$v")"
		echo "bench: screen $w $s latency p50 ms = $(get P "$w" "$v")"
		echo "bench: screen $w $s latency p90 ms = $(get Q "$w" "$v")"
		echo "bench: screen $w $s ssim = $(get S "$w" "$v")"
	done
	fb=$(get B "$w" fernsicht)
	fc=$(get C "$w" fernsicht)
	fp=$(get P "$w" fernsicht)
	[ "$vnc" = yes ] || continue
	vb="" vc="" vp="" jb="" jc="" jp=""
	for s in $servers; do
		v=$(echo "$s" | tr - _)
		case $s in
		fernsicht*) continue ;;
		*-tightjpeg8)
			jb="$jb $(get B "$w" "$v")"
			jc="$jc $(get C "$w" "$v")"
			jp="$jp $(get P "$w" "$v")"
			echo "bench: screen $w $s bytes = $(get B "$w" "$v")"
			;;
		*)
			vb="$vb $(get B "$w" "$v")"
			vc="$vc $(get C "$w" "$v")"
			vp="$vp $(get P "$w" "$v")"
			;;
		esac
		echo "bench: screen $w $s ssim = $(get S "$w" "$v")"
	done
	# shellcheck disable=SC2086 # lists of numbers
	bb=$(least $vb)
	# shellcheck disable=SC2086
	bc=$(least $vc)
	# shellcheck disable=SC2086
	bp=$(least $vp)
	echo "bench: screen $w best-vnc bytes = $bb"
	echo "bench: screen $w best-vnc latency p50 ms = $bp"
	echo "bench: screen $w fernsicht/best-vnc bytes ratio = $(div "$fb" "$bb" %.3f)"
	echo "bench: screen $w fernsicht/best-vnc cpu ratio = $(div "$fc" "$bc")"
	echo "bench: screen $w fernsicht/best-vnc latency ratio = $(div "$fp" "$bp")"
	# shellcheck disable=SC2086
	bb=$(least $jb)
	# shellcheck disable=SC2086
	bc=$(least $jc)
	# shellcheck disable=SC2086
	bp=$(least $jp)
	echo "bench: screen $w best-vnc-jpeg bytes = $bb"
	echo "bench: screen $w fernsicht/best-vnc-jpeg bytes ratio = $(div "$fb" "$bb" %.3f)"
	echo "bench: screen $w fernsicht/best-vnc-jpeg cpu ratio = $(div "$fc" "$bc")"
	echo "bench: screen $w fernsicht/best-vnc-jpeg latency ratio = $(div "$fp" "$bp")"
done
if [ -n "$missing" ]; then
	echo "bench: screen could not measure fernsicht:$missing" >&2
	exit 1
fi
exit 0
