#!/bin/sh
# tests/bench/files.sh - file transfer, each number next to a peer measured
# in this same run on this same machine (docs/benchmarks.md, "File
# transfer"):
#
#   1. one file of random bytes (BENCH_FILE_MIB, default 1024 MiB) from a
#      headless viewer (--send) through a relay on loopback to a headless
#      master (--auto-accept, --inbox beside the source file), and from the
#      master (`send 1 PATH`) to a viewer; against socat carrying the same
#      file through a plain TCP forward: a socat sender reading the file, a
#      socat forwarder (as the relay) and a socat receiver writing it to the
#      same filesystem. Fernsicht is timed from the receiver's file-offer
#      line to its file-done line (file-done comes once the last byte is
#      written and its BLAKE2b matched the sender's), socat from starting
#      the sender to the receiver's exit. Best of BENCH_ROUNDS (3) rounds.
#   2. scp of the same file to 127.0.0.1 through an sshd of the bench's own
#      (private config, free port, temporary host key and key pair), when
#      openssh-server is there or can be installed
#   3. peak RSS (VmHWM) of sender and receiver during the transfer, against
#      the same programs in an idle session as long as the transfer
#   4. input-to-display latency (screen.sh's probe: x11_latency on an Xvfb
#      the master captures, the viewer's --latency-probe) while idle and
#      while a second viewer sends the file to the host
#
# Every event line of the Fernsicht programs is stamped with the wall clock
# when it is read (stamp below), to 1 ms. CPU seconds per process are
# utime+stime from /proc/PID/stat, read while each process runs.
#
# Environment: BENCH_FILE_MIB (1024), BENCH_ROUNDS (3), BENCH_FILE_PROBES
# (40) latency samples idle and during transfers (the file is sent again,
# at most 5 times, until that many were taken while it moved),
# BENCH_SOCAT_OPTS ("-b 65536"), BENCH_FILE_DIRS ("up down": viewer -> host
# and host -> viewer), BENCH_SCP (1; 0 skips part 2), BENCH_FILE_LATENCY
# (1; 0 skips part 4), B (build) where the programs are.
# Ends with "bench: files ..." lines for grep; exit 1 when a Fernsicht
# measurement could not be taken.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
MIB=${BENCH_FILE_MIB:-1024}
ROUNDS=${BENCH_ROUNDS:-3}
PROBES=${BENCH_FILE_PROBES:-40}
SOCAT_OPTS=${BENCH_SOCAT_OPTS--b 65536}
DIRS=${BENCH_FILE_DIRS:-up down}
TICK=$(getconf CLK_TCK 2>/dev/null || echo 100)
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init files
missing=""

for f in fernsicht-relay fernsicht-master fernsicht-viewer tools/x11_latency; do
	[ -x "$B/$f" ] || { echo "bench: $B/$f missing (make all tests)" >&2; exit 1; }
done
for c in socat python3 b2sum Xvfb timeout; do
	command -v $c >/dev/null 2>&1 || { sh scripts/deps.sh || exit 1; break; }
done

# need NAME VALUE: remember measurements that could not be taken.
need() { [ -n "$2" ] && [ "$2" != n/a ] || missing="$missing $1"; }

# div A B [FORMAT]: A / B, or n/a when either is missing or B is zero.
div() {
	awk -v a="${1:-}" -v b="${2:-}" -v f="${3:-%.2f}" \
	    'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0)
	        print "n/a"; else printf f "\n", a / b }'
}

# best VALUES...: the largest, or n/a when there is none.
best() {
	printf '%s\n' "$@" | awk '/^[0-9.]+$/ { if (!n++ || $1 > m) m = $1 }
	    END { if (n) print m; else print "n/a" }'
}

# better NEW OLD: true when NEW is a number and OLD is not, or is less.
better() {
	awk -v n="$1" -v o="$2" 'BEGIN { exit !(n ~ /^[0-9.]+$/ &&
	    (o !~ /^[0-9.]+$/ || n + 0 > o + 0)) }'
}

# most VALUES...: the same, for peaks (an alias that reads better).
most() { best "$@"; }

# mbps SECONDS: MB/s (10^6 bytes) for the file, or n/a.
mbps() {
	awk -v s="${1:-}" -v b="$BYTES" 'BEGIN { if (s == "" || s == "n/a" || s + 0 <= 0)
	    print "n/a"; else printf "%.1f\n", b / s / 1e6 }'
}

# elapsed FROM TO: TO - FROM in seconds (three decimals), or n/a.
elapsed() {
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "") print "n/a";
	    else printf "%.3f\n", b - a }'
}

now() { date +%s.%N | cut -c1-14; }

