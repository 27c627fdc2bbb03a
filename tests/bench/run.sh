#!/bin/sh
# tests/bench/run.sh - `make bench`: every number is set against a peer
# measured in this same run on this same machine, because absolute speeds
# say more about the machine than about Fernsicht. Nothing here passes or
# fails on timing; the script fails only when a measurement could not be
# taken at all.
#
#   1. relay throughput master -> viewer vs socat forwarding the same frames
#   2. record layer sec_seal / sec_open vs openssl speed
#   3. complete handshakes per second vs plain X25519 agreements
#   4. relay memory per idle, welcomed connection
#   5. screen workloads vs X0tigervnc and x11vnc (tests/bench/screen.sh)
#   6. per transport tier: time to the first frame, screen throughput (tiers.sh)
#   7. file transfer vs socat and scp, its memory and the screen's latency
#      while a file moves (tests/bench/files.sh)
#   8. 2,000 session creations at once: three relays and one Redis
#      (--cluster) vs one relay alone (tests/bench/cluster.sh)
#   9. the file drop: --drop and --fetch through a relay vs socat storing
#      and serving the same file (tests/bench/drop.sh)
#  10. a scrolling terminal and a still screen shared from Wayland hosts
#      (mutter, sway) vs the same on X11 (tests/bench/wayland.sh)
#  11. 1,000 to 9,990 sessions of small frames at once: the relay's added
#      latency and CPU vs a plain epoll forwarder (tests/bench/relay_scale.sh)
#  12. lossy codecs for picture regions: TurboJPEG, libwebp, VP8/VP9
#      realtime on photographs and moving pictures vs TigerVNC's Tight
#      quality 8 JPEG (tests/bench/codec_pick.sh)
#  13. 1, 2 and 3 viewers of one screen: the master's CPU and each viewer's
#      frames (tests/bench/viewers.sh)
#
# Environment: BENCH_MIB (512) MiB per throughput round, BENCH_ROUNDS (3)
# rounds of each forwarder (the best counts: interference only slows a
# round down), BENCH_SECONDS (3) per CPU measurement, BENCH_CONNS (1000)
# idle connections, BENCH_SOCAT_OPTS ("-b 65536": socat's blocks as large
# as the relay's 64 KiB reads; its default 8 KiB would flatter the relay),
# BENCH_SCREEN (1; 0 skips part 5, which takes about 16 minutes),
# BENCH_FILES (1; 0 skips part 7, about 3 minutes; BENCH_FILE_MIB and the
# others in files.sh),
# BENCH_WAYLAND (1; 0 skips part 10, about 80 s; WL_HOSTS and the others
# in wayland.sh),
# BENCH_RELAY_SCALE (1; 0 skips part 11, about 5 minutes; RELAY_SCALE_* in
# relay_scale.sh),
# BENCH_CODEC (1; 0 skips part 12, about 12 minutes; CODEC_PICK_* in
# codec_pick.sh),
# BENCH_VIEWERS (1; 0 skips part 13, about 3 minutes; VIEWERS_* in
# viewers.sh),
# B (build) where the programs are.
# Ends with "bench: NAME = VALUE" lines for grep.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
MIB=${BENCH_MIB:-512}
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-3}
CONNS=${BENCH_CONNS:-1000}
SOCAT_OPTS=${BENCH_SOCAT_OPTS--b 65536}
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init bench
missing=""

for f in fernsicht-relay tools/blast tools/bench_record tools/bench_handshake; do
	[ -x "$B/$f" ] || { echo "bench: $B/$f missing (make all tests)" >&2; exit 1; }
done
for c in socat openssl python3; do
	command -v "$c" >/dev/null 2>&1 || { sh scripts/deps.sh || exit 1; break; }
done

# 1000 idle connections need as many descriptors in the relay and in python.
# (ulimit -n is not POSIX, but dash and bash have it; failing is only noted.)
# shellcheck disable=SC3045
ulimit -n 4096 2>/dev/null || echo "bench: cannot raise the descriptor limit to 4096" >&2

