# tests/integration/lib.sh - sourced by every integration test.
#
# Each test runs in its own temporary directory ($T) with programs from
# $B (build/ or build-asan/); everything it starts is stopped by cleanup.
# Helpers wait with a bound and fail the test with the logs when it passes.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
T=$(mktemp -d "${TMPDIR:-/tmp}/fernsicht-it.XXXXXX")
pids=""
fds_open=""

# Debian's python3 for every python the tests start: the one make deps
# installs modules for (python3-dbus, python3-gi). Another python3 first
# in PATH (a pyenv shim) may lack them, and a shim costs 0.3 s a start
# here against 0.03 s: a run of make check starts python about 700 times.
if [ -x /usr/bin/python3 ]; then
	mkdir "$T/python"
	ln -s /usr/bin/python3 "$T/python/python3"
	PATH="$T/python:$PATH"
	export PATH
fi

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	if [ "${KEEP:-0}" = 1 ]; then echo "  kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The programs read /etc/fernsicht/*.conf whatever a test gives them: a
# machine whose administrator set keys there (a relay, a proxy) would make
# tests reach elsewhere. Say so instead of failing somewhere obscure.
for _conf in /etc/fernsicht/master.conf /etc/fernsicht/viewer.conf /etc/fernsicht/relay.conf; do
	if grep -Eq '^[[:space:]]*[^#[:space:]]' "$_conf" 2>/dev/null; then
		echo "  FAIL: $_conf sets keys; the tests need the system settings unset"
		exit 1
	fi
done