# stamp: copies standard input to output, each line prefixed with the
# wall clock when it was read ("SECONDS.MMM LINE"), after a first line
# "SECONDS.MMM stamp ready". Only in the background: it replaces the
# subshell that runs it, so that $! is python itself and stop ends it.
stamp() {
	exec python3 -u -c 'import sys, time
sys.stdout.write("%.3f stamp ready\n" % time.time())
for line in iter(sys.stdin.readline, ""):
    sys.stdout.write("%.3f %s" % (time.time(), line))'
}

# stamper NAME: stamp from the fifo $T/NAME.pipe into $T/NAME.out, running
# before anything is written to the fifo: a line is stamped when it is
# read, and a program started first would have its first lines stamped as
# late as python took to start. The fifo is opened for reading and writing,
# so the open does not wait for a writer; the stamper stays until
# stop_stampers.
stampers=""
stamper() {
	rm -f "$T/$1.pipe"
	mkfifo "$T/$1.pipe"
	stamp <>"$T/$1.pipe" >"$T/$1.out" &
	stampers="$stampers $!"
	pids="$pids $!"
	wait_for "$T/$1.out" ' stamp ready' 20
}
stop_stampers() {
	# shellcheck disable=SC2086 # a list of pids
	stop $stampers
	stampers=""
}

# at FILE REGEX: the stamp of the first line of FILE matching REGEX (the
# regex is matched against the line without its stamp).
at() { grep -E "^[0-9.]+ $2" "$1" 2>/dev/null | head -1 | cut -d' ' -f1; }

# wait_count FILE REGEX N SECONDS: until N lines of FILE match.
wait_count() {
	_i=0
	while [ "$(grep -Ec "$2" "$1" 2>/dev/null)" -lt "$3" ]; do
		_i=$((_i + 1))
		[ $_i -lt $(($4 * 20)) ] || return 1
		sleep 0.05
	done
}

# wait_gone PID SECONDS: wait for a process we started to end.
wait_gone() {
	_i=0
	while kill -0 "$1" 2>/dev/null && [ "$(state "$1")" != Z ]; do
		_i=$((_i + 1))
		[ $_i -lt $(($2 * 20)) ] || { kill "$1" 2>/dev/null; break; }
		sleep 0.05
	done
	wait "$1" 2>/dev/null
}

# state PID, ticks PID, hwm PID: its state letter, user+system CPU in
# clock ticks, peak RSS in KiB (empty when it is gone). Shell built-ins
# only: the watcher below calls them ten times a second.
state() {
	_st=""
	read -r _st 2>/dev/null <"/proc/$1/stat" || return 0
	# shellcheck disable=SC2086 # the fields after the command name
	set -- ${_st##*) }
	echo "$1"
}
ticks() {
	_st=""
	read -r _st 2>/dev/null <"/proc/$1/stat" || return 0
	# shellcheck disable=SC2086
	set -- ${_st##*) }
	[ "$1" != Z ] || return 0
	echo $((${12} + ${13}))
}
hwm() {
	_hwm=""
	while read -r _k _v _u; do
		[ "$_k" != VmHWM: ] || _hwm=$_v
	done 2>/dev/null <"/proc/$1/status"
	echo "$_hwm"
}
secs() { [ -z "${1:-}" ] || awk -v t="$1" -v h="$TICK" 'BEGIN { printf "%.2f\n", t / h }'; }

# watch_proc PID FILE: every 0.1 s, "PEAK_RSS_KIB CPU_TICKS" of PID into FILE,
# until PID ends (a viewer that came to send leaves by itself, so its
# numbers are read while it still runs). In the background; WATCH_PID.
watch_proc() {
	(
		while :; do
			_t=$(ticks "$1")
			[ -n "$_t" ] || break
			_h=$(hwm "$1")
			[ -z "$_h" ] || echo "$_h $_t" >"$2"
			sleep 0.1
		done
	) &
	WATCH_PID=$!
	pids="$pids $WATCH_PID"
}
watched() { cut -d' ' -f"$2" "$1" 2>/dev/null; }

start_relay() {
	"$B/fernsicht-relay" --listen 127.0.0.1:0 --state-dir "$T" --sessions-per-min 100000 \
	    >"$T/relay.out" 2>"$T/relay.log" &
	RELAY_PID=$!
	pids="$pids $RELAY_PID"
	wait_for "$T/relay.out" '^listening=' 10 || { echo "bench: the relay did not start" >&2; exit 1; }
	RELAY=$(sed -n 's/^listening=//p' "$T/relay.out" | head -1)
}

# master NAME ARGS...: a headless master that accepts every viewer, its
# events stamped into $T/NAME.out, commands through $T/NAME.in; sets
# MASTER_PID, SESSION and CODE (1 when it did not start).
master() {
	_n=$1; shift
	rm -f "$T/$_n.in"
	mkfifo "$T/$_n.in"
	stamper "$_n"
	"$B/fernsicht-master" --relay "$RELAY" --headless --auto-accept --name bench "$@" \
	    <"$T/$_n.in" >"$T/$_n.pipe" 2>"$T/$_n.log" &
	MASTER_PID=$!
	pids="$pids $MASTER_PID"
	# Its standard input stays open until the keeper is killed.
	sleep 1000000 >"$T/$_n.in" &
	KEEPER_PID=$!
	pids="$pids $KEEPER_PID"
	wait_for "$T/$_n.out" '^[0-9.]+ session=' 10 || return 1
	SESSION=$(grep -E '^[0-9.]+ session=' "$T/$_n.out" | tail -1 |
	    sed 's/.* session=\([0-9]*\) .*/\1/')
	code "$_n"
}
code() { CODE=$(grep -E '^[0-9.]+ session=' "$T/$1.out" | tail -1 | sed 's/.*code=\([0-9]*\).*/\1/'); }
host_cmd() { printf '%s\n' "$2" >>"$T/$1.in"; }

# viewer NAME ARGS...: a headless viewer joining $SESSION with $CODE, its
# events stamped into $T/NAME.out; sets VIEWER_PID and VIEWER_T0 (when it
# started).
viewer() {
	_n=$1; shift
	stamper "$_n"
	VIEWER_T0=$(now)
	"$B/fernsicht-viewer" --relay "$RELAY" "$SESSION" --code "$CODE" --headless \
	    --name bench --quiet-frames "$@" >"$T/$_n.pipe" 2>"$T/$_n.log" &
	VIEWER_PID=$!
	pids="$pids $VIEWER_PID"
}

BYTES=$((MIB * 1024 * 1024))
SRC=$T/src/payload.bin
mkdir -p "$T/src" "$T/inbox" "$T/socat"
fs=$(stat -f -c %T "$T" 2>/dev/null)
echo "== files: $MIB MiB of random bytes in $T ($fs$([ "$fs" = tmpfs ] &&
    echo ': memory, not a disk: set TMPDIR for a disk'))"
