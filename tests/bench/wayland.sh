#!/bin/sh
# tests/bench/wayland.sh - what sharing a Wayland desktop costs next to
# sharing an X11 one, measured in the same run on the same machine, one
# host at a time, each a fresh desktop of 1280x800:
#
#   x11     Xvfb 1280x800x24, no window manager; master --source x11
#   mutter  mutter --headless --virtual-monitor 1280x800 with pipewire and
#           wireplumber (tests/integration/wayland_lib.sh); --source mutter
#   wlr     sway with the headless backend and the pixman renderer, run
#           as the user fernsicht-test (sway refuses root), an output of
#           1280x800; the master as that user too; --source wlr
#
# Each host gets a relay, a master (--headless --auto-accept --fps 30) and,
# for each workload, a fresh headless viewer through the relay (as
# screen.sh does it for Fernsicht). tests/bench/workload.sh drives X11
# only (xterm, xdotool), so the workloads are its "scroll" redone for all
# three hosts alike:
#
#   scroll  a terminal of 159x46 cells, DejaVu Sans Mono 10, white on
#           black (xterm -fa on X11, placed at 0,0; foot fullscreen on
#           Wayland, where it gets that grid), prints the first 300 lines
#           of GPL-3, one per 50 ms (the text and pace of workload.sh's
#           scroll), once the viewer has its first frame
#   idle    the same terminal afterwards, still, for $WL_IDLE seconds
#           (a new viewer; measured after 1 s of settling)
#
# Per run: bytes to the viewer (the relay's "bytes out=" of the viewer's
# connection: the first full frame included, records and AEAD counted),
# the master's CPU seconds (the run time of all its threads, from
# /proc/PID/task/*/schedstat, from just before the workload to its end
# plus SCREEN_DRAIN; for idle over the still seconds) and frames the
# viewer decoded (scroll: all of them, the first one too; idle: those in
# the still seconds). Best of 1: each figure is one run. Ratios are
# Wayland / X11 of this run. Nothing passes or fails on timing; a host
# that cannot run here (no mutter, not root for sway) is reported as n/a.
#
# Environment: WL_HOSTS ("x11 mutter wlr"), WL_IDLE (5) seconds,
# SCREEN_DRAIN (1), B (build) where the programs are.
# Ends with "bench: wayland ..." lines for grep; exit 1 only when the X11
# measurement could not be taken.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
HOSTS=${WL_HOSTS:-x11 mutter wlr}
IDLE=${WL_IDLE:-5}
DRAIN=${SCREEN_DRAIN:-1}
GPL=/usr/share/common-licenses/GPL-3
FONT="DejaVu Sans Mono"
TU=fernsicht-test
# White on black in both terminals (their defaults differ).
FOOT_COLOURS="-o colors.foreground=ffffff -o colors.background=000000"
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init wayland
chmod 711 "$T"

for f in fernsicht-relay fernsicht-master fernsicht-viewer; do
	[ -x "$B/$f" ] || { echo "bench: $B/$f missing (make all tests)" >&2; exit 1; }
done
[ -r "$GPL" ] || { echo "bench: $GPL missing" >&2; exit 1; }

# wayland_lib.sh wants lib.sh's fail and cleanup; its EXIT trap stops the
# desktop, then calls bench_cleanup.
fail() { echo "  $*"; exit 1; }
cleanup() { bench_cleanup; }
# shellcheck source=tests/integration/wayland_lib.sh
. tests/integration/wayland_lib.sh

# cpu PID: the run time of all its threads in seconds (empty when gone).
cpu() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
	    awk '{ ns += $1 } END { if (NR) printf "%.3f\n", ns / 1e9 }'
}
sub() {
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "") print "n/a";
	    else printf "%.3f\n", a - b }'
}
div() {
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || a == "n/a" ||
	    b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}
frames() { grep -c '^frame ' "$1" 2>/dev/null || true; }

# The terminal's script: say "ready", wait for "go", print the text, say
# "done", stay. It writes its size in rows and columns once the window has
# its final size (the fonts differ).
cat >"$T/scroll.sh" <<EOF
: >ready
until [ -e go ]; do sleep 0.05; done
stty size >size
head -n 300 '$GPL' | while IFS= read -r l; do printf '%s\n' "\$l"; sleep 0.05; done
touch done
exec sleep 600
EOF
chmod 644 "$T/scroll.sh"

# as_user CMD...: as the test user in the sway desktop (exec: $! is the
# command's pid when run in a subshell in the background).
as_user() {
	exec setpriv --reuid="$TU" --regid="$TU" --init-groups env -i HOME="$T/home" \
	    XDG_RUNTIME_DIR="$T/swayrun" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
	    ${WAYLAND_DISPLAY:+WAYLAND_DISPLAY=$WAYLAND_DISPLAY} "$@"
}

