#!/bin/sh
# tests/integration/run.sh [BUILD_DIR] - run every tests/integration/t_*.sh
# against the programs in BUILD_DIR (default build), each with a time bound.
# ONLY=t_name runs that one; SKIP="t_a t_b" leaves those out (each said).
# Prints PASS/FAIL per test and "integration: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export B="$top/${1:-build}"
passed=0
failed=0
for t in tests/integration/t_*.sh; do
	name=$(basename "$t" .sh)
	[ -z "${ONLY:-}" ] || [ "$ONLY" = "$name" ] || continue
	case " ${SKIP:-} " in
	*" $name "*) echo "SKIP $name (SKIP)"; continue ;;
	esac
	start=$(date +%s)
	out=$(timeout -k 5 "${IT_TIMEOUT:-120}" sh "$t" 2>&1)
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc = 0 ]; then
		passed=$((passed + 1))
		echo "PASS $name (${secs}s)"
		printf '%s\n' "$out" | grep '^  ' | grep -v '^  FAIL' | head -5
	else
		failed=$((failed + 1))
		[ $rc = 124 ] && out="$out
  FAIL: timed out"
		echo "FAIL $name (${secs}s, rc=$rc)"
		# The reason first: the tail of the logs below may not reach it.
		printf '%s\n' "$out" | grep -m3 '^  FAIL:' || true
		printf '%s\n' "$out" | sed 's/^\([^ ]\)/  \1/' | tail -60
	fi
done
echo "integration: $passed passed, $failed failed"