head -c "$BYTES" /dev/urandom >"$SRC" || { echo "bench: cannot write $SRC" >&2; exit 1; }
HASH=$(b2sum -l 256 "$SRC" | cut -d' ' -f1)
start_relay

# fernsicht_up ROUND: viewer -> host. Sets R_SECS (offer to done), R_TOTAL
# (viewer start to done), R_CPU ("viewer relay master" seconds), R_HWM
# ("viewer master" KiB), all empty when the round failed.
fernsicht_up() {
	_r=up$1
	R_SECS="" R_TOTAL="" R_CPU="" R_HWM=""
	rm -f "$T/inbox/payload.bin"
	sync
	master "$_r.host" --source test-pattern --inbox "$T/inbox" ||
	    { echo "  $_r: the master did not start: $(tail -2 "$T/$_r.host.log")"; return; }
	_m=$MASTER_PID _k=$KEEPER_PID
	_relay0=$(ticks "$RELAY_PID")
	viewer "$_r.viewer" --send "$SRC"
	_t0=$VIEWER_T0
	_v=$VIEWER_PID
	watch_proc "$_v" "$T/$_r.viewer.watch"
	_w=$WATCH_PID
	if wait_for "$T/$_r.host.out" '^[0-9.]+ file-(done|failed) .*dir=in' 300; then
		_mt=$(ticks "$_m") _mh=$(hwm "$_m") _rt=$(ticks "$RELAY_PID")
		wait_gone "$_v" 30
		wait "$_w" 2>/dev/null
		_offer=$(at "$T/$_r.host.out" 'file-offer .*dir=in')
		_done=$(at "$T/$_r.host.out" 'file-done .*dir=in')
		if grep -Eq "file-done .*dir=in .*blake2b=$HASH" "$T/$_r.host.out" &&
		    cmp -s "$SRC" "$T/inbox/payload.bin"; then
			R_SECS=$(elapsed "$_offer" "$_done")
			R_TOTAL=$(elapsed "$_t0" "$_done")
			R_CPU="$(secs "$(watched "$T/$_r.viewer.watch" 2)") $(secs $((_rt - _relay0)))"
			R_CPU="$R_CPU $(secs "$_mt")"
			R_HWM="$(watched "$T/$_r.viewer.watch" 1) $_mh"
		else
			echo "  $_r: the file did not arrive whole:" \
			    "$(grep -E 'file-(done|failed)' "$T/$_r.host.out" | tail -1)"
		fi
	else
		echo "  $_r: no file-done: $(tail -2 "$T/$_r.viewer.log") $(tail -2 "$T/$_r.host.log")"
	fi
	stop "$_v" "$_w" "$_m" "$_k"
	stop_stampers
	rm -f "$T/inbox/payload.bin"
}