# wait_gone PID SECONDS: wait for a process we started to end.
wait_gone() {
	_i=0
	while kill -0 "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt $(($2 * 20)) ] || { kill "$1" 2>/dev/null; break; }
		sleep 0.05
	done
	wait "$1" 2>/dev/null
}

# field FILE KEY: the value of KEY=VALUE on the last line that has it.
field() { tr ' ' '\n' <"$1" 2>/dev/null | sed -n "s/^$2=//p" | tail -1; }

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

# need NAME VALUE: remember measurements that could not be taken.
need() { [ -n "$2" ] && [ "$2" != n/a ] || missing="$missing $1"; }

start_relay() {
	_n=$1; shift
	# many sessions from this one address: no rate of new sessions here
	"$B/fernsicht-relay" --listen 127.0.0.1:0 --state-dir "$T" --sessions-per-min 100000 "$@" \
	    >"$T/$_n.out" 2>"$T/$_n.log" &
	RELAY_PID=$!
	pids="$pids $RELAY_PID"
	wait_for "$T/$_n.out" '^listening=' 10 || { echo "bench: $_n did not start" >&2; exit 1; }
	RELAY=$(sed -n 's/^listening=//p' "$T/$_n.out" | head -1)
}

echo "== 1. throughput master -> viewer, $MIB MiB x $ROUNDS rounds (relay vs socat)"
start_relay relay
relay_runs=""
socat_runs=""
r=1
while [ $r -le "$ROUNDS" ]; do
	# The relay: a master that waits for its viewer, then sends.
	"$B/tools/blast" master "$RELAY" "$MIB" >"$T/master$r.out" 2>"$T/master$r.log" &
	mpid=$!
	pids="$pids $mpid"
	if wait_for "$T/master$r.out" '^session=' 10; then
		s=$(field "$T/master$r.out" session)
		timeout 150 "$B/tools/blast" viewer "$RELAY" "$s" "$MIB" \
		    >"$T/viewer$r.out" 2>"$T/viewer$r.log"
		wait_gone "$mpid" 10
		v=$(field "$T/viewer$r.out" mbps)
	else
		v=""
	fi
	[ -n "$v" ] || { echo "  relay round $r failed:"; cat "$T/master$r.log" "$T/viewer$r.log"; }
	relay_runs="$relay_runs ${v:-n/a}"

	# The peer: the same frames through one socat connection.
	"$B/tools/blast" sink "$MIB" >"$T/sink$r.out" 2>"$T/sink$r.log" &
	spid=$!
	pids="$pids $spid"
	v=""
	if wait_for "$T/sink$r.out" '^listening=' 10; then
		sink=$(field "$T/sink$r.out" listening)
		# shellcheck disable=SC2086 # options are words
		socat $SOCAT_OPTS -d -d TCP-LISTEN:0,bind=127.0.0.1,reuseaddr "TCP:$sink" 2>"$T/socat$r.log" &
		xpid=$!
		pids="$pids $xpid"
		if wait_for "$T/socat$r.log" 'listening on' 10; then
			port=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$T/socat$r.log" | head -1)
			timeout 150 "$B/tools/blast" source "127.0.0.1:$port" "$MIB" \
			    2>"$T/source$r.log"
			wait_gone "$spid" 10
			v=$(field "$T/sink$r.out" mbps)
		fi
		wait_gone "$xpid" 10
	fi
	[ -n "$v" ] || { echo "  socat round $r failed:"; cat "$T/sink$r.log" "$T/socat$r.log"; }
	socat_runs="$socat_runs ${v:-n/a}"
	echo "  round $r: relay ${relay_runs##* } MB/s, socat ${socat_runs##* } MB/s"
	r=$((r + 1))