# fail MESSAGE: print the message and the tail of every log, end the test.
fail() {
	echo "  FAIL: $*"
	for f in "$T"/*.out "$T"/*.log; do
		[ -s "$f" ] || continue
		echo "  --- $(basename "$f")"
		tail -15 "$f" | sed 's/^/  | /'
	done
	exit 1
}

note() { echo "  $*"; }

# wait_for FILE REGEX [SECONDS]: until a line of FILE matches.
wait_for() {
	_i=0
	_lim=$(( ${3:-10} * 20 ))
	until grep -Eq "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt $_lim ] || fail "timed out waiting for /$2/ in $(basename "$1")"
		sleep 0.05
	done
}

# quiet_bus_conf FILE: a D-Bus session bus configuration that starts
# nothing by itself (no service folders: only what the test starts is on
# the bus, each with a pid to stop). dbus-daemon's --address says where
# it listens.
quiet_bus_conf() {
	cat >"$1" <<'EOF'
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
}

# start_quiet_bus: a private session bus that starts nothing (as
# quiet_bus_conf), its pid in $pids; its address in $QUIET_BUS.
start_quiet_bus() {
	command -v dbus-daemon >/dev/null || fail "dbus-daemon is not installed (make deps)"
	quiet_bus_conf "$T/bus.conf"
	dbus-daemon --config-file="$T/bus.conf" --address="unix:path=$T/bus" --nofork \
	    --nopidfile --print-address=3 3>"$T/bus.addr" >"$T/dbus.log" 2>&1 &
	pids="$pids $!"
	wait_for "$T/bus.addr" '^unix:' 10
	QUIET_BUS=$(head -1 "$T/bus.addr")
}

# start_mock_bus: for a mock D-Bus service (tests/tools/hostile_*.py) in
# Debian's own python3, $PY (python3-dbus and python3-gi belong to it;
# another python3 may come first in PATH), on a private session bus that
# starts nothing (start_quiet_bus), exported as the session bus.
start_mock_bus() {
	PY=/usr/bin/python3
	"$PY" -c 'import dbus, dbus.mainloop.glib; from gi.repository import GLib' 2>/dev/null ||
	    fail "python3-dbus or python3-gi is not installed (make deps)"
	start_quiet_bus
	DBUS_SESSION_BUS_ADDRESS=$QUIET_BUS
	export DBUS_SESSION_BUS_ADDRESS
}

# count FILE REGEX: matching lines (0 when none or no file).
count() { grep -Ec "$2" "$1" 2>/dev/null || true; }

# wait_exit PID SECONDS: wait for a process to end; its exit code in $rc.
wait_exit() {
	_i=0
	while kill -0 "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt $(( $2 * 20 )) ] || fail "process $1 did not exit within $2 s"
		sleep 0.05
	done
	rc=0
	wait "$1" 2>/dev/null || rc=$?
}

# start_relay NAME [ARGS...]: sets RELAY (ip:port) and RELAY_PID.
start_relay() {
	_n=$1; shift
	"$B/fernsicht-relay" --listen 127.0.0.1:${RELAY_PORT:-0} --state-dir "$T" "$@" \
	    >"$T/$_n.out" 2>"$T/$_n.log" &
	RELAY_PID=$!
	pids="$pids $RELAY_PID"
	wait_for "$T/$_n.out" '^listening=' 10
	RELAY=$(sed -n 's/^listening=//p' "$T/$_n.out" | head -1)
}

# free_port: a TCP port on 127.0.0.1 that nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# start_redis NAME [PORT [ARGS...]]: a private redis-server on 127.0.0.1
# (a free port unless given: "" for one with ARGS), no persistence, its
# files in $T/NAME; sets REDIS (ip:port), REDIS_PORT and REDIS_PID. ARGS
# go to redis-server as they are (--requirepass PW, --tls-port ...), after
# the file REDIS_CONF when that is set; for a Redis with a password export
# REDISCLI_AUTH (redis-cli's own) first. Starting NAME again with its port
# is a Redis that comes back empty.
start_redis() {
	command -v redis-server >/dev/null || fail "redis-server is not installed (make deps)"
	_n=$1
	REDIS_PORT=${2:-$(free_port)}
	shift
	[ $# = 0 ] || shift
	mkdir -p "$T/$_n"
	redis-server ${REDIS_CONF:+"$REDIS_CONF"} --port "$REDIS_PORT" --bind 127.0.0.1 \
	    --dir "$T/$_n" --save "" \
	    --appendonly no --daemonize no --logfile "$T/$_n.log" "$@" >/dev/null 2>&1 &
	REDIS_PID=$!
	pids="$pids $REDIS_PID"
	REDIS=127.0.0.1:$REDIS_PORT
	_i=0
	until redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || fail "redis-server did not start"; sleep 0.05
	done
}

# rcli ARGS...: redis-cli against the test's Redis.
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }

# start_tamper NAME TARGET [ARGS...]: a proxy in front of TARGET; sets PROXY.
start_tamper() {
	_n=$1; _t=$2; shift 2
	"$B/tools/tamper" --listen 127.0.0.1:0 --target "$_t" "$@" >"$T/$_n.out" 2>"$T/$_n.log" &
	pids="$pids $!"
	wait_for "$T/$_n.out" '^listening=' 10
	PROXY=$(sed -n 's/^listening=//p' "$T/$_n.out" | head -1)
}

# start_master NAME RELAY [ARGS...]: its stdin is the fifo $T/NAME.in,
# held open on a numbered descriptor; sets SESSION, CODE and MASTER_PID.
start_master() {
	_n=$1; _r=$2; shift 2
	mkfifo "$T/$_n.in"
	"$B/fernsicht-master" --relay "$_r" --headless --source test-pattern --name "$_n" "$@" \
	    <"$T/$_n.in" >"$T/$_n.out" 2>"$T/$_n.log" &
	MASTER_PID=$!
	pids="$pids $MASTER_PID"
	# Keep the fifo open for writing so the master's stdin stays alive.
	sleep 1000000 >"$T/$_n.in" &
	pids="$pids $!"
	wait_for "$T/$_n.out" '^session=' 10
	line=$(grep '^session=' "$T/$_n.out" | tail -1)
	SESSION=$(echo "$line" | sed 's/session=\([0-9]*\) .*/\1/')
	CODE=$(echo "$line" | sed 's/.*code=\([0-9]*\).*/\1/')
}

# master_cmd NAME LINE: type a line into a master's stdin.
master_cmd() { printf '%s\n' "$2" >>"$T/$1.in"; }

# start_viewer NAME RELAY SESSION CODE [ARGS...]: in the background; VIEWER_PID.
start_viewer() {
	_n=$1; _r=$2; _s=$3; _c=$4; shift 4
	"$B/fernsicht-viewer" --relay "$_r" "$_s" --code "$_c" --headless --name "$_n" "$@" \
	    >"$T/$_n.out" 2>"$T/$_n.log" &
	VIEWER_PID=$!
	pids="$pids $VIEWER_PID"
}

# latest_code NAME: the code a master shows now (codes are single-use).
latest_code() { grep '^session=' "$T/$1.out" | tail -1 | sed 's/.*code=\([0-9]*\).*/\1/'; }