# fernsicht_down ROUND: host -> viewer (`send 1 PATH`); the same R_*
# ("master relay viewer" CPU, "master viewer" peaks), timed at the viewer.
fernsicht_down() {
	_r=down$1
	R_SECS="" R_TOTAL="" R_CPU="" R_HWM=""
	rm -rf "$T/vinbox"
	mkdir -p "$T/vinbox"
	sync
	master "$_r.host" --source test-pattern --inbox "$T/inbox" ||
	    { echo "  $_r: the master did not start: $(tail -2 "$T/$_r.host.log")"; return; }
	_m=$MASTER_PID _k=$KEEPER_PID
	viewer "$_r.viewer" --inbox "$T/vinbox"
	_v=$VIEWER_PID
	if ! wait_for "$T/$_r.host.out" '^[0-9.]+ allowed slot=1' 15; then
		echo "  $_r: the viewer was not allowed: $(tail -2 "$T/$_r.viewer.log")"
		stop "$_v" "$_m" "$_k"
		stop_stampers
		return
	fi
	_relay0=$(ticks "$RELAY_PID") _m0=$(ticks "$_m") _v0=$(ticks "$_v")
	_t0=$(now)
	host_cmd "$_r.host" "send 1 $SRC"
	if wait_for "$T/$_r.viewer.out" '^[0-9.]+ file-(done|failed) .*dir=in' 300; then
		_vt=$(ticks "$_v") _vh=$(hwm "$_v") _rt=$(ticks "$RELAY_PID")
		_mt=$(ticks "$_m") _mh=$(hwm "$_m")
		_offer=$(at "$T/$_r.viewer.out" 'file-offer .*dir=in')
		_done=$(at "$T/$_r.viewer.out" 'file-done .*dir=in')
		if grep -Eq "file-done .*dir=in .*blake2b=$HASH" "$T/$_r.viewer.out" &&
		    cmp -s "$SRC" "$T/vinbox/payload.bin"; then
			R_SECS=$(elapsed "$_offer" "$_done")
			R_TOTAL=$(elapsed "$_t0" "$_done")
			R_CPU="$(secs $((_mt - _m0))) $(secs $((_rt - _relay0))) $(secs $((_vt - _v0)))"
			R_HWM="$_mh $_vh"
		else
			echo "  $_r: the file did not arrive whole:" \
			    "$(grep -E 'file-(done|failed)' "$T/$_r.viewer.out" | tail -1)"
		fi
	else
		echo "  $_r: no file-done: $(tail -2 "$T/$_r.viewer.log") $(tail -2 "$T/$_r.host.log")"
	fi
	stop "$_v" "$_m" "$_k"
	stop_stampers
	rm -rf "$T/vinbox"
}

# socat_round ROUND: sender -> forwarder -> receiver writing to disk.
# Sets R_SECS (until the copy is on disk: the receiver's exit and an
# fdatasync of the file, as Fernsicht's receiver does before file-done),
# R_UNSYNCED (until the receiver's exit) and R_CPU ("sender forwarder
# receiver").
socat_round() {
	_r=socat$1
	R_SECS="" R_UNSYNCED="" R_CPU=""
	rm -f "$T/socat/payload.bin"
	sync
	# shellcheck disable=SC2086 # options are words
	socat $SOCAT_OPTS -u -d -d TCP-LISTEN:0,bind=127.0.0.1,reuseaddr \
	    "CREATE:$T/socat/payload.bin" 2>"$T/$_r.recv.log" &
	_rx=$!
	pids="$pids $_rx"
	wait_for "$T/$_r.recv.log" 'listening on' 10 ||
	    { echo "  $_r: the receiver did not listen"; stop "$_rx"; return; }
	_rp=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$T/$_r.recv.log" | head -1)
	# shellcheck disable=SC2086
	socat $SOCAT_OPTS -d -d TCP-LISTEN:0,bind=127.0.0.1,reuseaddr "TCP:127.0.0.1:$_rp" \
	    2>"$T/$_r.fwd.log" &
	_fw=$!
	pids="$pids $_fw"
	wait_for "$T/$_r.fwd.log" 'listening on' 10 ||
	    { echo "  $_r: the forwarder did not listen"; stop "$_fw" "$_rx"; return; }
	_fp=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$T/$_r.fwd.log" | head -1)
	_t0=$(now)
	# shellcheck disable=SC2086
	socat $SOCAT_OPTS -u "OPEN:$SRC,rdonly" "TCP:127.0.0.1:$_fp" 2>"$T/$_r.send.log" &
	_tx=$!
	pids="$pids $_tx"
	watch_proc "$_tx" "$T/$_r.send.watch"
	_w1=$WATCH_PID
	watch_proc "$_fw" "$T/$_r.fwd.watch"
	_w2=$WATCH_PID
	watch_proc "$_rx" "$T/$_r.recv.watch"
	_w3=$WATCH_PID
	wait_gone "$_rx" 300
	_t1=$(now)
	sync -d "$T/socat/payload.bin"
	_t2=$(now)
	wait_gone "$_tx" 10
	wait_gone "$_fw" 10
	stop "$_w1" "$_w2" "$_w3"
	if cmp -s "$SRC" "$T/socat/payload.bin"; then
		R_SECS=$(elapsed "$_t0" "$_t2")
		R_UNSYNCED=$(elapsed "$_t0" "$_t1")
		R_CPU="$(secs "$(watched "$T/$_r.send.watch" 2)")"
		R_CPU="$R_CPU $(secs "$(watched "$T/$_r.fwd.watch" 2)")"
		R_CPU="$R_CPU $(secs "$(watched "$T/$_r.recv.watch" 2)")"
	else
		echo "  $_r: the copy differs: $(tail -1 "$T/$_r.recv.log")"
	fi
	rm -f "$T/socat/payload.bin"
}

