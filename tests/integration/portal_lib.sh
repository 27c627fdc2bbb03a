# tests/integration/portal_lib.sh - sourced after lib.sh by the tests of the
# ScreenCast portal (xdg-desktop-portal) on a wlroots compositor.
#
# start_sway_portal [WxH] starts, as the unprivileged test user
# fernsicht-test (sway refuses root; created when missing), each with its pid
# in $pids and $wayland_pids and stopped on exit by wayland_lib.sh:
#   a private D-Bus session bus that activates nothing (every service below
#   is started here, so that each has a pid to stop and none is started by
#   the bus behind the test's back), pipewire, wireplumber,
#   sway headless (pixman, no input devices, no Xwayland) with one output
#   HEADLESS-1 of WxH (default 1024x768); its pointer, which sway paints into
#   the output's picture, hidden after 100 ms at rest (seat hide_cursor),
#   xdg-permission-store (where the portal keeps restore tokens),
#   xdg-desktop-portal-wlr whose output chooser is a script that answers
#   HEADLESS-1 at once (no dialog) and writes a line to $PORTAL_CHOOSER_LOG
#   each time it is asked, with the test-only workaround for
#   xdg-desktop-portal-wlr 0.7 on pixman preloaded (tests/tools/xdpw_shm_only.c
#   says what it changes and why),
#   xdg-desktop-portal (XDG_CURRENT_DESKTOP=sway: wlr.portal's UseIn) with
#   wlr.portal as its only backend (XDG_DESKTOP_PORTAL_DIR),
# all in XDG_RUNTIME_DIR=$T/run. It waits until org.freedesktop.portal.Desktop
# has the ScreenCast interface and exports XDG_RUNTIME_DIR,
# DBUS_SESSION_BUS_ADDRESS, WAYLAND_DISPLAY, SWAYSOCK and XDG_CURRENT_DESKTOP;
# PORTAL_USER is the test user. as_user CMD... runs a command as that user
# with exactly that environment, in place of the shell (use it in a
# subshell: "(as_user prog) &" gives prog's pid in $!).
#
# Not root (no test user then), or sway cannot run on this machine: the test
# says SKIPPED with the reason and ends with 0, as run.sh counts it. A
# missing program is a failure (make deps installs them).
. "$(dirname "$0")/wayland_lib.sh"

PORTAL_USER=fernsicht-test
PORTAL_CHOOSER_LOG=$T/home/chooser.log
PORTAL_CHOOSER_DENY=$T/home/deny
XDPW=/usr/libexec/xdg-desktop-portal-wlr
XDP=/usr/libexec/xdg-desktop-portal
XPS=/usr/libexec/xdg-permission-store

as_user() {
	exec setpriv --reuid="$PORTAL_USER" --regid="$PORTAL_USER" --init-groups env -i \
	    HOME="$T/home" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 XDG_RUNTIME_DIR="$T/run" \
	    XDG_CURRENT_DESKTOP=sway \
	    ${DBUS_SESSION_BUS_ADDRESS:+DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS} \
	    ${WAYLAND_DISPLAY:+WAYLAND_DISPLAY=$WAYLAND_DISPLAY} \
	    ${SWAYSOCK:+SWAYSOCK=$SWAYSOCK} \
	    ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
	    "$@"
}

# portal_skip WHY [LOG]: the test cannot run here; say so plainly.
portal_skip() {
	echo "  SKIPPED: $1"
	[ -n "${2:-}" ] && [ -s "$2" ] && tail -5 "$2" | sed 's/^/  | /'
	exit 0
}

# portal_call ARGS...: busctl on the private session bus, as the test user.
portal_call() { (as_user busctl --user --timeout=5 "$@"); }

# portal_wait WHAT PID TRIES CMD...: until CMD succeeds (TRIES of 50 ms);
# fails when PID (the program that should make it true) ends first.
portal_wait() {
	_what=$1 _pid=$2 _lim=$3
	shift 3
	_i=0
	until "$@" >/dev/null 2>&1; do
		kill -0 "$_pid" 2>/dev/null || fail "$_what: the program ended"
		_i=$((_i + 1)); [ $_i -lt "$_lim" ] || fail "$_what: timed out"
		sleep 0.05
	done
}

portal_has_screencast() {
	portal_call get-property org.freedesktop.portal.Desktop \
	    /org/freedesktop/portal/desktop org.freedesktop.portal.ScreenCast version
}

