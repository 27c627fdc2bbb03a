#!/bin/sh
# tests/bench/cluster.sh - 2,000 masters at once (BENCH_CLUSTER_MASTERS)
# against three relays sharing one Redis (--cluster), and the same against
# one relay with its local directory in the same run: how long until all
# have their numbers, how many were told to try again while the relays'
# pools refilled, and that none was handed out twice across the relays.
# Fails only when a measurement could not be taken or a number was handed
# out twice. Ends with "bench: NAME = VALUE" lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
N=${BENCH_CLUSTER_MASTERS:-2000}
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init cluster
command -v redis-server >/dev/null || { echo "cluster: redis-server missing (make deps)"; exit 1; }

port=$(free_port)
mkdir -p "$T/redis"
redis-server --port "$port" --bind 127.0.0.1 --dir "$T/redis" --save "" --appendonly no \
    --daemonize no --logfile "$T/redis.log" >/dev/null 2>&1 &
pids="$pids $!"
i=0
until redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; do
	i=$((i + 1)); [ $i -lt 200 ] || { echo "cluster: redis did not start"; exit 1; }; sleep 0.05
done

# relay NAME [ARGS...]: its address in $addr
relay() {
	_n=$1; shift
	"$B/fernsicht-relay" --listen 127.0.0.1:0 "$@" >"$T/$_n.out" 2>"$T/$_n.log" &
	pids="$pids $!"
	wait_for "$T/$_n.out" '^listening=' 10 ||
		{ echo "cluster: relay $_n did not start"; exit 1; }
	addr=$(sed -n 's/^listening=//p' "$T/$_n.out" | head -1)
}
relays=""
for r in 1 2 3; do
	relay "c$r" --cluster "redis://127.0.0.1:$port/0" --advertise "relay$r"
	wait_for "$T/c$r.log" 'cluster directory up' 10 || { echo "cluster: no redis"; exit 1; }
	relays="$relays${relays:+,}$addr"
done
relay single
single=$addr

python3 tests/tools/masters.py --relays "$relays" --count "$N" --retry-s 60 >"$T/cluster.txt" 2>&1
rc_cluster=$?
python3 tests/tools/masters.py --relays "$single" --count "$N" --retry-s 60 >"$T/single.txt" 2>&1
rc_single=$?
sed 's/^/  cluster (3 relays, one Redis): /' "$T/cluster.txt" | grep -v 'total'
sed 's/^/  one relay, local directory:    /' "$T/single.txt" | grep -v 'total'
field() { sed -n "s/^round=1 .*$1=\([0-9.]*\).*/\1/p" "$2"; }
echo "bench: cluster_create_${N}_secs = $(field secs "$T/cluster.txt")"
echo "bench: cluster_create_${N}_retries = $(field directory_retries "$T/cluster.txt")"
echo "bench: cluster_create_${N}_dup = $(field dup "$T/cluster.txt")"
echo "bench: single_create_${N}_secs = $(field secs "$T/single.txt")"
[ $rc_cluster = 0 ] && [ $rc_single = 0 ]
