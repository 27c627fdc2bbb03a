# tests/integration/wayland_lib.sh - sourced after lib.sh by the tests of
# Wayland hosts: a private GNOME desktop without a screen.
#
# start_mutter [WxH...] starts, each with its pid in $pids and $wayland_pids (stopped
# on exit, whether the test passes or fails, KILLed when TERM is not enough):
#   a D-Bus session bus (dbus-daemon, not dbus-run-session: that one
#   leaves what it started running), pipewire, wireplumber, and
#   mutter --headless with a virtual monitor of each size given (one
#   of 1280x800 without), Wayland only; the first is the primary, the
#   others to its right in the order given,
# all in XDG_RUNTIME_DIR=$T/run (a fresh 0700 directory). It waits until
# org.gnome.Mutter.ScreenCast answers and exports XDG_RUNTIME_DIR,
# DBUS_SESSION_BUS_ADDRESS and WAYLAND_DISPLAY for what the test starts
# next; DISPLAY is unset (no X11 here). WAYLAND_DBUS_CONFIG, when set, is
# the bus's configuration file instead of the standard session one
# (portal_gnome_lib.sh: a bus that starts no service by itself).
#
# A machine that cannot run mutter at all (it exits before its D-Bus
# interfaces appear) makes the test say SKIPPED with mutter's own words
# and end with 0, as run.sh counts it; a missing program is a failure
# (make deps installs them).

# Everything the test started is stopped before lib.sh's cleanup: the
# test's own programs first (the master ends its Mutter session), then
# the desktop in the reverse order of its start (mutter before the
# PipeWire and D-Bus it talks to). TERM, then KILL for one still there
# after 3 s, said in the output: a hang at exit is a finding, and must not
# hold the test until run.sh's timeout.
wayland_pids=""
wayland_stop() {
	for _p in "$@"; do kill "$_p" 2>/dev/null || true; done
	for _p in "$@"; do
		_i=0
		while kill -0 "$_p" 2>/dev/null && [ $_i -lt 60 ]; do
			_i=$((_i + 1)); sleep 0.05
		done
		if kill -0 "$_p" 2>/dev/null; then
			echo "  note: $(ps -o comm= -p "$_p") ($_p) did not stop on TERM: killed"
			kill -9 "$_p" 2>/dev/null || true
		fi
	done
}
wayland_cleanup() {
	_own=""
	for _p in $pids; do
		case " $wayland_pids " in *" $_p "*) ;; *) _own="$_own $_p" ;; esac
	done
	# shellcheck disable=SC2086
	wayland_stop $_own
	_rev=""
	for _p in $wayland_pids; do _rev="$_p $_rev"; done
	for _p in $_rev; do wayland_stop "$_p"; done
	cleanup
}
trap wayland_cleanup EXIT

# wayland_started PID: one of the desktop's processes.
wayland_started() {
	pids="$pids $1"
	wayland_pids="$wayland_pids $1"
}

# mutter_skip WHY: the test cannot run here; say so plainly.
mutter_skip() {
	echo "  SKIPPED: $1"
	[ -s "$T/mutter.log" ] && tail -5 "$T/mutter.log" | sed 's/^/  | /'
	exit 0
}

# mutter_call ARGS...: busctl on the private session bus.
mutter_call() { busctl --user --timeout=5 "$@"; }

# wayland_exec CMD...: the command in place of the subshell it is run in, so
# that "(RUNNER CMD) &" gives the command's own pid in $!; the runner of the
# desktops started as root (portal_lib.sh's as_user is the other).
wayland_exec() { exec "$@"; }

# start_bus_and_pipewire RUNNER [DBUS_CONFIG]: a D-Bus session bus at
# $T/run/bus (the session's standard one, or the one DBUS_CONFIG describes),
# pipewire and wireplumber, each run by RUNNER; exports
# DBUS_SESSION_BUS_ADDRESS. XDG_RUNTIME_DIR ($T/run) must exist.
start_bus_and_pipewire() {
	_bus=--session
	[ -z "${2:-}" ] || _bus="--config-file=$2"
	($1 dbus-daemon "$_bus" --nofork --nopidfile \
	    --address="unix:path=$T/run/bus" --print-address=3) 3>"$T/bus.addr" \
	    >"$T/dbus.log" 2>&1 &
	wayland_started $!
	wait_for "$T/bus.addr" '^unix:' 10
	DBUS_SESSION_BUS_ADDRESS=$(head -1 "$T/bus.addr")
	export DBUS_SESSION_BUS_ADDRESS
	($1 pipewire) >"$T/pipewire.log" 2>&1 &
	wayland_started $!
	_i=0
	until [ -S "$T/run/pipewire-0" ]; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || fail "pipewire did not start"; sleep 0.05
	done
	($1 wireplumber) >"$T/wireplumber.log" 2>&1 &
	wayland_started $!
}

# start_pipewire [PROGRAM...]: a fresh XDG_RUNTIME_DIR ($T/run), with no
# display in the environment, and start_bus_and_pipewire in it, once each
# of the programs the test needs besides is found.
start_pipewire() {
	for _p in dbus-daemon pipewire wireplumber "$@"; do
		command -v "$_p" >/dev/null || fail "$_p is not installed (make deps)"
	done
	mkdir -m 700 "$T/run"
	XDG_RUNTIME_DIR=$T/run
	export XDG_RUNTIME_DIR
	unset DISPLAY WAYLAND_DISPLAY
	start_bus_and_pipewire wayland_exec "${WAYLAND_DBUS_CONFIG:-}"
}

start_mutter() {
	start_pipewire mutter busctl
	mutter_up "$@"
}

# mutter_up [WxH...]: mutter alone (start_mutter's last part), on the bus
# and PipeWire already there: again after a test stopped the one before.
mutter_up() {
	[ $# -gt 0 ] || set -- 1280x800
	_monitors=""
	for _m in "$@"; do _monitors="$_monitors --virtual-monitor $_m"; done
	# shellcheck disable=SC2086
	mutter --headless $_monitors --wayland --no-x11 \
	    --wayland-display wayland-test >>"$T/mutter.log" 2>&1 &
	MUTTER_PID=$!
	wayland_started $MUTTER_PID
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

# mutter_rotate T: turn the first virtual monitor (640x480) to transform
# T through Mutter's DisplayConfig (a virtual monitor has one mode); the
# others are switched off.
mutter_rotate() {
	gdbus call --session --dest org.gnome.Mutter.DisplayConfig \
	    --object-path /org/gnome/Mutter/DisplayConfig \
	    --method org.gnome.Mutter.DisplayConfig.GetCurrentState >"$T/display.state" ||
		fail "DisplayConfig.GetCurrentState"
	serial=$(sed -n 's/^(uint32 \([0-9]*\),.*/\1/p' "$T/display.state")
	gdbus call --session --dest org.gnome.Mutter.DisplayConfig \
	    --object-path /org/gnome/Mutter/DisplayConfig \
	    --method org.gnome.Mutter.DisplayConfig.ApplyMonitorsConfig "$serial" 1 \
	    "[(0, 0, 1.0, uint32 $1, true, [('Meta-0', '640x480@60.000', @a{sv} {})])]" \
	    "@a{sv} {}" >/dev/null || fail "DisplayConfig.ApplyMonitorsConfig"
}