# viewer_run HOST WORKLOAD: one viewer through the host's relay; sets
# R_BYTES, R_CPU, R_FRAMES (empty when not measured). viewer_n counts the
# viewers this host's relay has seen.
viewer_run() {
	_r=$1-$2
	R_BYTES="" R_CPU="" R_FRAMES=""
	viewer_n=$((viewer_n + 1))
	_line=$(grep '^session=' "$T/$1.master.out" | tail -1)
	_s=$(echo "$_line" | sed 's/session=\([0-9]*\) .*/\1/')
	_c=$(echo "$_line" | sed 's/.*code=\([0-9]*\).*/\1/')
	"$B/fernsicht-viewer" --relay "$RELAY" "$_s" --code "$_c" --headless --name bench \
	    >"$T/$_r.viewer.out" 2>"$T/$_r.viewer.log" &
	_viewer=$!
	pids="$pids $_viewer"
	if ! wait_for "$T/$_r.viewer.out" '^frame ' 20; then
		echo "  $_r: no frame reached the viewer: $(tail -2 "$T/$_r.viewer.log")" \
		    "$(tail -2 "$T/$1.master.log")"
		stop "$_viewer"
		return
	fi
	if [ "$2" = scroll ]; then
		_c0=$(cpu "$MASTER")
		_t0=$(date +%s.%N)
		touch "$TERMDIR/go"
		_i=0
		until [ -e "$TERMDIR/done" ]; do
			_i=$((_i + 1))
			[ $_i -lt 600 ] ||
			    { echo "  $_r: the terminal did not finish in 30 s"; break; }
			sleep 0.05
		done
		echo "  $_r: the text took $(awk -v a="$_t0" -v b="$(date +%s.%N)" \
		    'BEGIN { printf "%.1f", b - a }') s"
		sleep "$DRAIN"
		_c1=$(cpu "$MASTER")
		R_FRAMES=$(frames "$T/$_r.viewer.out")
	else
		sleep 1
		_f0=$(frames "$T/$_r.viewer.out")
		_c0=$(cpu "$MASTER")
		sleep "$IDLE"
		_c1=$(cpu "$MASTER")
		R_FRAMES=$(($(frames "$T/$_r.viewer.out") - _f0))
	fi
	R_CPU=$(sub "$_c1" "$_c0")
	stop "$_viewer"
	_i=0
	# (state=closing: the host removed it after its goodbye)
	until [ "$(grep -Ec 'state=(viewer|closing).*bytes in=' "$T/$1.relay.log")" -ge \
	    "$viewer_n" ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || { echo "  $_r: the relay logged no viewer close"; return; }
		sleep 0.05
	done
	R_BYTES=$(grep -E 'state=(viewer|closing).*bytes in=' "$T/$1.relay.log" | tail -1 |
	    sed 's/.* out=\([0-9]*\).*/\1/')
}

# measure HOST: relay, then (the master already running as $MASTER and
# writing $T/HOST.master.out) both workloads.
measure() {
	viewer_n=0
	if ! wait_for "$T/$1.master.out" '^session=' 15; then
		echo "  $1: master did not start: $(tail -3 "$T/$1.master.log")"
		return
	fi
	grep -i 'sharing' "$T/$1.master.log" | tail -1 | sed "s/^/  $1: /"
	for _w in scroll idle; do
		viewer_run "$1" "$_w"
		# Into a file: the mutter host runs in a subshell.
		echo "B_$1_$_w=${R_BYTES:-n/a} C_$1_$_w=${R_CPU:-n/a} F_$1_$_w=${R_FRAMES:-n/a}" \
		    >>"$T/results"
		echo "  $1 $_w: bytes=${R_BYTES:-n/a} cpu_s=${R_CPU:-n/a} frames=${R_FRAMES:-n/a}"
	done
	echo "  $1: terminal rows cols = $(cat "$TERMDIR/size" 2>/dev/null || echo n/a)"
}

start_relay() {
	"$B/fernsicht-relay" --listen 127.0.0.1:0 --state-dir "$T" --sessions-per-min 100000 \
	    >"$T/$1.relay.out" 2>"$T/$1.relay.log" &
	RELAY_PID=$!
	pids="$pids $RELAY_PID"
	wait_for "$T/$1.relay.out" '^listening=' 10 || return 1
	RELAY=$(sed -n 's/^listening=//p' "$T/$1.relay.out" | head -1)
}

# wait_file FILE: until the terminal made it (10 s).
wait_file() {
	_i=0
	until [ -e "$1" ]; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || return 1; sleep 0.05
	done
}

host_x11() {
	Xvfb -displayfd 9 -screen 0 1280x800x24 -br -nolisten tcp -noreset \
	    +extension MIT-SHM +extension DAMAGE +extension XFIXES +extension RANDR \
	    +extension XTEST 9>"$T/x11.xvfb.num" 2>"$T/x11.xvfb.log" &
	_xvfb=$!
	pids="$pids $_xvfb"
	wait_for "$T/x11.xvfb.num" '^[0-9]+' 10 || { echo "  x11: Xvfb did not start"; return; }
	DISPLAY=:$(head -1 "$T/x11.xvfb.num")
	export DISPLAY
	TERMDIR=$T/x11.term
	mkdir "$TERMDIR"
	# No window manager to make it fullscreen: the geometry is the grid
	# foot gets fullscreen at 1280x800 in the same font (8x17 pixel cells
	# in both; xterm's window is 1276x786 with its border).
	(cd "$TERMDIR" && exec xterm -fa "$FONT" -fs 10 -fg white -bg black \
	    -geometry 159x46+0+0 +bc -e sh "$T/scroll.sh") >"$T/x11.term.log" 2>&1 &
	_term=$!
	pids="$pids $_term"
	wait_file "$TERMDIR/ready" || echo "  x11: xterm did not start"
	start_relay x11 || { echo "  x11: relay did not start"; stop "$_term" "$_xvfb"; return; }
	"$B/fernsicht-master" --relay "$RELAY" --headless --source x11 --auto-accept --fps 30 \
	    --name bench </dev/null >"$T/x11.master.out" 2>"$T/x11.master.log" &
	MASTER=$!
	pids="$pids $MASTER"
	measure x11
	stop "$MASTER" "$RELAY_PID" "$_term" "$_xvfb"
	unset DISPLAY
}

host_mutter() {
	for _p in dbus-daemon pipewire wireplumber mutter busctl foot; do
		command -v $_p >/dev/null 2>&1 || { echo "  mutter: $_p is not installed"; return; }
	done
	# When mutter cannot run here at all, start_mutter exits with its own
	# words (wayland_lib.sh's mutter_skip): host_mutter runs in a subshell.
	start_mutter 1280x800
	TERMDIR=$T/mutter.term
	mkdir "$TERMDIR"
	# shellcheck disable=SC2086 # options are words
	(cd "$TERMDIR" && exec foot -o "font=$FONT:size=10" $FOOT_COLOURS -F \
	    sh "$T/scroll.sh") \
	    >"$T/mutter.term.log" 2>&1 &
	_term=$!
	pids="$pids $_term"
	wait_file "$TERMDIR/ready" || echo "  mutter: foot did not start"
	# foot is told fullscreen; the size settles after its first configure.
	sleep 1
	start_relay mutter || { echo "  mutter: relay did not start"; return; }
	"$B/fernsicht-master" --relay "$RELAY" --headless --source mutter --auto-accept --fps 30 \
	    --name bench </dev/null >"$T/mutter.master.out" 2>"$T/mutter.master.log" &
	MASTER=$!
	pids="$pids $MASTER"
	measure mutter
	wayland_stop "$MASTER" "$RELAY_PID" "$_term"
	_rev=""
	for _p in $wayland_pids; do _rev="$_p $_rev"; done
	for _p in $_rev; do wayland_stop "$_p"; done
	wayland_pids=""
	unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR
}

host_wlr() {
	if [ "$(id -u)" != 0 ]; then
		echo "  wlr: sway refuses root and this needs root to run it as $TU"
		return
	fi
	for _p in sway foot setpriv useradd; do
		command -v $_p >/dev/null 2>&1 || { echo "  wlr: $_p is not installed"; return; }
	done
	id -u "$TU" >/dev/null 2>&1 ||
	    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
	    "$TU" || { echo "  wlr: cannot create the user $TU"; return; }
	install -m 755 "$B/fernsicht-master" "$T/fernsicht-master"
	TERMDIR=$T/wlr.term
	mkdir -m 700 "$T/swayrun" "$T/home" "$TERMDIR"
	chown "$TU:" "$T/swayrun" "$T/home" "$TERMDIR"
	printf '%s\n' "xwayland disable" "output HEADLESS-1 resolution 1280x800" \
	    "default_border none" "seat * hide_cursor 100" >"$T/sway.conf"
	chmod 644 "$T/sway.conf"
	unset WAYLAND_DISPLAY
	(as_user env WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
	    sway -c "$T/sway.conf") >"$T/sway.log" 2>&1 &
	_sway=$!
	pids="$pids $_sway"
	_i=0
	# shellcheck disable=SC2010 # sway's own names: wayland-N
	until _sock=$(ls "$T/swayrun" 2>/dev/null | grep -E '^wayland-[0-9]+$' | head -1) &&
	    [ -n "$_sock" ]; do
		kill -0 "$_sway" 2>/dev/null || { echo "  wlr: sway ended at start"; return; }
		_i=$((_i + 1))
		[ $_i -lt 200 ] || { echo "  wlr: sway made no socket"; stop "$_sway"; return; }
		sleep 0.05
	done
	WAYLAND_DISPLAY=$_sock
	# sway tiles the only window over the whole output; -F asks for the
	# same fullscreen as on mutter.
	# shellcheck disable=SC2086 # options are words
	(cd "$TERMDIR" && as_user foot -o "font=$FONT:size=10" $FOOT_COLOURS -F \
	    sh "$T/scroll.sh") \
	    >"$T/wlr.term.log" 2>&1 &
	_term=$!
	pids="$pids $_term"
	wait_file "$TERMDIR/ready" || echo "  wlr: foot did not start"
	sleep 1
	start_relay wlr || { echo "  wlr: relay did not start"; stop "$_term" "$_sway"; return; }
	(as_user "$T/fernsicht-master" --relay "$RELAY" --headless --source wlr --auto-accept \
	    --fps 30 --name bench) </dev/null >"$T/wlr.master.out" 2>"$T/wlr.master.log" &
	MASTER=$!
	pids="$pids $MASTER"
	measure wlr
	wayland_stop "$MASTER" "$RELAY_PID" "$_term" "$_sway"
	unset WAYLAND_DISPLAY
}

echo "== wayland: a terminal scrolling text and a still screen at 1280x800 on each host" \
    "($HOSTS), best of 1"
for h in $HOSTS; do
	eval "B_${h}_scroll=n/a C_${h}_scroll=n/a F_${h}_scroll=n/a"
	eval "B_${h}_idle=n/a C_${h}_idle=n/a F_${h}_idle=n/a"
done
start=$(date +%s)
for h in $HOSTS; do
	case $h in
	x11) host_x11 ;;
	mutter)
		# The subshell's own exit stops what it started; nothing else.
		# shellcheck disable=SC2030,SC2031 # pids: the subshell's own
		(cleanup() { :; }; trap wayland_cleanup EXIT; trap "exit 1" INT TERM; host_mutter)
		;;
	wlr) host_wlr ;;
	*) echo "  unknown host $h" ;;
	esac