# The bench's own sshd for scp: a private config on a free port, a host
# key and a key pair made for this run, the key allowed through the
# config's AuthorizedKeysFile (nothing in the user's ~/.ssh changes).
# Sets SSH_PORT, or SSH_WHY when there is none.
SSH_PID="" SSH_PORT="" SSH_WHY=""
sshd_start() {
	if [ ! -x /usr/sbin/sshd ]; then
		echo "  installing openssh-server for the scp peer (apt-get)"
		if [ "$(id -u)" = 0 ]; then
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			    openssh-server </dev/null >"$T/apt.log" 2>&1 ||
			    { apt-get update -q >>"$T/apt.log" 2>&1 &&
			      DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			          --no-install-recommends openssh-server </dev/null >>"$T/apt.log" 2>&1; }
		fi
		[ -x /usr/sbin/sshd ] || { SSH_WHY="openssh-server is not installed and apt-get could not install it"; return 1; }
	fi
	command -v scp >/dev/null 2>&1 || { SSH_WHY="no scp (openssh-client)"; return 1; }
	mkdir -m 700 "$T/ssh"
	if ! ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_key" >/dev/null 2>&1 ||
	    ! ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/id" >/dev/null 2>&1; then
		SSH_WHY="ssh-keygen failed"
		return 1
	fi
	cp "$T/ssh/id.pub" "$T/ssh/authorized_keys"
	# sshd run by root wants its privilege separation directory.
	[ "$(id -u)" != 0 ] || [ -d /run/sshd ] || mkdir -m 755 /run/sshd
	SSH_PORT=$(free_port)
	cat >"$T/ssh/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $SSH_PORT
HostKey $T/ssh/host_key
AuthorizedKeysFile $T/ssh/authorized_keys
PidFile $T/ssh/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
LogLevel INFO
EOF
	/usr/sbin/sshd -D -e -f "$T/ssh/sshd_config" 2>"$T/ssh/sshd.log" &
	SSH_PID=$!
	pids="$pids $SSH_PID"
	if ! wait_for "$T/ssh/sshd.log" 'Server listening' 10; then
		SSH_WHY="sshd did not start: $(tail -1 "$T/ssh/sshd.log")"
		stop "$SSH_PID"
		SSH_PID="" SSH_PORT=""
		return 1
	fi
	set -- -i "$T/ssh/id" -o BatchMode=yes -o StrictHostKeyChecking=no \
	    -o "UserKnownHostsFile=$T/ssh/known_hosts" -o LogLevel=ERROR
	SSH_OPTS="$*"
	# shellcheck disable=SC2086 # options are words ($T has no spaces)
	if ! ssh -v $SSH_OPTS -p "$SSH_PORT" "$(id -un)@127.0.0.1" true 2>"$T/ssh/probe.log"; then
		SSH_WHY="ssh could not log in: $(grep -v '^debug' "$T/ssh/probe.log" | tail -1)"
		stop "$SSH_PID"
		SSH_PID="" SSH_PORT=""
		return 1
	fi
	SSH_CIPHER=$(sed -n 's/.*kex: client->server cipher: \([^ ]*\).*/\1/p' "$T/ssh/probe.log" | head -1)
}

# scp_round ROUND: sets R_SECS, until the copy is on disk (fdatasync).
scp_round() {
	_r=scp$1
	R_SECS=""
	rm -f "$T/socat/payload.bin"
	sync
	_t0=$(now)
	# shellcheck disable=SC2086
	scp -q $SSH_OPTS -P "$SSH_PORT" "$SRC" "$(id -un)@127.0.0.1:$T/socat/payload.bin" \
	    2>"$T/$_r.log"
	_rc=$?
	[ "$_rc" != 0 ] || sync -d "$T/socat/payload.bin"
	_t1=$(now)
	if [ "$_rc" = 0 ] && cmp -s "$SRC" "$T/socat/payload.bin"; then
		R_SECS=$(elapsed "$_t0" "$_t1")
	else
		echo "  $_r: scp failed: $(tail -1 "$T/$_r.log")"
	fi
	rm -f "$T/socat/payload.bin"
}

