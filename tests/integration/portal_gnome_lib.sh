# tests/integration/portal_gnome_lib.sh - sourced after lib.sh by the tests
# of the desktop portals on GNOME: the private headless desktop of
# wayland_lib.sh plus xdg-desktop-portal with its GNOME back-end.
#
# start_gnome_portal [WxH] starts mutter as start_mutter does (pipewire,
# wireplumber, a D-Bus session bus), then xdg-permission-store (where the
# portal keeps restore tokens), xdg-desktop-portal-gnome (it draws the
# "Share your screen" and "Remote desktop" dialogs as GTK windows on
# mutter's Wayland display) and xdg-desktop-portal, each with its pid in
# $pids and $wayland_pids (stopped on exit, after the test's own
# programs). It waits until org.freedesktop.portal.Desktop answers with
# both ScreenCast and RemoteDesktop and exports, beside wayland_lib.sh's
# variables, XDG_CURRENT_DESKTOP=GNOME, XDG_DATA_HOME (in $T: where the
# permission store keeps restore tokens) and PORTAL_PY, the python3 with
# dbus and gi for tests/tools/portal_probe_gnome.py and portal_dialog.py.
#
# The bus starts nothing by itself (a configuration without service
# directories): xdg-desktop-portal would otherwise start
# xdg-desktop-portal-gtk and xdg-document-portal through D-Bus
# activation, outside the test's control and with the bus's environment.
# Only gnome.portal is offered to xdg-desktop-portal (XDG_DESKTOP_PORTAL_DIR,
# read by 1.16, which has no portals.conf): another back-end installed
# on the machine (wlr, gtk) cannot be picked instead.
#
# SKIPPED when mutter cannot run here (wayland_lib.sh says why); a missing
# program is a failure (make deps installs them).

. "$(dirname "$0")/wayland_lib.sh"

PORTAL_LIBEXEC=/usr/libexec

# portal_skip WHY: say so with the portals' own last words.
portal_skip() {
	echo "  SKIPPED: $1"
	for _l in xdp-gnome xdp; do
		[ -s "$T/$_l.log" ] && tail -5 "$T/$_l.log" | sed "s/^/  | $_l: /"
	done
	exit 0
}

# portal_has IFACE: org.freedesktop.portal.IFACE answers its version.
portal_has() {
	mutter_call get-property org.freedesktop.portal.Desktop /org/freedesktop/portal/desktop \
	    "org.freedesktop.portal.$1" version >/dev/null 2>&1
}

start_gnome_portal() {
	for _p in xdg-permission-store xdg-desktop-portal-gnome xdg-desktop-portal; do
		[ -x "$PORTAL_LIBEXEC/$_p" ] ||
			fail "$PORTAL_LIBEXEC/$_p is not installed (make deps)"
	done
	PORTAL_PY=""
	for _py in python3 /usr/bin/python3; do
		if "$_py" -c 'import dbus, dbus.mainloop.glib, gi.repository.GLib' 2>/dev/null; then
			PORTAL_PY=$_py
			break
		fi
	done
	[ -n "$PORTAL_PY" ] ||
		fail "no python3 with dbus and gi (python3-dbus, python3-gi: make deps)"
	export PORTAL_PY
	[ -r /usr/share/xdg-desktop-portal/portals/gnome.portal ] ||
		fail "gnome.portal is missing (xdg-desktop-portal-gnome: make deps)"
	mkdir "$T/portals"
	cp /usr/share/xdg-desktop-portal/portals/gnome.portal "$T/portals/"
	quiet_bus_conf "$T/bus.conf"
	WAYLAND_DBUS_CONFIG=$T/bus.conf
	start_mutter "$@"
	unset WAYLAND_DBUS_CONFIG
	XDG_CURRENT_DESKTOP=GNOME
	XDG_DESKTOP_PORTAL_DIR=$T/portals
	# GTK's accessibility bus is not there: no attempts to reach it.
	GTK_A11Y=none
	# Settings from memory: no dconf, no user's settings.
	GSETTINGS_BACKEND=memory
	# The permission store keeps restore tokens in XDG_DATA_HOME
	# (flatpak/db/screencast): the test's own, not the user's.
	XDG_DATA_HOME=$T/data
	mkdir "$XDG_DATA_HOME"
	export XDG_CURRENT_DESKTOP XDG_DESKTOP_PORTAL_DIR GTK_A11Y GSETTINGS_BACKEND XDG_DATA_HOME
	"$PORTAL_LIBEXEC/xdg-permission-store" --replace >"$T/permission-store.log" 2>&1 &
	wayland_started $!
	"$PORTAL_LIBEXEC/xdg-desktop-portal-gnome" --replace --verbose >"$T/xdp-gnome.log" 2>&1 &
	XDP_GNOME_PID=$!
	wayland_started $XDP_GNOME_PID
	# The back-end first: xdg-desktop-portal looks at the names on the
	# bus once, at its start.
	_i=0
	until mutter_call status org.freedesktop.impl.portal.desktop.gnome >/dev/null 2>&1 &&
	    mutter_call status org.freedesktop.impl.portal.PermissionStore >/dev/null 2>&1; do
		kill -0 "$XDP_GNOME_PID" 2>/dev/null ||
			portal_skip "xdg-desktop-portal-gnome cannot run here (it exited at start)"
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "xdg-desktop-portal-gnome did not start in 10 s"
		sleep 0.05
	done
	"$PORTAL_LIBEXEC/xdg-desktop-portal" --replace --verbose >"$T/xdp.log" 2>&1 &
	XDP_PID=$!
	wayland_started $XDP_PID
	_i=0
	until portal_has ScreenCast && portal_has RemoteDesktop; do
		kill -0 "$XDP_PID" 2>/dev/null ||
			portal_skip "xdg-desktop-portal cannot run here (it exited at start)"
		_i=$((_i + 1))
		[ $_i -lt 200 ] ||
			fail "xdg-desktop-portal does not offer ScreenCast and RemoteDesktop"
		sleep 0.05
	done
}
