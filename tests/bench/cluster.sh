#!/bin/sh
# tests/bench/cluster.sh - three relays sharing one Redis (--cluster)
# against one relay with its local directory, in the same run:
#  - 2,000 masters at once (BENCH_CLUSTER_MASTERS): how long until all have
#    their numbers, how many were told to try again while the relays' pools
#    refilled, and that none was handed out twice across the relays;
#  - create and join latency one after another (BENCH_CLUSTER_JOINS, 300):
#    in the cluster the viewer asks relay 2 for relay 1's session (a
#    REDIRECT), on the single relay it asks that relay;
#  - Redis commands: per session (create, join, END) and per minute of a
#    live session (BENCH_CLUSTER_HOLD, 300 sessions for 30 s), each less
#    what the three relays send when idle (liveness, pools);
#  - relay kill -9 to frames again, with the real master and viewer
#    (BENCH_CLUSTER_KILLS rounds, 5).
# Fails only when a measurement could not be taken or a number was handed
# out twice. Ends with "bench: NAME = VALUE" lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
N=${BENCH_CLUSTER_MASTERS:-2000}
J=${BENCH_CLUSTER_JOINS:-300}
HOLD=${BENCH_CLUSTER_HOLD:-300}
KILLS=${BENCH_CLUSTER_KILLS:-5}
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

# relay NAME PORT [ARGS...]: its address in $addr, its process in $rpid
relay() {
	_n=$1; _p=$2; shift 2
	"$B/fernsicht-relay" --listen "127.0.0.1:$_p" --state-dir "$T" "$@" \
	    >"$T/$_n.out" 2>>"$T/$_n.log" &
	rpid=$!
	pids="$pids $rpid"
	wait_for "$T/$_n.out" '^listening=' 10 ||
		{ echo "cluster: relay $_n did not start"; exit 1; }
	addr=$(sed -n 's/^listening=//p' "$T/$_n.out" | head -1)
}
# cluster_relay I: relay I of the cluster on its port (again after a kill),
# once it reaches Redis
cluster_relay() {
	eval "_p=\${cport$1:-}"
	[ -n "$_p" ] || { _p=$(free_port); eval "cport$1=$_p"; }
	_k=$(grep -c 'cluster directory up' "$T/c$1.log" 2>/dev/null || true)
	relay "c$1" "$_p" --cluster "redis://127.0.0.1:$port/0" --advertise "127.0.0.1:$_p"
	eval "c$1=\$addr cpid$1=\$rpid"
	_i=0
	until [ "$(grep -c 'cluster directory up' "$T/c$1.log")" -gt "${_k:-0}" ]; do
		_i=$((_i + 1)); [ $_i -lt 200 ] || { echo "cluster: relay $1 has no Redis"; exit 1; }
		sleep 0.05
	done
}
relays=""
for r in 1 2 3; do
	cluster_relay "$r"
	relays="$relays${relays:+,}$addr"
done
relay single 0
single=$addr


# Redis's script calls (EVAL: one round trip each) since the last reset.
# (INFO also counts the commands inside the scripts: not round trips.)
rcalls() {
	redis-cli -p "$port" INFO commandstats |
	    awk -F'[=,:]' '/^cmdstat_eval/ { n += $3 } END { print n + 0 }'
}
# What three idle relays cost Redis, per second: their liveness records and
# the leases of the numbers each holds ahead (RELAY_CLUSTER_POOL).
sleep 5
redis-cli -p "$port" CONFIG RESETSTAT >/dev/null
sleep 20
idle=$(rcalls)
idle_ps=$(echo "$idle" | awk '{ printf "%.2f", $1 / 20 }')

# Create and join latency, one session after another.
redis-cli -p "$port" CONFIG RESETSTAT >/dev/null
t0=$(date +%s.%N)
python3 tests/tools/joins.py --master-relay "$c1" --viewer-relay "$c2" --count "$J" \
    >"$T/joins_cluster.txt" 2>"$T/joins_cluster.err" || { echo "cluster: joins failed"; exit 1; }
t1=$(date +%s.%N)
calls=$(rcalls)
python3 tests/tools/joins.py --master-relay "$single" --viewer-relay "$single" --count "$J" \
    >"$T/joins_single.txt" 2>"$T/joins_single.err" || { echo "cluster: joins failed"; exit 1; }
echo "  cluster (master on relay 1, viewer via relay 2): $(cat "$T/joins_cluster.txt")"
echo "  one relay:                                       $(cat "$T/joins_single.txt")"
jf() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }
for k in create_p50_ms create_p99_ms join_p50_ms join_p99_ms; do
	echo "bench: cluster_$k = $(jf $k "$T/joins_cluster.txt")"
	echo "bench: single_$k = $(jf $k "$T/joins_single.txt")"