scp_on=${BENCH_SCP:-1}
if [ "$scp_on" != 0 ]; then
	sshd_start || echo "  scp NOT measured: $SSH_WHY"
fi

echo "== files 1-2. $MIB MiB x $ROUNDS rounds: Fernsicht ($DIRS) vs socat${SSH_PORT:+ and scp}"
up_runs="" down_runs="" socat_runs="" scp_runs=""
up_totals="" up_hwm_v="" up_hwm_m="" down_hwm_m="" down_hwm_v=""
# The CPU seconds of each best round, and socat's best without fdatasync.
up_top="" up_cpu="n/a" down_top="" down_cpu="n/a" socat_top="" socat_cpu="n/a" socat_unsynced=""
r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="  round $r:"
	case " $DIRS " in *" up "*)
		fernsicht_up "$r"
		up_runs="$up_runs $(mbps "$R_SECS")"
		! better "$(mbps "$R_SECS")" "$up_top" || { up_top=$(mbps "$R_SECS"); up_cpu=$R_CPU; }
		up_totals="$up_totals ${R_TOTAL:-n/a}"
		# shellcheck disable=SC2086
		[ -z "$R_HWM" ] || { set -- $R_HWM; up_hwm_v="$up_hwm_v $1"; up_hwm_m="$up_hwm_m $2"; }
		line="$line up $(mbps "$R_SECS") MB/s (${R_SECS:-n/a} s; from the viewer's start"
		line="$line ${R_TOTAL:-n/a} s; cpu s viewer/relay/master ${R_CPU:-n/a});"
	esac
	case " $DIRS " in *" down "*)
		fernsicht_down "$r"
		down_runs="$down_runs $(mbps "$R_SECS")"
		! better "$(mbps "$R_SECS")" "$down_top" ||
		    { down_top=$(mbps "$R_SECS"); down_cpu=$R_CPU; }
		# shellcheck disable=SC2086
		[ -z "$R_HWM" ] || { set -- $R_HWM; down_hwm_m="$down_hwm_m $1"; down_hwm_v="$down_hwm_v $2"; }
		line="$line down $(mbps "$R_SECS") MB/s (${R_SECS:-n/a} s;"
		line="$line cpu s master/relay/viewer ${R_CPU:-n/a});"
	esac
	socat_round "$r"
	socat_runs="$socat_runs $(mbps "$R_SECS")"
	! better "$(mbps "$R_SECS")" "$socat_top" || { socat_top=$(mbps "$R_SECS"); socat_cpu=$R_CPU; }
	socat_unsynced="$socat_unsynced $(mbps "$R_UNSYNCED")"
	line="$line socat $(mbps "$R_SECS") MB/s (without fdatasync $(mbps "$R_UNSYNCED");"
	line="$line cpu s send/fwd/recv ${R_CPU:-n/a})"
	if [ -n "$SSH_PORT" ]; then
		scp_round "$r"
		scp_runs="$scp_runs $(mbps "$R_SECS")"
		line="$line; scp $(mbps "$R_SECS") MB/s"
	fi
	echo "$line"
	r=$((r + 1))
done
# shellcheck disable=SC2086
up_mbps=$(best $up_runs)
# shellcheck disable=SC2086
down_mbps=$(best $down_runs)
# shellcheck disable=SC2086
socat_mbps=$(best $socat_runs)
# shellcheck disable=SC2086
scp_mbps=$(best $scp_runs)
# shellcheck disable=SC2086
socat_unsynced=$(best $socat_unsynced)
case " $DIRS " in *" up "*) need files-up "$up_mbps" ;; esac
case " $DIRS " in *" down "*) need files-down "$down_mbps" ;; esac
need files-socat "$socat_mbps"

echo "== files 3. peak RSS during the transfer vs an idle session as long"
# The idle session lasts as long as the slowest transfer from the viewer's
# start (both programs' peaks grow with time only through what they do).
# shellcheck disable=SC2086
idle_secs=$(most $up_totals)
[ "$idle_secs" != n/a ] || idle_secs=10
idle_hwm_v="" idle_hwm_m=""
if master idle.host --source test-pattern --inbox "$T/inbox"; then
	_m=$MASTER_PID _k=$KEEPER_PID
	viewer idle.viewer
	_v=$VIEWER_PID
	if wait_for "$T/idle.host.out" '^[0-9.]+ allowed slot=1' 15; then
		sleep "$idle_secs"
		idle_hwm_v=$(hwm "$_v") idle_hwm_m=$(hwm "$_m")
	else
		echo "  the idle viewer was not allowed: $(tail -2 "$T/idle.viewer.log")"
	fi
	stop "$_v" "$_m" "$_k"
	stop_stampers
