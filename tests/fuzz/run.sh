#!/bin/sh
# tests/fuzz/run.sh - run every libFuzzer target for FUZZ_SECONDS each
# (default 15) from its seed corpus in tests/fuzz/corpus/NAME (when there),
# FUZZ_JOBS of them at a time (default 1; make check runs two, one a core).
# Prints one line per target: "fuzz: NAME ok" or "fuzz: NAME FAILED".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${FUZZ_SECONDS:-15}
jobs=${FUZZ_JOBS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# run_one NAME: one target; its lines go to $work/NAME.result.
run_one() {
	seeds=""
	[ -d "tests/fuzz/corpus/$1" ] && seeds="tests/fuzz/corpus/$1"
	mkdir -p "$work/$1"
	# -rss_limit_mb: a decoder that allocates on an attacker's say-so fails.
	if "build-fuzz/$1" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 \
	    -print_final_stats=1 -artifact_prefix="$work/$1-" "$work/$1" $seeds \
	    >"$work/$1.log" 2>&1; then
		echo "fuzz: $1 ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' \
		    "$work/$1.log" | grep -o '[0-9]*$' || echo '?') runs)"
	else
		echo "fuzz: $1 FAILED"
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$work/$1.log" | head -20
		ls "$work/$1"-* 2>/dev/null | while read -r a; do
			echo "  reproducer: $(od -An -tx1 "$a" | head -4 | tr -d '\n')"
		done
	fi >"$work/$1.result"
}

# In batches of $jobs (every target runs the same time, so a batch ends
# together), the results in the targets' order.
names=""
batch=0
for f in build-fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	names="$names $name"
	run_one "$name" &
	batch=$((batch + 1))
	[ "$batch" -lt "$jobs" ] || { wait; batch=0; }
done
wait
rc=0
for name in $names; do
	cat "$work/$name.result"
	grep -q "^fuzz: $name ok" "$work/$name.result" || rc=1
done
exit $rc