# sway_sockets: true once sway made its Wayland socket (its name in _sock)
# and its IPC socket (SWAYSOCK).
sway_sockets() {
	_sock="" SWAYSOCK=""
	for _f in "$T/run"/wayland-[0-9]*; do
		[ -S "$_f" ] && _sock=${_f##*/}
	done
	for _f in "$T/run"/sway-ipc.*.sock; do
		[ -S "$_f" ] && SWAYSOCK=$_f
	done
	[ -n "$_sock" ] && [ -n "$SWAYSOCK" ]
}

start_sway_portal() {
	[ "$(id -u)" = 0 ] ||
		portal_skip "sway refuses root and this test needs root to run it as a test user"
	for _p in dbus-daemon pipewire wireplumber sway busctl setpriv useradd \
	    "$XDPW" "$XDP" "$XPS"; do
		command -v "$_p" >/dev/null || fail "$_p is not installed (make deps)"
	done
	[ -f "$B/tools/xdpw_shm_only.so" ] || fail "$B/tools/xdpw_shm_only.so is not built"
	id -u "$PORTAL_USER" >/dev/null 2>&1 ||
	    useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin "$PORTAL_USER" ||
	    id -u "$PORTAL_USER" >/dev/null 2>&1 || fail "cannot create the test user $PORTAL_USER"
	chmod 711 "$T"
	mkdir -m 700 "$T/run" "$T/home"
	chown "$PORTAL_USER:" "$T/run" "$T/home"
	# The shim where the test user can read it ($B may be under /root).
	install -m 644 "$B/tools/xdpw_shm_only.so" "$T/xdpw_shm_only.so"
	XDG_RUNTIME_DIR=$T/run
	export XDG_RUNTIME_DIR
	unset DISPLAY WAYLAND_DISPLAY SWAYSOCK DBUS_SESSION_BUS_ADDRESS

	quiet_bus_conf "$T/bus.conf"
	start_bus_and_pipewire as_user "$T/bus.conf"

	printf '%s\n' "xwayland disable" "output HEADLESS-1 resolution ${1:-1024x768}" \
	    "default_border none" "seat * hide_cursor 100" >"$T/sway.conf"
	(as_user env WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
	    sway -c "$T/sway.conf") >"$T/sway.log" 2>&1 &
	SWAY_PID=$!
	wayland_started $SWAY_PID
	_i=0
	until sway_sockets; do
		kill -0 "$SWAY_PID" 2>/dev/null ||
			portal_skip "sway cannot run on this machine (it exited at start)" \
			    "$T/sway.log"
		_i=$((_i + 1)); [ $_i -lt 200 ] || fail "sway made no Wayland or IPC socket"
		sleep 0.05
	done
	WAYLAND_DISPLAY=$_sock
	export WAYLAND_DISPLAY SWAYSOCK
	XDG_CURRENT_DESKTOP=sway
	export XDG_CURRENT_DESKTOP

	(as_user "$XPS") >"$T/permission-store.log" 2>&1 &
	XPS_PID=$!
	wayland_started $XPS_PID
	portal_wait "xdg-permission-store" $XPS_PID 200 portal_call status \
	    org.freedesktop.impl.portal.PermissionStore

	# The chooser answers HEADLESS-1 at once, and counts its calls: a
	# session restored from a token does not ask.
	# With $PORTAL_CHOOSER_DENY present it chooses nothing, as a user
	# who closes the chooser does.
	printf '%s\n' '#!/bin/sh' "echo asked >>'$PORTAL_CHOOSER_LOG'" \
	    "[ -e '$PORTAL_CHOOSER_DENY' ] && exit 1" 'echo HEADLESS-1' >"$T/chooser.sh"
	chmod 755 "$T/chooser.sh"
	printf '%s\n' "[screencast]" "chooser_type=simple" "chooser_cmd=$T/chooser.sh" \
	    >"$T/xdpw.conf"
	(as_user env LD_PRELOAD="$T/xdpw_shm_only.so" "$XDPW" -l "${XDPW_LOGLEVEL:-INFO}" \
	    -c "$T/xdpw.conf") >"$T/xdpw.log" 2>&1 &
	XDPW_PID=$!
	wayland_started $XDPW_PID
	portal_wait "xdg-desktop-portal-wlr" $XDPW_PID 200 portal_call status \
	    org.freedesktop.impl.portal.desktop.wlr

	# Only wlr.portal: xdg-desktop-portal 1.16 gives an interface that no
	# backend of the desktop has to any other installed backend, and
	# gnome.portal (xdg-desktop-portal-gnome, beside mutter) would make it
	# offer a RemoteDesktop that cannot work on sway.
	mkdir "$T/portals"
	cp /usr/share/xdg-desktop-portal/portals/wlr.portal "$T/portals/" ||
		fail "xdg-desktop-portal-wlr has no wlr.portal"
	(as_user env XDG_DESKTOP_PORTAL_DIR="$T/portals" "$XDP" -v) >"$T/portal.log" 2>&1 &
	XDP_PID=$!
	wayland_started $XDP_PID
	portal_wait "xdg-desktop-portal's ScreenCast" $XDP_PID 300 portal_has_screencast
}