else
	echo "  the idle master did not start: $(tail -2 "$T/idle.host.log")"
fi
# shellcheck disable=SC2086
up_hwm_v=$(most $up_hwm_v)
# shellcheck disable=SC2086
up_hwm_m=$(most $up_hwm_m)
# shellcheck disable=SC2086
down_hwm_v=$(most $down_hwm_v)
# shellcheck disable=SC2086
down_hwm_m=$(most $down_hwm_m)
echo "  idle ${idle_secs} s: viewer ${idle_hwm_v:-n/a} KiB, master ${idle_hwm_m:-n/a} KiB;" \
    "up: viewer (sender) $up_hwm_v KiB, master (receiver) $up_hwm_m KiB;" \
    "down: master (sender) $down_hwm_m KiB, viewer (receiver) $down_hwm_v KiB"
need files-idle-rss "$idle_hwm_v"

echo "== files 4. input-to-display latency idle vs while the file moves viewer -> host"
idle_p50="n/a" idle_p90="n/a" busy_p50="n/a" busy_p90="n/a" idle_n=0 busy_n=0
idle_to=0 busy_to=0
PROBE_X=1896
PROBE_Y=1056
if [ "${BENCH_FILE_LATENCY:-1}" = 0 ]; then
	echo "  skipped (BENCH_FILE_LATENCY=0)"
elif ! xvfb lat; then
	echo "  Xvfb did not start"
else
	"$B/tools/x11_latency" "$((PROBE_X - 24))" "$((PROBE_Y - 24))" 48 \
	    >"$T/lat.probewin.out" 2>"$T/lat.probewin.log" &
	_pw=$!
	pids="$pids $_pw"
	wait_for "$T/lat.probewin.out" '^ready' 10 || echo "  the probe's window did not map"
	if master lat.host --source x11 --inbox "$T/inbox"; then
		_m=$MASTER_PID _k=$KEEPER_PID
		viewer lat.probe --latency-probe "$PROBE_X,$PROBE_Y,100000"
		_probe=$VIEWER_PID
		# Idle: the first sample warms up; then PROBES samples.
		if wait_count "$T/lat.probe.out" ' latency ' $((PROBES + 1)) $((PROBES + 30)); then
			grep -E '^[0-9.]+ latency ' "$T/lat.probe.out" | sed 1d | cut -d' ' -f2- \
			    >"$T/lat.idle"
			# shellcheck disable=SC2046 # four numbers
			set -- $(percentiles "$T/lat.idle")
			idle_p50=$1 idle_p90=$2 idle_n=$3 idle_to=$4
			: >"$T/lat.busy"
			k=1
			while [ "$k" -le 5 ] && [ "$(grep -c . "$T/lat.busy")" -lt "$PROBES" ]; do
				code lat.host
				viewer "lat.send$k" --send "$SRC"
				_s=$VIEWER_PID
				if wait_count "$T/lat.host.out" ' file-offer .*dir=in' "$k" 30 &&
				    wait_count "$T/lat.host.out" ' file-(done|failed) .*dir=in' "$k" 300; then
					_from=$(grep -E ' file-offer .*dir=in' "$T/lat.host.out" |
					    sed -n "${k}p" | cut -d' ' -f1)
					_to=$(grep -E ' file-(done|failed) .*dir=in' "$T/lat.host.out" |
					    sed -n "${k}p" | cut -d' ' -f1)
					# Samples whose answer came while the file moved.
					awk -v a="$_from" -v b="$_to" '$1 >= a && $1 <= b && $2 == "latency"' \
					    "$T/lat.probe.out" | cut -d' ' -f2- >>"$T/lat.busy"
				else
					echo "  sending viewer $k: no file-done: $(tail -1 "$T/lat.send$k.log")"
					stop "$_s"
					break
				fi
				wait_gone "$_s" 30
				rm -f "$T/inbox/payload"*
				k=$((k + 1))
			done
			# shellcheck disable=SC2046
			set -- $(percentiles "$T/lat.busy")
			busy_p50=$1 busy_p90=$2 busy_n=$3 busy_to=$4
		else
			echo "  the probe took no samples: $(tail -2 "$T/lat.probe.log")"
		fi
		stop "$_probe" "$_m" "$_k"
		stop_stampers
	else
		echo "  the x11 master did not start: $(tail -2 "$T/lat.host.log")"
	fi
	stop "$_pw" "$XVFB_PID"
	echo "  idle: p50 $idle_p50 ms, p90 $idle_p90 ms ($idle_n samples, $idle_to timeouts);" \
	    "during transfers: p50 $busy_p50 ms, p90 $busy_p90 ms ($busy_n samples, $busy_to timeouts)"
	need files-latency-idle "$idle_p50"
	need files-latency-busy "$busy_p50"
