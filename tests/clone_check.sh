#!/bin/sh
# tests/clone_check.sh - the two-commands promise: the repository alone
# builds and passes its unit tests. Clones HEAD into an empty temporary
# folder (nothing beside it, so no sibling checkout or shared folder
# can be read), builds the programs, the catalogues and the unit tests there and
# runs the unit tests from the clone.
# Uncommitted changes are not in the clone: this checks what a user gets.
# Prints "ok"/"not ok" lines for tests/check.sh to count.
#
#   clone_check.sh             all of it, in a temporary folder
#   clone_check.sh build DIR   the clone and its build into the new folder DIR
#   clone_check.sh test DIR    the unit tests of that build; removes DIR
# (make check builds beside its other tests and tests at the end.)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
if ! git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	echo "# clone: $top is not a git checkout; nothing to clone"
	echo "ok 1 - clone check skipped (not a git checkout) # SKIP"
	exit 0
fi
mode=${1:-all}
case $mode in
all) tmp=$(mktemp -d /tmp/fernsicht-clone.XXXXXX) ;;
build) tmp=${2:?DIR}; mkdir "$tmp" || exit 1 ;;
test) tmp=${2:?DIR}; [ -d "$tmp/alone/repo" ] || { echo "# clone: no build in $tmp"; exit 1; } ;;
*) echo "usage: clone_check.sh [build DIR | test DIR]" >&2; exit 2 ;;
esac
[ "$mode" = build ] || trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
bad=0
result() {  # result OK|FAIL WHAT
	n=$((n + 1))
	if [ "$1" = OK ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=$((bad + 1)); fi
}

if [ "$mode" != test ]; then
	# Nothing tracked may point outside the repository for its data: the
	# pattern is put together here so that this file does not match itself.
	sibling='\.\./'"shared"
	if git -C "$top" grep -n -e "$sibling" -- ':!docs' ':!tests/clone_check.sh' >"$tmp/refs" 2>&1
	then
		sed 's/^/# /' "$tmp/refs"
		result FAIL "no tracked file reads the sibling shared folder"
	else
		result OK "no tracked file reads the sibling shared folder"
	fi

	mkdir "$tmp/alone"
	git clone -q "$top" "$tmp/alone/repo" 2>"$tmp/clone.err" || { cat "$tmp/clone.err"; exit 1; }
	[ "$(ls -A "$tmp/alone")" = repo ] || { echo "# clone: the folder is not empty"; exit 1; }
	if ! make -C "$tmp/alone/repo" --no-print-directory -j2 all tests >"$tmp/build.log" 2>&1; then
		tail -30 "$tmp/build.log" | sed 's/^/# /'
		result FAIL "the clone builds its programs, catalogues and unit tests"
		exit 1
	fi
	result OK "the clone builds its programs, catalogues and unit tests"
fi
[ "$mode" != build ] || exit 0
cd "$tmp/alone/repo" || exit 1
for t in build/tests/test_*; do
	[ -x "$t" ] || continue
	out=$(env -u FERNSICHT_TESTVECTORS timeout 300 "$t" 2>&1)
	rc=$?
	fails=$(printf '%s\n' "$out" | grep -c '^not ok ')
	oks=$(printf '%s\n' "$out" | grep -c '^ok ')
	if [ "$rc" = 0 ] && [ "$fails" = 0 ] && [ "$oks" -gt 0 ]; then
		result OK "$(basename "$t") in the clone ($oks checks)"
	else
		printf '%s\n' "$out" | grep -E '^(not ok|Bail out|#)' | head -10 | sed 's/^/# /'
		result FAIL "$(basename "$t") in the clone (exit $rc, $fails failed)"
	fi
done
echo "# clone: $n checks, $bad failed"
[ "$bad" = 0 ]