done
echo "  ($(($(date +%s) - start)) s)"
# shellcheck disable=SC1091 # written by measure
[ ! -s "$T/results" ] || . "$T/results"

get() { eval "echo \${$1_$2_$3:-n/a}"; }
echo
echo "== wayland results (bytes to the viewer incl. its first frame; master CPU s;"
echo "   frames decoded; idle over $IDLE s; ratio = host / x11 of this run)"
printf '%-8s %-7s %10s %7s %7s   %7s %7s\n' workload host bytes "cpu s" frames \
    "bytes/x" "cpu/x"
for w in scroll idle; do
	for h in $HOSTS; do
		printf '%-8s %-7s %10s %7s %7s   %7s %7s\n' "$w" "$h" "$(get B "$h" $w)" \
		    "$(get C "$h" $w)" "$(get F "$h" $w)" \
		    "$(div "$(get B "$h" $w)" "$(get B x11 $w)")" \
		    "$(div "$(get C "$h" $w)" "$(get C x11 $w)")"
	done
done
echo
for w in scroll idle; do
	for h in $HOSTS; do
		echo "bench: wayland $w $h bytes = $(get B "$h" $w)"
		echo "bench: wayland $w $h cpu s = $(get C "$h" $w)"
		echo "bench: wayland $w $h frames = $(get F "$h" $w)"
		[ "$h" = x11 ] && continue
		echo "bench: wayland $w $h/x11 bytes ratio = $(div "$(get B "$h" $w)" \
		    "$(get B x11 $w)")"
		echo "bench: wayland $w $h/x11 cpu ratio = $(div "$(get C "$h" $w)" \
		    "$(get C x11 $w)")"
	done
done
case " $HOSTS " in
*" x11 "*)
	if [ "$(get B x11 scroll)" = n/a ]; then
		echo "bench: wayland could not measure x11" >&2
		exit 1
	fi
	;;
esac
exit 0
