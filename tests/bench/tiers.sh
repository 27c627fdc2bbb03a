#!/bin/sh
# tests/bench/tiers.sh - per transport tier, in one run: the time from
# starting a viewer to its first decoded frame, and the screen throughput
# master -> viewer (a 1280x720 pattern at 60 fps, no caps) over 300
# frames, each next to raw TCP measured the same way. tinyproxy stands in
# for a corporate proxy (Basic authentication). Prints "bench: tier ..."
# lines. Nothing passes or fails on timing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-$top/build}
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init tiers
export XDG_CACHE_HOME="$T/cache"
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
now_ms() { date +%s%3N; }

sh tests/tools/mkcert.sh "$T/certs" >/dev/null 2>&1 || { echo "tiers: mkcert failed"; exit 1; }
"$B/fernsicht-relay" --listen 127.0.0.1:0 --state-dir "$T" --tls-cert "$T/certs/server.pem" \
    --tls-key "$T/certs/server.key" --max-body 1048576 --joins-per-min 1000 \
    --sessions-per-min 100000 \
    >"$T/relay.out" 2>"$T/relay.log" &
pids="$pids $!"
wait_for "$T/relay.out" '^listening=' 10 || { echo "tiers: no relay"; exit 1; }
RELAY=$(sed -n 's/^listening=//p' "$T/relay.out")
mkfifo "$T/host.in"
"$B/fernsicht-master" --relay "$RELAY" --transport tcp --headless --source test-pattern \
    --auto-accept --fps 60 --size 1280x720 <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
pids="$pids $!"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10 || { echo "tiers: no master"; exit 1; }
SESSION=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/session=\([0-9]*\) .*/\1/')
TP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$T/tinyproxy.conf" <<CONF
Port $TP
Listen 127.0.0.1
Timeout 60
LogLevel Warning
MaxClients 20
Allow 127.0.0.1
BasicAuth fern secret1
ConnectPort ${RELAY##*:}
CONF
have_proxy=0
if command -v tinyproxy >/dev/null; then
	tinyproxy -d -c "$T/tinyproxy.conf" >"$T/tinyproxy.log" 2>&1 &
	pids="$pids $!"
	have_proxy=1
	sleep 0.3
fi

printf '%-8s %14s %16s %10s\n' tier "first frame" "throughput" "vs tcp"
tcp_mbps=""
for tier in tcp tls proxy http; do
	[ $tier = proxy ] && [ $have_proxy = 0 ] && { echo "proxy: tinyproxy missing"; continue; }
	code=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/.*code=\([0-9]*\).*/\1/')
	extra=""
	[ $tier = proxy ] && extra="--proxy http://fern:secret1@127.0.0.1:$TP"
	t0=$(now_ms)
	# shellcheck disable=SC2086
	"$B/fernsicht-viewer" --relay "$RELAY" "$SESSION" --code "$code" --headless \
	    --transport $tier --ca-file "$T/certs/ca.pem" $extra --name "bench-$tier" \
	    --frames 300 >"$T/$tier.out" 2>"$T/$tier.log" &
	vp=$!
	wait_for "$T/$tier.out" '^frame n=1 ' 30 || { echo "$tier: no first frame"; kill $vp; continue; }
	t1=$(now_ms)
	wait_for "$T/$tier.out" '^frame n=21 ' 60
	t2=$(now_ms)
	wait $vp
	t3=$(now_ms)
	conn=$(grep "name=\"bench-$tier\"" "$T/relay.log" | head -1 | sed 's/.*conn=\([0-9]*\) .*/\1/')
	bytes=$(grep "close conn=$conn " "$T/relay.log" | sed -n 's/.* out=\([0-9]*\).*/\1/p' | tail -1)
	[ -n "$bytes" ] || bytes=0
	frames_ms=$((t3 - t2))
	[ "$frames_ms" -gt 0 ] || frames_ms=1
	# Frames 21..300 over their time: the steady state, after the key frame.
	fps=$(awk -v f=280 -v ms=$frames_ms 'BEGIN { printf "%.1f", f * 1000 / ms }')
	mbps=$(awk -v b="$bytes" -v ms=$((t3 - t0)) 'BEGIN { printf "%.2f", b / ms / 1000 }')
	[ $tier = tcp ] && tcp_mbps=$mbps
	ratio=$(awk -v a="$mbps" -v b="${tcp_mbps:-$mbps}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '%-8s %11d ms %8s MB/s %10s   (%s fps)\n' $tier $((t1 - t0)) "$mbps" "$ratio" "$fps"
	echo "bench: tier $tier first frame ms = $((t1 - t0))"
	echo "bench: tier $tier throughput MB/s = $mbps (fps $fps), vs tcp = $ratio"
done
