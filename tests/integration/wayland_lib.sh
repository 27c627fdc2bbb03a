# tests/integration/wayland_lib.sh - sourced after lib.sh by the tests of
# Wayland hosts: a private GNOME desktop without a screen.
#
# start_mutter [WxH] starts, each with its pid in $pids (lib.sh's cleanup
# stops them, whether the test passes or fails):
#   a D-Bus session bus (dbus-daemon, not dbus-run-session: that one
#   leaves what it started running), pipewire, wireplumber, and
#   mutter --headless with one virtual monitor, Wayland only,
# all in XDG_RUNTIME_DIR=$T/run (a fresh 0700 directory). It waits until
# org.gnome.Mutter.ScreenCast answers and exports XDG_RUNTIME_DIR,
# DBUS_SESSION_BUS_ADDRESS and WAYLAND_DISPLAY for what the test starts
# next; DISPLAY is unset (no X11 here).
#
# A machine that cannot run mutter at all (it exits before its D-Bus
# interfaces appear) makes the test say SKIPPED with mutter's own words
# and end with 0, as run.sh counts it; a missing program is a failure
# (make deps installs them).

# mutter_skip WHY: the test cannot run here; say so plainly.
mutter_skip() {
	echo "  SKIPPED: $1"
	[ -s "$T/mutter.log" ] && tail -5 "$T/mutter.log" | sed 's/^/  | /'
	exit 0
}

# mutter_call ARGS...: busctl on the private session bus.
mutter_call() { busctl --user --timeout=5 "$@"; }

start_mutter() {
	for _p in dbus-daemon pipewire wireplumber mutter busctl; do
		command -v "$_p" >/dev/null || fail "$_p is not installed (make deps)"
	done
	mkdir -m 700 "$T/run"
	XDG_RUNTIME_DIR=$T/run
	export XDG_RUNTIME_DIR
	unset DISPLAY WAYLAND_DISPLAY
	dbus-daemon --session --nofork --nopidfile --address="unix:path=$T/run/bus" \
	    --print-address=3 3>"$T/bus.addr" >"$T/dbus.log" 2>&1 &
	pids="$pids $!"
	wait_for "$T/bus.addr" '^unix:' 10
	DBUS_SESSION_BUS_ADDRESS=$(head -1 "$T/bus.addr")
	export DBUS_SESSION_BUS_ADDRESS
	pipewire >"$T/pipewire.log" 2>&1 &
	pids="$pids $!"
	_i=0
	until [ -S "$T/run/pipewire-0" ]; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || fail "pipewire did not start"; sleep 0.05
	done
	wireplumber >"$T/wireplumber.log" 2>&1 &
	pids="$pids $!"
	mutter --headless --virtual-monitor "${1:-1280x800}" --wayland --no-x11 \
	    --wayland-display wayland-test >"$T/mutter.log" 2>&1 &
	MUTTER_PID=$!
	pids="$pids $MUTTER_PID"
	_i=0
	until mutter_call get-property org.gnome.Mutter.ScreenCast /org/gnome/Mutter/ScreenCast \
	    org.gnome.Mutter.ScreenCast Version >/dev/null 2>&1; do
		kill -0 "$MUTTER_PID" 2>/dev/null ||
			mutter_skip "mutter cannot run on this machine (it exited at start)"
		_i=$((_i + 1)); [ $_i -lt 300 ] || fail "mutter's ScreenCast did not answer in 15 s"
		sleep 0.05
	done
	WAYLAND_DISPLAY=wayland-test
	export WAYLAND_DISPLAY
}
