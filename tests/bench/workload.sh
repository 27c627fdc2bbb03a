#!/bin/sh
# tests/bench/workload.sh NAME - one deterministic screen workload on the
# X display in $DISPLAY (the caller's Xvfb, 1920x1080x24, no window
# manager). Each runs a fixed number of steps, stops every window it made
# and exits; none takes more than about 20 s.
#
#   scroll     xterm -fn fixed 200x70 prints the first 300 lines of GPL-3,
#              one per 50 ms (non-repetitive text: see design/screen.md)
#   typing     xterm running cat >/dev/null; xdotool types 200 characters
#              of GPL-3 text, 50 ms apart
#   drag       a 100x40 xterm full of text moved 100 times by 8 px, 50 ms apart
#   switch     two xterms with different text over each other, raised
#              alternately 20 times, 250 ms apart
#   slideshow  10 different 1280x720 images (x11_paint: colour bars and
#              noise, seeds 1..10), one per 500 ms
#   animation  a 200x200 region repainted with a new image (x11_paint,
#              seeds 1..100) every 100 ms for 10 s
#   photos     10 photographs (tests/bench/photos.py: JPEGs from Debian
#              packages, or generated fractal noise when there are too few;
#              the workload's log says which) at 1280x720 in the place of
#              slideshow, one per 500 ms (x11_paint --ppm)
#   video      a 640x360 region in the middle of the screen showing a slow
#              pan across one photograph: the crop moves right by 4 px a
#              frame, 25 frames a second for 10 s (250 frames, one
#              x11_paint --pan process paints them all)
#
# slideshow, animation, photos and video write sample moments for the
# picture quality figure (tests/bench/ssim.py) to $WORKLOAD_MARKS when it
# is set, one line each:
#   t_ns=T truth=FILE x=X y=Y w=W h=H sx=SX sy=SY step=S back=K
# meaning: until T (CLOCK_REALTIME, ns) the screen showed at X,Y the W x H
# crop at SX,SY of the PPM FILE; at the end of each image's time (500 or
# 100 ms), video after every 10th frame. step and back: the video's
# earlier frames are the crops at SX - S, SX - 2S .. SX - K*S (a client
# that is that late shows one of them; see ssim.py).
#
# Environment: B (build) where the tools are; WORKLOAD_PICTURES (a
# directory of the workload's own) where photos.py's pictures are kept
# from run to run; WORKLOAD_PY (python3) a python with PIL and numpy;
# WORKLOAD_MARKS (unset) the file the sample moments are appended to.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
GPL=/usr/share/common-licenses/GPL-3
W=$(mktemp -d "${TMPDIR:-/tmp}/fernsicht-workload.XXXXXX")
wpids=""

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	for p in $wpids; do kill "$p" 2>/dev/null || true; done
	for p in $wpids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "workload: $*" >&2; exit 1; }
[ -n "${DISPLAY:-}" ] || die "no DISPLAY"
[ -r "$GPL" ] || die "$GPL missing"
for c in xterm xdotool timeout; do
	command -v $c >/dev/null 2>&1 || die "$c is not installed (make deps)"
done
[ -x "$B/tools/x11_paint" ] || die "$B/tools/x11_paint missing (make tests)"
PICTURES=${WORKLOAD_PICTURES:-$W/pictures}
MARKS=${WORKLOAD_MARKS:-/dev/null}

# pictures: photos.py's pictures in $PICTURES (made once), and where they
# came from on stdout.
pictures() {
	"${WORKLOAD_PY:-python3}" "$top/tests/bench/photos.py" "$PICTURES" >/dev/null ||
	    die "photos.py could not make the pictures (python3-pil, python3-numpy)"
	echo "pictures: $(cat "$PICTURES/source")"
}

# now_ns: CLOCK_REALTIME in ns (GNU date).
now_ns() { date +%s%N; }

# term TITLE GEOMETRY COMMAND: an xterm with the bitmap font "fixed" and
# no blinking cursor; sets TERM_PID and TERM_WIN (once it is mapped).
term() {
	xterm -fn fixed -title "$1" -geometry "$2" +bc -e sh -c "$3" \
	    >>"$W/xterm.log" 2>&1 &
	TERM_PID=$!
	wpids="$wpids $TERM_PID"
	TERM_WIN=$(timeout 10 xdotool search --sync --limit 1 --name "^$1\$" 2>/dev/null | head -1)
	[ -n "$TERM_WIN" ] || die "xterm $1 did not map"
}

# paint X Y W H SEED: an x11_paint window on top; waits until it painted
# (at most 2 s) and sets PAINT_PID.
paint_n=0
paint() {
	paint_n=$((paint_n + 1))
	"$B/tools/x11_paint" "$@" >"$W/paint$paint_n.out" 2>>"$W/paint.log" &
	PAINT_PID=$!
	wpids="$wpids $PAINT_PID"
	_i=0
	until grep -q '^painted' "$W/paint$paint_n.out" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || break
		sleep 0.01
	done
}