fi
[ -z "$SSH_PID" ] || stop "$SSH_PID"

up_ratio=$(div "$up_mbps" "$socat_mbps")
down_ratio=$(div "$down_mbps" "$socat_mbps")
scp_ratio=$(div "$up_mbps" "$scp_mbps")
p50_ratio=$(div "$busy_p50" "$idle_p50")
p90_ratio=$(div "$busy_p90" "$idle_p90")
echo
echo "== files results (MB = 10^6 bytes; best of $ROUNDS rounds of $MIB MiB; $fs)"
row() { printf '%-36s %14s  %-32s %8s\n' "$1" "$2" "$3" "$4"; }
row "measurement" "fernsicht" "peer (same run)" "ratio"
row "file viewer->host (offer to done)" "$up_mbps MB/s" "socat${SOCAT_OPTS:+ $SOCAT_OPTS} $socat_mbps MB/s" \
    "$up_ratio"
row "file host->viewer (offer to done)" "$down_mbps MB/s" "socat $socat_mbps MB/s" "$down_ratio"
row "  vs socat without fdatasync" "" "socat $socat_unsynced MB/s" \
    "$(div "$up_mbps" "$socat_unsynced") $(div "$down_mbps" "$socat_unsynced")"
row "CPU s, best viewer->host round" "$up_cpu" "socat $socat_cpu" ""
row "  (viewer relay master; send fwd recv)" "" "" ""
row "CPU s, best host->viewer round" "$down_cpu" "" ""
row "  (master relay viewer)" "" "" ""
row "file viewer->host" "$up_mbps MB/s" \
    "scp ${SSH_CIPHER:-} $([ -n "$scp_runs" ] && echo "$scp_mbps MB/s" || echo "not measured")" \
    "$scp_ratio"
row "peak RSS viewer (sender)" "$up_hwm_v KiB" "idle ${idle_hwm_v:-n/a} KiB" \
    "$(div "$up_hwm_v" "$idle_hwm_v")"
row "peak RSS master (receiver)" "$up_hwm_m KiB" "idle ${idle_hwm_m:-n/a} KiB" \
    "$(div "$up_hwm_m" "$idle_hwm_m")"
row "peak RSS master (sender, down)" "$down_hwm_m KiB" "idle ${idle_hwm_m:-n/a} KiB" \
    "$(div "$down_hwm_m" "$idle_hwm_m")"
row "peak RSS viewer (receiver, down)" "$down_hwm_v KiB" "idle ${idle_hwm_v:-n/a} KiB" \
    "$(div "$down_hwm_v" "$idle_hwm_v")"
row "latency p50 during transfer" "$busy_p50 ms" "idle $idle_p50 ms" "$p50_ratio"
row "latency p90 during transfer" "$busy_p90 ms" "idle $idle_p90 ms" "$p90_ratio"
[ -n "$SSH_PORT" ] || [ "$scp_on" = 0 ] || echo "(scp was not measured: $SSH_WHY)"
echo
echo "bench: files viewer->host MB/s = $up_mbps"
echo "bench: files host->viewer MB/s = $down_mbps"
echo "bench: files socat MB/s = $socat_mbps"
echo "bench: files viewer->host/socat ratio = $up_ratio"
echo "bench: files host->viewer/socat ratio = $down_ratio"
echo "bench: files socat without fdatasync MB/s = $socat_unsynced"
echo "bench: files viewer->host cpu s viewer relay master = $up_cpu"
echo "bench: files host->viewer cpu s master relay viewer = $down_cpu"
echo "bench: files socat cpu s sender forwarder receiver = $socat_cpu"
echo "bench: files scp MB/s = $scp_mbps"
echo "bench: files viewer->host/scp ratio = $scp_ratio"
echo "bench: files peak rss viewer sending KiB = $up_hwm_v"
echo "bench: files peak rss master receiving KiB = $up_hwm_m"
echo "bench: files peak rss viewer idle KiB = ${idle_hwm_v:-n/a}"
echo "bench: files peak rss master idle KiB = ${idle_hwm_m:-n/a}"
echo "bench: files latency idle p50 ms = $idle_p50"
echo "bench: files latency idle p90 ms = $idle_p90"
echo "bench: files latency transfer p50 ms = $busy_p50"
echo "bench: files latency transfer p90 ms = $busy_p90"
echo "bench: files latency transfer/idle p50 ratio = $p50_ratio"
echo "bench: files latency transfer/idle p90 ratio = $p90_ratio"
if [ -n "$missing" ]; then
	echo "bench: files could not measure:$missing" >&2
	exit 1
fi
exit 0
