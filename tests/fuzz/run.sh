#!/bin/sh
# tests/fuzz/run.sh - run every libFuzzer target for FUZZ_SECONDS each
# (default 15) from its seed corpus in tests/fuzz/corpus/NAME (when there).
# Prints one line per target: "fuzz: NAME ok" or "fuzz: NAME FAILED".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${FUZZ_SECONDS:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
rc=0
for f in build-fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	mkdir -p "$work/$name"
	seeds=""
	[ -d "tests/fuzz/corpus/$name" ] && seeds="tests/fuzz/corpus/$name"
	# -rss_limit_mb: a decoder that allocates on an attacker's say-so fails.
	if "$f" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$work/$name-" "$work/$name" $seeds >"$work/$name.log" 2>&1; then
		echo "fuzz: $name ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' \
		    "$work/$name.log" | grep -o '[0-9]*$' || echo '?') runs)"
	else
		echo "fuzz: $name FAILED"
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$work/$name.log" | head -20
		ls "$work"/"$name"-* 2>/dev/null | while read -r a; do
			echo "  reproducer: $(od -An -tx1 "$a" | head -4 | tr -d '\n')"
		done
		rc=1
	fi
done
exit $rc