# slides COUNT PERIOD X Y W H: COUNT images, one per PERIOD s; the next
# window maps over the previous before that one goes, so the screen never
# shows the bare background in between. With $WORKLOAD_MARKS set, the
# images are also written as PPMs (x11_paint --write, kept in $PICTURES)
# and a sample moment goes out at the end of each.
slides() {
	if [ -n "${WORKLOAD_MARKS:-}" ]; then
		mkdir -p "$PICTURES"
		_s=1
		while [ $_s -le "$1" ]; do
			_f=$PICTURES/seed-$5x$6-$_s.ppm
			[ -s "$_f" ] || "$B/tools/x11_paint" --write "$_f" "$5" "$6" "$_s" ||
			    die "x11_paint --write $_f failed"
			_s=$((_s + 1))
		done
	fi
	_old=""
	_s=1
	while [ $_s -le "$1" ]; do
		if [ -n "${WORKLOAD_MARKS:-}" ]; then
			_f=$PICTURES/seed-$5x$6-$_s.ppm
			[ $_s = 1 ] || echo "t_ns=$(now_ns) truth=$_prev x=$3 y=$4 w=$5 h=$6" \
			    "sx=0 sy=0 step=0 back=0" >>"$MARKS"
			_prev=$_f
		fi
		paint "$3" "$4" "$5" "$6" "$_s"
		[ -z "$_old" ] || { kill "$_old" 2>/dev/null; wait "$_old" 2>/dev/null; }
		_old=$PAINT_PID
		sleep "$2"
		_s=$((_s + 1))
	done
	[ -z "${WORKLOAD_MARKS:-}" ] || echo "t_ns=$(now_ns) truth=$_prev x=$3 y=$4 w=$5 h=$6" \
	    "sx=0 sy=0 step=0 back=0" >>"$MARKS"
	kill "$_old" 2>/dev/null
	wait "$_old" 2>/dev/null
}

# photo_slides: photos 1..10 at 320,180, one per 500 ms, each next one
# mapped over the previous; a sample moment at the end of each.
photo_slides() {
	_old=""
	_s=1
	while [ $_s -le 10 ]; do
		_f=$PICTURES/photo$(printf %02d $_s).ppm
		[ $_s = 1 ] || echo "t_ns=$(now_ns) truth=$_prev x=320 y=180 w=1280 h=720" \
		    "sx=0 sy=0 step=0 back=0" >>"$MARKS"
		paint --ppm "$_f" 320 180
		[ -z "$_old" ] || { kill "$_old" 2>/dev/null; wait "$_old" 2>/dev/null; }
		_old=$PAINT_PID
		_prev=$_f
		sleep 0.5
		_s=$((_s + 1))
	done
	echo "t_ns=$(now_ns) truth=$_prev x=320 y=180 w=1280 h=720 sx=0 sy=0 step=0 back=0" \
	    >>"$MARKS"
	kill "$_old" 2>/dev/null
	wait "$_old" 2>/dev/null
}

case "${1:-}" in
scroll)
	term scroll 200x70+0+0 "head -n 300 '$GPL' | while IFS= read -r l; do
	    printf '%s\n' \"\$l\"; sleep 0.05; done; sleep 0.5"
	wait "$TERM_PID"
	;;
typing)
	text=$(head -c 4000 "$GPL" | tr -s '\n ' ' ' | sed 's/^ //' | cut -c1-200)
	term typing 200x70+0+0 'exec cat >/dev/null'
	xdotool mousemove 600 400
	timeout 5 xdotool windowfocus --sync "$TERM_WIN" 2>/dev/null || true
	sleep 0.3
	xdotool type --delay 50 "$text"
	sleep 0.5
	;;
drag)
	term drag 100x40+0+100 "head -n 39 '$GPL' | tail -n 38; exec sleep 600"
	sleep 0.5
	x=0
	i=0
	while [ $i -lt 100 ]; do
		x=$((x + 8))
		xdotool windowmove "$TERM_WIN" "$x" 100
		sleep 0.05
		i=$((i + 1))
	done
	sleep 0.5
	;;
switch)
	term switch-a 160x60+100+50 "head -n 118 '$GPL' | tail -n 59; exec sleep 600"
	a=$TERM_WIN
	term switch-b 160x60+160+90 "head -n 418 '$GPL' | tail -n 59; exec sleep 600"
	b=$TERM_WIN
	sleep 0.5
	i=0
	while [ $i -lt 20 ]; do
		if [ $((i % 2)) = 0 ]; then w=$a; else w=$b; fi
		xdotool windowmap "$w" windowraise "$w"
		sleep 0.25
		i=$((i + 1))
	done
	sleep 0.5
	;;
slideshow)
	slides 10 0.5 320 180 1280 720
	;;
animation)
	slides 100 0.1 860 440 200 200
	;;
photos)
	pictures
	photo_slides
	;;
video)
	pictures
	"$B/tools/x11_paint" --pan "$PICTURES/pan.ppm" 640 360 640 360 4 25 250 10 \
	    >"$W/pan.out" 2>>"$W/paint.log" ||
	    die "x11_paint --pan failed: $(tail -2 "$W/paint.log")"
	# "shown frame=N sx=SX sy=SY t_ns=T" to a sample moment's line
	sed -n "s|^shown frame=[0-9]* sx=\([0-9]*\) sy=\([0-9]*\) t_ns=\([0-9]*\)\$|\3 \1 \2|p" \
	    "$W/pan.out" | while read -r t sx sy; do
		echo "t_ns=$t truth=$PICTURES/pan.ppm x=640 y=360 w=640 h=360 sx=$sx sy=$sy" \
		    "step=4 back=5"
	done >>"$MARKS"
	;;
*)
	echo "usage: workload.sh scroll|typing|drag|switch|slideshow|animation|photos|video" >&2
	exit 2
	;;
esac
exit 0