done
per_session=$(echo "$calls $idle_ps $t0 $t1 $J" |
    awk '{ printf "%.1f", ($1 - $2 * ($4 - $3)) / $5 }')
echo "  Redis: $calls script calls for $J sessions in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s, idle relays $idle_ps/s"
echo "bench: cluster_redis_idle_calls_per_s = $idle_ps"
echo "bench: cluster_redis_calls_per_session = $per_session"

# What this Redis serves on this machine: small scripts like the relays'
# (one SET with a lifetime, the lease refresh's core), 50 clients at once.
cap=$(redis-benchmark -p "$port" -n 200000 -c 50 -q \
    EVAL "return redis.call('SET', KEYS[1], ARGV[1], 'EX', 30)" 1 bench:k v 2>/dev/null |
    tr '\r' '\n' | sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1)
echo "  Redis on this machine: ${cap:-?} small scripts per second (redis-benchmark, 50 clients)"
echo "bench: redis_eval_per_s = ${cap:-0}"

# What a live session costs per minute (its lease kept).
redis-cli -p "$port" CONFIG RESETSTAT >/dev/null
python3 tests/tools/joins.py --master-relay "$c1" --hold "$HOLD" --hold-s 30 \
    >"$T/hold.txt" 2>&1 || { echo "cluster: hold failed: $(cat "$T/hold.txt")"; exit 1; }
calls=$(rcalls)
per_min=$(echo "$calls $idle_ps $HOLD" | awk '{ printf "%.2f", ($1 - $2 * 30) / $3 * 2 }')
echo "  Redis: $calls script calls while $HOLD sessions lived 30 s"
echo "bench: cluster_redis_calls_per_live_session_minute = $per_min"

# Relay kill -9 to frames again: the real master (given all three) and a
# viewer (asking relay 3); the relay that holds the session is killed and
# started again, KILLS times.
mkfifo "$T/host.in"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
"$B/fernsicht-master" --relay "$c1,$c2,$c3" --headless --source test-pattern --auto-accept \
    --name bench <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10 || { echo "cluster: no session"; exit 1; }
sess=$(sed -n 's/^session=\([0-9]*\) .*/\1/p' "$T/host.out" | head -1)
code=$(sed -n 's/^session=[0-9]* code=\([0-9]*\).*/\1/p' "$T/host.out" | head -1)
"$B/fernsicht-viewer" --relay "$c3" "$sess" --code "$code" --headless --name bench \
    >"$T/v.out" 2>"$T/v.log" &
pids="$pids $!"
wait_for "$T/v.out" '^frame ' 20 || { echo "cluster: no frames"; exit 1; }
: >"$T/kills.txt"
k=0
while [ $k -lt "$KILLS" ]; do
	k=$((k + 1))
	holder=$(sed -n 's/.*connected to relay \([^:]*:[0-9]*\): session.*/\1/p' "$T/host.log" |
	    tail -1)
	i=0
	for r in 1 2 3; do eval "[ \"\$c$r\" = \"$holder\" ] && i=$r"; done
	[ $i -gt 0 ] || { echo "cluster: which relay holds the session? '$holder'"; exit 1; }
	resumed=$(grep -c '^resumed session=' "$T/v.out")
	eval "kill -KILL \$cpid$i"
	t0=$(date +%s%N)
	until [ "$(grep -c '^resumed session=' "$T/v.out")" -gt "$resumed" ]; do
		[ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 60 ] ||
			{ echo "cluster: the viewer did not come back"; exit 1; }
		sleep 0.01
	done
	n=$(wc -l <"$T/v.out")
	until tail -n +"$((n + 1))" "$T/v.out" | grep -q '^frame '; do sleep 0.01; done
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 )) >>"$T/kills.txt"
	cluster_relay "$i"
	# Past RELAY_RESUME_LOCK_MS (5 s): a kill right after a resume is a
	# second failure, which waits for the lock (measured apart below).
	sleep 6
done
kills=$(sort -n "$T/kills.txt" | tr '\n' ' ')
echo "  relay kill -9 to the viewer's next frame, ms: $kills"
echo "bench: cluster_kill_to_frames_median_ms = $(sort -n "$T/kills.txt" |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"

# Last, as it grows the relays' pools of numbers claimed ahead: 2,000
# masters at once.
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
[ $rc_cluster = 0 ] && [ $rc_single = 0 ] || exit 1
