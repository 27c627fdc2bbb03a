#!/bin/sh
# tests/bench/drop.sh - the file drop (docs/relay.md "File drop"), next to
# a peer measured in this same run on this same machine:
#
#   put    fernsicht-master --drop FILE through a relay with a drop-dir on
#          loopback: a session opened for the upload right, the file sealed
#          (secretstream) and posted in parts, the relay writing and
#          syncing it; timed from start to exit
#   fetch  fernsicht-viewer --fetch LINK: the link claimed, the blob read
#          in parts, decrypted and verified into --out; timed from start
#          to exit, and the result compared with cmp
#   peer   socat storing the same file through a plain TCP connection into
#          a file on the same filesystem (socat sender -> socat receiver
#          writing), then serving it back (socat sender reading the stored
#          file -> socat receiver writing); no encryption, no framing
#
# Also the relay's CPU seconds for the put and the fetch (utime+stime from
# /proc/PID/stat) and its peak RSS (VmHWM), and the stored blob's size
# against the file's. Best of BENCH_ROUNDS (3) rounds of BENCH_DROP_MIB
# (512) MiB of random bytes. Ends with "bench: drop ..." lines for grep;
# exit 1 when a Fernsicht measurement could not be taken.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
MIB=${BENCH_DROP_MIB:-512}
ROUNDS=${BENCH_ROUNDS:-3}
SOCAT_OPTS=${BENCH_SOCAT_OPTS--b 65536}
TICK=$(getconf CLK_TCK 2>/dev/null || echo 100)
# shellcheck source=tests/bench/lib.sh
. tests/bench/lib.sh
bench_init drop

for f in fernsicht-relay fernsicht-master fernsicht-viewer; do
	[ -x "$B/$f" ] || { echo "bench: $B/$f missing (make all)" >&2; exit 1; }
done
command -v socat >/dev/null 2>&1 || sh scripts/deps.sh || exit 1

now_ms() { date +%s%3N; }
ticks() {
	_st=""
	read -r _st 2>/dev/null <"/proc/$1/stat" || return 0
	# shellcheck disable=SC2086 # the fields after the command name
	set -- ${_st##*) }
	echo $((${12} + ${13}))
}
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }
mibs() { awk -v m="$MIB" -v ms="$1" 'BEGIN { if (ms > 0) printf "%.1f\n", m * 1048576 / 1e6 / (ms / 1000); else print "n/a" }'; }
best() { [ -z "$1" ] || [ "$2" -lt "$1" ] && echo "$2" || echo "$1"; }

head -c $((MIB * 1048576)) /dev/urandom >"$T/file.bin"
mkdir -p "$T/drops" "$T/state" "$T/out" "$T/config"
export XDG_CONFIG_HOME="$T/config" XDG_CACHE_HOME="$T/cache"

"$B/fernsicht-relay" --config /dev/null --listen 127.0.0.1:0 --state-dir "$T/state" \
    --sessions-per-min 100000 \
    --drop-dir "$T/drops" --drop-max-file 64G --drop-quota-session 64G \
    --drop-quota-address 64G --drop-quota-total 64G >"$T/relay.out" 2>"$T/relay.log" &
RELAY_PID=$!
pids="$pids $RELAY_PID"
wait_for "$T/relay.out" '^listening=' 10 || { echo "bench: the relay did not start" >&2; exit 1; }
RELAY=$(sed -n 's/^listening=//p' "$T/relay.out" | head -1)

