#!/bin/sh
# tests/clone_check.sh - the two-commands promise: the repository alone
# builds and passes its unit tests. Clones HEAD into an empty temporary
# folder (nothing beside it, so no sibling checkout or shared folder
# can be read), builds the programs, the catalogues and the unit tests there and
# runs the unit tests from the clone.
# Uncommitted changes are not in the clone: this checks what a user gets.
# Prints "ok"/"not ok" lines for tests/check.sh to count.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
if ! git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	echo "# clone: $top is not a git checkout; nothing to clone"
	echo "ok 1 - clone check skipped (not a git checkout) # SKIP"
	exit 0
fi
tmp=$(mktemp -d /tmp/fernsicht-clone.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
bad=0
result() {  # result OK|FAIL WHAT
	n=$((n + 1))
	if [ "$1" = OK ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=$((bad + 1)); fi
}

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
