#!/bin/sh
# tests/bench/wayland_peer.sh - two builds of the master against each
# other on the mutter host of tests/bench/wayland.sh (its scroll workload:
# a terminal printing a line every 50 ms, so every frame is a new picture):
# the master's CPU per frame the viewer decoded, in rounds that alternate
# which build goes first (drift in the machine's load falls on both), and
# per round the ratio B / PEER. The median of the rounds' ratios is the
# figure; one round on a shared machine is good to a quarter at best.
#
# Usage: B=build PEER=/path/to/other/build [ROUNDS=6] sh tests/bench/wayland_peer.sh
# Ends with "bench: wayland_peer ..." lines for grep. Not part of make
# bench (it needs a second build).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
PEER=${PEER:?PEER=the other build directory}
case $PEER in /*) ;; *) PEER=$top/$PEER ;; esac
ROUNDS=${ROUNDS:-6}
out=$(mktemp -d /tmp/fernsicht-wlpeer.XXXXXX) || exit 1

# per_frame BUILD FILE: one run of the mutter host; prints milliseconds of
# master CPU per decoded frame (n/a when it did not measure).
per_frame() {
	WL_HOSTS=mutter B="$1" sh tests/bench/wayland.sh >"$2" 2>&1
	awk '/^bench: wayland scroll mutter cpu s = / { c = $NF }
	    /^bench: wayland scroll mutter frames = / { f = $NF }
	    END { if (c == "" || c == "n/a" || f + 0 == 0) print "n/a";
	        else printf "%.3f\n", c * 1000 / f }' "$2"
}

echo "== wayland_peer: master CPU ms per frame on mutter, scroll; $B against $PEER"
printf '%-6s %10s %10s %7s\n' round build peer ratio
r=1
while [ $r -le "$ROUNDS" ]; do
	if [ $((r % 2)) = 1 ]; then
		a=$(per_frame "$B" "$out/$r.b"); p=$(per_frame "$PEER" "$out/$r.peer")
	else
		p=$(per_frame "$PEER" "$out/$r.peer"); a=$(per_frame "$B" "$out/$r.b")
	fi
	ratio=$(awk -v a="$a" -v p="$p" 'BEGIN { if (a == "n/a" || p == "n/a") print "n/a";
	    else printf "%.3f\n", a / p }')
	printf '%-6s %10s %10s %7s\n' "$r" "$a" "$p" "$ratio"
	echo "$ratio" >>"$out/ratios"
	r=$((r + 1))
done
median=$(grep -v n/a "$out/ratios" | sort -n | awk '{ v[NR] = $1 }
    END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2];
        else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "bench: wayland_peer rounds = $ROUNDS"
echo "bench: wayland_peer cpu per frame ratio median = $median"
echo "  (runs kept in $out)"