done
kill "$RELAY_PID" 2>/dev/null
wait "$RELAY_PID" 2>/dev/null
# shellcheck disable=SC2086
relay_mbps=$(best $relay_runs)
# shellcheck disable=SC2086
socat_mbps=$(best $socat_runs)
need relay-throughput "$relay_mbps"
need socat-throughput "$socat_mbps"

echo "== 2. record layer, 16 KiB records, ${SECS} s each (vs openssl speed)"
"$B/tools/bench_record" "$SECS" >"$T/record.out" 2>"$T/record.log" || cat "$T/record.log"
sed 's/^/  /' "$T/record.out"
rec() { grep "suite=$1 op=$2 " "$T/record.out" | sed -n 's/.*mbps=\([^ ]*\).*/\1/p'; }
aes_seal=$(rec aes256gcm seal)
aes_open=$(rec aes256gcm open)
xc_seal=$(rec xchacha20 seal)
xc_open=$(rec xchacha20 open)
# openssl counts in 1000s of bytes/s; its last line is the 16384-byte column.
ossl() {
	openssl speed -evp "$1" -bytes 16384 -seconds "$SECS" 2>/dev/null | tail -1 |
	    awk '{ v = $NF; if (sub(/k$/, "", v)) printf "%.1f\n", v / 1000 }'
}
ossl_aes=$(ossl aes-256-gcm)
ossl_cc=$(ossl chacha20-poly1305)
echo "  openssl aes-256-gcm ${ossl_aes:-n/a} MB/s, chacha20-poly1305 ${ossl_cc:-n/a} MB/s"
need xchacha-seal "$xc_seal"
need xchacha-open "$xc_open"
need openssl-aes "$ossl_aes"

echo "== 3. handshakes, ${SECS} s (vs X25519 agreements)"
"$B/tools/bench_handshake" "$SECS" >"$T/hs.out" 2>"$T/hs.log" || cat "$T/hs.log"
sed 's/^/  /' "$T/hs.out"
hs_rate=$(grep '^handshake ' "$T/hs.out" | sed -n 's/.*per_s=\([^ ]*\).*/\1/p')
x_rate=$(grep '^x25519 ' "$T/hs.out" | sed -n 's/.*per_s=\([^ ]*\).*/\1/p')
need handshake "$hs_rate"
need x25519 "$x_rate"

echo "== 4. relay memory, $CONNS idle connections"
# One address may open this many; 8 is still the cap before HELLO.
cap=5000
[ "$CONNS" -lt $((cap - 100)) ] || cap=$((CONNS + 100))
start_relay rss --conns-per-ip "$cap"
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$RELAY_PID/status" 2>/dev/null; }
# A first wave warms the relay's heap and tables, so that the growth
# measured next is what connections cost, not what a first one sets up.
python3 tests/bench/idle.py "$RELAY" 8 >"$T/warm.out" 2>&1 &
wpid=$!
pids="$pids $wpid"
wait_for "$T/warm.out" '^(held|refused)=' 20
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
sleep 0.5
rss_before=$(rss)
python3 tests/bench/idle.py "$RELAY" "$CONNS" >"$T/idle.out" 2>&1 &
ipid=$!
pids="$pids $ipid"
if wait_for "$T/idle.out" '^(held|refused)=' 60; then
	sleep 0.5
	rss_after=$(rss)
	held=$(field "$T/idle.out" held)
	if [ -z "$held" ]; then
		echo "  the relay refused a connection: $(cat "$T/idle.out")"
		held=$(field "$T/idle.out" refused)
	fi
else
	echo "  idle connections did not open:"; cat "$T/idle.out"
	rss_after="" held=""
fi
kill "$ipid" 2>/dev/null
wait "$ipid" 2>/dev/null
kill "$RELAY_PID" 2>/dev/null
wait "$RELAY_PID" 2>/dev/null
rss_per=$(awk -v a="${rss_after:-}" -v b="${rss_before:-}" -v n="${held:-0}" \
    'BEGIN { if (a == "" || b == "" || n + 0 == 0) print "n/a"; else printf "%.2f\n", (a - b) / n }')