# frames NAME: frames a viewer has decoded so far.
frames() { count "$T/$1.out" '^frame '; }
# more_frames NAME K WHAT: until viewer NAME has decoded K more frames than
# now (10 s at most; else fails with WHAT).
more_frames() {
	_m=$(( $(frames "$1") + $2 ))
	_i=0
	until [ "$(frames "$1")" -ge "$_m" ]; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || fail "$3"
		sleep 0.05
	done
}

# message_box PID WHAT: wait for the programs' message box (gui/alert.c,
# titled "Fernsicht") while PID waits on it; sets MESSAGE_BOX to its window.
# (xwininfo: xdotool's search does not list SDL's message box.)
message_box() {
	_i=0
	until MESSAGE_BOX=$(xwininfo -root -tree 2>/dev/null |
	    awk '/"Fernsicht"/ { print $1; exit }') && [ -n "$MESSAGE_BOX" ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "no message box: $2"
		sleep 0.05
	done
	kill -0 "$1" 2>/dev/null || fail "it did not wait for its message box to be read: $2"
}

# start_xvfb [WxH]: a private X server for this test; sets DISPLAY and
# XVFB_PID. Display numbers are picked by the server (-displayfd), so
# tests can run side by side.
start_xvfb() {
	command -v Xvfb >/dev/null || fail "Xvfb is not installed (make deps)"
	# A second server's number must not be read from the first one's file
	# before the redirection below empties it.
	rm -f "$T/xvfb.num"
	Xvfb -displayfd 9 -screen 0 "${1:-1280x720}x24" -nolisten tcp -noreset \
	    +extension MIT-SHM +extension DAMAGE +extension XFIXES +extension RANDR \
	    +extension XTEST 9>"$T/xvfb.num" 2>"$T/xvfb.log" &
	XVFB_PID=$!
	pids="$pids $XVFB_PID"
	wait_for "$T/xvfb.num" '^[0-9]+' 10
	DISPLAY=:$(head -1 "$T/xvfb.num")
	export DISPLAY
}

# same_as_grim DIR W H WHAT [any]: the viewer's newest picture in DIR
# becomes grim's copy of the output, and that is wl_pattern's picture
# (unless "any"); for the sway tests, whose as_user runs grim as the
# compositor's user. Changing pictures may arrive as JPEG tiles first and
# exact a second after they are still: 5 s is only a deadline.
# newest_frame_equals DIR REF WHAT: until the newest frame a viewer recorded
# into DIR (--record) equals the picture REF, every pixel (10 s at most);
# else the test fails naming WHAT and how many pixels differ, the frame kept
# as $T/newest-frame.ppm.
newest_frame_equals() {
	_i=0
	until _last=$(ls "$1" | tail -1) && cmp -s "$1/$_last" "$2"; do
		_i=$((_i + 1))
		if [ $_i -ge 100 ]; then
			cp "$1/$_last" "$T/newest-frame.ppm"
			_n=$(python3 "$top/tests/tools/pixels.py" diff "$T/newest-frame.ppm" "$2")
			fail "$3: the viewer's frame $_last differs in $_n pixels"
		fi
		sleep 0.1
	done
}

# newest_frame_sized DIR W H WHAT: until the newest frame recorded into DIR
# is W x H (10 s at most); else the test fails naming WHAT, with the end of
# the master's log ($T/host.log).
newest_frame_sized() {
	_i=0
	until _last=$(ls "$1" | tail -1) &&
	    [ "$(head -c 15 "$1/$_last" | tr '\n' ' ')" = "P6 $2 $3 255 " ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] ||
		    fail "$4: no $2x$3 frame ($(tail -3 "$T/host.log" 2>/dev/null | tr '\n' ' '))"
		sleep 0.05
	done
}

same_as_grim() {
	_i=0
	until (as_user grim -t ppm -) >"$T/shot.ppm" 2>"$T/grim.log" &&
	    python3 "$top/tests/tools/ppm_same.py" "$1/$(ls "$1" | tail -1)" "$T/shot.ppm" \
	    "$2" "$3" ${5:-} >"$T/same.log" 2>&1; do
		_i=$((_i + 1))
		[ $_i -lt 50 ] || fail "$4: the frames differ: $(tail -2 "$T/same.log")"
		sleep 0.1
	done
}
