# A hostile network or relay between the relay and a viewer flips, drops,
# duplicates and reorders bytes and records, in both directions. Every
# case must end in a clean error (a clear reason, exit 2, 3 or 5), never in
# accepted data or a crash; the master and the relay carry on.
. "$(dirname "$0")/lib.sh"
# Seventeen viewers join from one address within seconds: allow it.
start_relay relay --joins-per-min 600
start_master host "$RELAY" --auto-accept --fps 30 --size 320x240
i=0
: >"$T/script"
while [ $i -lt 200 ]; do echo "pointer $i $i" >>"$T/script"; echo "sleep 20" >>"$T/script"; i=$((i + 1)); done
cases="flip-byte:down:3000 drop-bytes:down:3000 dup-bytes:down:3000
flip-byte:up:400 frame-flip:down:6 frame-seq:down:6 frame-flags:down:6
frame-drop:down:6 frame-dup:down:6 frame-swap:down:6 frame-drop:down:2
frame-flip:up:3 frame-seq:up:3 frame-drop:up:3 frame-dup:up:3 frame-swap:up:3"
n=0
for c in $cases; do
	mode=${c%%:*}; rest=${c#*:}; dir=${rest%%:*}; at=${rest#*:}
	n=$((n + 1))
	start_tamper "p$n" "$RELAY" --mode "$mode" --dir "$dir" --conn 1 --at "$at"
	code=$(latest_code host)
	start_viewer "v$n" "$PROXY" "$SESSION" "$code" --frames 300 --quiet-frames \
	    --input-script "$T/script"
	wait_exit "$VIEWER_PID" 40
	case "$rc" in
	2|3|5) ;;
	*) fail "$mode $dir @$at: viewer exit $rc (want a clean error: 2, 3 or 5)";;
	esac
	grep -q '^closed reason=' "$T/v$n.out" || fail "$mode $dir @$at: no reason given"
	grep -q 'tamper: ' "$T/p$n.log" || fail "$mode $dir @$at: the proxy never struck"
	kill -0 "$MASTER_PID" || fail "master died after $mode $dir"
	kill -0 "$RELAY_PID" || fail "relay died after $mode $dir"
	echo "$mode $dir @$at -> exit $rc: $(sed -n 's/^closed reason=//p' "$T/v$n.out" | head -1)" >>"$T/summary"
done
# A last, untampered viewer still gets the whole session.
code=$(latest_code host)
start_viewer ok "$RELAY" "$SESSION" "$code" --frames 10
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "untampered viewer afterwards: exit $rc"
sed 's/^/  /' "$T/summary"