echo "  held ${held:-0} connections; relay VmRSS ${rss_before:-?} KiB before," \
    "${rss_after:-?} KiB with them open"
need rss "$rss_per"

echo "== 6. transport tiers: time to the first frame and screen throughput (tests/bench/tiers.sh)"
B="$B" sh tests/bench/tiers.sh >"$T/tiers.out" 2>&1 || missing="$missing tiers"
grep -v '^bench: ' "$T/tiers.out" | sed 's/^/  /'

echo "== 5. screen workloads vs X0tigervnc and x11vnc (tests/bench/screen.sh)"
if [ "${BENCH_SCREEN:-1}" != 0 ]; then
	B="$B" sh tests/bench/screen.sh >"$T/screen.out" 2>&1 || missing="$missing screen"
	grep -v '^bench: ' "$T/screen.out" | sed 's/^/  /'
else
	echo "  skipped (BENCH_SCREEN=0)"
fi

echo "== 7. file transfer vs socat and scp (tests/bench/files.sh)"
if [ "${BENCH_FILES:-1}" != 0 ]; then
	B="$B" sh tests/bench/files.sh >"$T/files.out" 2>&1 || missing="$missing files"
	grep -v '^bench: ' "$T/files.out" | sed 's/^/  /'
else
	echo "  skipped (BENCH_FILES=0)"
fi

echo "== 8. 2,000 session creations at once: a cluster vs one relay (tests/bench/cluster.sh)"
B="$B" sh tests/bench/cluster.sh >"$T/cluster.out" 2>&1 || missing="$missing cluster"
grep -v '^bench: ' "$T/cluster.out" | sed 's/^/  /'

echo "== 9. the file drop vs socat storing and serving the file (tests/bench/drop.sh)"
B="$B" sh tests/bench/drop.sh >"$T/drop.out" 2>&1 || missing="$missing drop"
grep -v '^bench: ' "$T/drop.out" | sed 's/^/  /'

echo "== 10. Wayland hosts vs X11: scrolling text and a still screen (tests/bench/wayland.sh)"
if [ "${BENCH_WAYLAND:-1}" != 0 ]; then
	B="$B" sh tests/bench/wayland.sh >"$T/wayland.out" 2>&1 || missing="$missing wayland"
	grep -v '^bench: ' "$T/wayland.out" | sed 's/^/  /'
else
	echo "  skipped (BENCH_WAYLAND=0)"
fi

echo "== 11. many small sessions: relay vs a plain forwarder (tests/bench/relay_scale.sh)"
if [ "${BENCH_RELAY_SCALE:-1}" != 0 ]; then
	B="$B" sh tests/bench/relay_scale.sh >"$T/relay_scale.out" 2>&1 ||
	    missing="$missing relay_scale"
	grep -v '^bench: ' "$T/relay_scale.out" | sed 's/^/  /'
else
	echo "  skipped (BENCH_RELAY_SCALE=0)"
fi

echo "== 12. lossy codecs for picture regions vs Tight quality 8 JPEG (tests/bench/codec_pick.sh)"
if [ "${BENCH_CODEC:-1}" != 0 ]; then
	B="$B" sh tests/bench/codec_pick.sh >"$T/codec.out" 2>&1 || missing="$missing codec"
	grep -v '^bench: ' "$T/codec.out" | sed 's/^/  /'
else
	echo "  skipped (BENCH_CODEC=0)"
fi

echo "== 13. many viewers of one screen: master CPU, frames each (tests/bench/viewers.sh)"
if [ "${BENCH_VIEWERS:-1}" != 0 ]; then
	B="$B" sh tests/bench/viewers.sh >"$T/viewers.out" 2>&1 || missing="$missing viewers"
	grep -v '^bench: ' "$T/viewers.out" | sed 's/^/  /'