put_ms="" fetch_ms="" put_cpu="" fetch_cpu="" blob=""
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	c0=$(ticks "$RELAY_PID")
	t0=$(now_ms)
	"$B/fernsicht-master" --relay "$RELAY" --transport tcp --drop "$T/file.bin" \
	    >"$T/put$r.out" 2>"$T/put$r.log" || { echo "bench: --drop failed" >&2; exit 1; }
	t1=$(now_ms)
	c1=$(ticks "$RELAY_PID")
	link=$(sed -n 's/^drop-link link="\(.*\)"$/\1/p' "$T/put$r.out" | head -1)
	[ -n "$link" ] || { echo "bench: no drop-link" >&2; exit 1; }
	rm -rf "$T/out" && mkdir -p "$T/out"
	"$B/fernsicht-viewer" --transport tcp --fetch "$link" --out "$T/out" \
	    >"$T/fetch$r.out" 2>"$T/fetch$r.log" || { echo "bench: --fetch failed" >&2; exit 1; }
	t2=$(now_ms)
	c2=$(ticks "$RELAY_PID")
	cmp -s "$T/file.bin" "$T/out/file.bin" || { echo "bench: fetched file differs" >&2; exit 1; }
	put_ms=$(best "$put_ms" $((t1 - t0)))
	fetch_ms=$(best "$fetch_ms" $((t2 - t1)))
	put_cpu=$(best "$put_cpu" $((c1 - c0)))
	fetch_cpu=$(best "$fetch_cpu" $((c2 - c1)))
	blob=$(find "$T/drops" -name '*.data' -printf '%s\n' | head -1)
	rm -f "$T/drops"/*.data "$T/drops"/*.meta
done
relay_hwm=$(hwm "$RELAY_PID")

# the peer: store through TCP into a file, then serve the file back
sput_ms="" sfetch_ms=""
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	p=$(free_port)
	# shellcheck disable=SC2086 # the options are words
	socat -u $SOCAT_OPTS TCP-LISTEN:"$p",bind=127.0.0.1,reuseaddr \
	    OPEN:"$T/stored",creat,trunc &
	sp=$!
	sleep 0.2
	t0=$(now_ms)
	# shellcheck disable=SC2086
	socat -u $SOCAT_OPTS OPEN:"$T/file.bin" TCP:127.0.0.1:"$p"
	wait "$sp"
	sync "$T/stored" 2>/dev/null || sync
	t1=$(now_ms)
	p=$(free_port)
	# shellcheck disable=SC2086
	socat -u $SOCAT_OPTS OPEN:"$T/stored" TCP-LISTEN:"$p",bind=127.0.0.1,reuseaddr &
	sp=$!
	sleep 0.2
	t2=$(now_ms)
	# shellcheck disable=SC2086
	socat -u $SOCAT_OPTS TCP:127.0.0.1:"$p" OPEN:"$T/back",creat,trunc
	t3=$(now_ms)
	wait "$sp"
	cmp -s "$T/file.bin" "$T/back" || { echo "bench: socat's copy differs" >&2; exit 1; }
	sput_ms=$(best "$sput_ms" $((t1 - t0)))
	sfetch_ms=$(best "$sfetch_ms" $((t3 - t2)))
done

put=$(mibs "$put_ms") fetch=$(mibs "$fetch_ms")
sput=$(mibs "$sput_ms") sfetch=$(mibs "$sfetch_ms")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "n/a" }'; }
secs() { awk -v t="$1" -v h="$TICK" 'BEGIN { printf "%.2f\n", t / h }'; }
over=$(awk -v b="${blob:-0}" -v m="$MIB" 'BEGIN { printf "%.4f\n", (b - m * 1048576) / (m * 1048576) * 100 }')
printf '%-30s %12s  %-26s %7s\n' "$MIB MiB, best of $ROUNDS" "fernsicht" "socat (store, serve)" ratio
printf '%-30s %9s MB/s  %21s MB/s %7s\n' "put (--drop)" "$put" "$sput" "$(ratio "$put" "$sput")"
printf '%-30s %9s MB/s  %21s MB/s %7s\n' "fetch (--fetch)" "$fetch" "$sfetch" \
    "$(ratio "$fetch" "$sfetch")"
echo "relay CPU: put $(secs "$put_cpu") s, fetch $(secs "$fetch_cpu") s; peak RSS ${relay_hwm:-?} KiB"
echo "stored blob: ${blob:-?} bytes for $((MIB * 1048576)) (+${over} %)"
echo "bench: drop put_mbs=$put fetch_mbs=$fetch socat_put_mbs=$sput socat_fetch_mbs=$sfetch"
echo "bench: drop relay_cpu_put_s=$(secs "$put_cpu") relay_cpu_fetch_s=$(secs "$fetch_cpu")" \
    "relay_hwm_kib=${relay_hwm:-n/a} blob_overhead_pct=$over"