else
	echo "  skipped (BENCH_VIEWERS=0)"
fi

tp_ratio=$(div "$relay_mbps" "$socat_mbps")
aes_seal_ratio=$(div "$aes_seal" "$ossl_aes")
aes_open_ratio=$(div "$aes_open" "$ossl_aes")
xc_seal_ratio=$(div "$xc_seal" "$ossl_cc")
xc_open_ratio=$(div "$xc_open" "$ossl_cc")
hs_ratio=$(div "$hs_rate" "$x_rate" %.4f)
hs_cost=$(div "$x_rate" "$hs_rate" %.1f)

echo
echo "== results (MB = 10^6 bytes; throughput is the best of $ROUNDS rounds of $MIB MiB)"
row() { printf '%-34s %14s  %-30s %8s\n' "$1" "$2" "$3" "$4"; }
row "measurement" "fernsicht" "peer (same run)" "ratio"
row "relay master->viewer" "${relay_mbps} MB/s" "socat${SOCAT_OPTS:+ $SOCAT_OPTS} ${socat_mbps} MB/s" \
    "$tp_ratio"
row "sec_seal AES-256-GCM 16 KiB" "${aes_seal:-n/a} MB/s" \
    "openssl aes-256-gcm ${ossl_aes:-n/a} MB/s" "$aes_seal_ratio"
row "sec_open AES-256-GCM 16 KiB" "${aes_open:-n/a} MB/s" \
    "openssl aes-256-gcm ${ossl_aes:-n/a} MB/s" "$aes_open_ratio"
row "sec_seal XChaCha20-Poly1305" "${xc_seal:-n/a} MB/s" \
    "openssl chacha20-poly1305 ${ossl_cc:-n/a}" "$xc_seal_ratio"
row "sec_open XChaCha20-Poly1305" "${xc_open:-n/a} MB/s" \
    "openssl chacha20-poly1305 ${ossl_cc:-n/a}" "$xc_open_ratio"
row "handshakes (master+viewer)" "${hs_rate:-n/a}/s" "X25519 ${x_rate:-n/a}/s" "$hs_ratio"
row "relay RSS per idle connection" "$rss_per KiB" \
    "${held:-0} conns: ${rss_before:-?} -> ${rss_after:-?} KiB" ""
echo "(one handshake costs about $hs_cost X25519 agreements; the openssl" \
    "chacha20-poly1305 peer is the IETF variant, the closest openssl has)"
echo
echo "bench: relay throughput MB/s = $relay_mbps"
echo "bench: socat throughput MB/s = $socat_mbps"
echo "bench: relay/socat throughput ratio = $tp_ratio"
echo "bench: seal aes256gcm/openssl ratio = $aes_seal_ratio"
echo "bench: open aes256gcm/openssl ratio = $aes_open_ratio"
echo "bench: seal xchacha20/openssl-chacha20-poly1305 ratio = $xc_seal_ratio"
echo "bench: open xchacha20/openssl-chacha20-poly1305 ratio = $xc_open_ratio"
echo "bench: handshake/x25519 rate ratio = $hs_ratio"
echo "bench: handshakes per second = ${hs_rate:-n/a}"
echo "bench: relay rss per idle connection KiB = $rss_per"
grep '^bench: ' "$T/tiers.out" "$T/screen.out" "$T/files.out" "$T/cluster.out" "$T/drop.out" \
    "$T/wayland.out" "$T/relay_scale.out" "$T/viewers.out" 2>/dev/null | sed 's/^[^:]*://'
# (every setting codec_pick measured is in its own output; here the
# comparator, each codec's best at its SSIM and the yardsticks)
grep -E '^bench: codec_(ref|best|yardstick) ' "$T/codec.out" 2>/dev/null
if [ -n "$missing" ]; then
	echo "bench: could not measure:$missing" >&2
	exit 1
fi
exit 0
