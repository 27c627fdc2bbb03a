#!/bin/sh
# tests/check.sh - every test of `make check`, counted.
#   1. unit tests (TAP binaries in build/tests)
#   2. integration scripts (tests/integration/*.sh) against build/
#   2b. the Debian packages (tests/deb.sh: build, lintian, install, purge;
#      root only, skipped otherwise)
#   3. the same unit and integration tests built with ASan + UBSan (but
#      the two language tests, see below)
#   4. a short libFuzzer run (5 s) of every fuzz target (when clang is there)
#   5. the plain clone: HEAD cloned alone into an empty folder builds (programs,
#      catalogues, unit tests) and passes its unit tests (tests/clone_check.sh)
# The builds of 3, 4 and 5 run beside 2 (see "builds beside the tests").
# Ends with one line "check: N passed, N failed" and fails if any failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
passed=0
failed=0
failures=""

# run_unit DIR: every TAP binary in DIR; each "ok"/"not ok" line counts.
run_unit() {
	for t in "$1"/tests/test_*; do
		[ -x "$t" ] || continue
		out=$(timeout 300 "$t" 2>&1)
		rc=$?
		ok=$(printf '%s\n' "$out" | grep -c '^ok ')
		bad=$(printf '%s\n' "$out" | grep -c '^not ok ')
		if [ "$rc" != 0 ] && [ "$bad" = 0 ]; then
			bad=1   # crashed, bailed out or timed out without a failing line
		fi
		passed=$((passed + ok))
		failed=$((failed + bad))
		if [ "$bad" != 0 ]; then
			failures="$failures $(basename "$t")($1)"
			printf '%s\n' "$out" | grep -E '^(not ok|Bail out|#)' | head -20
			printf '%s\n' "$out" | tail -5
		fi
		echo "unit: $(basename "$t") [$1]: $ok passed, $bad failed"
	done
}

# run_integration BUILD_DIR [SKIP]: SKIP names tests left out for this build
run_integration() {
	out=$(SKIP="${2:-}" sh tests/integration/run.sh "$1" 2>&1)
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL|SKIP|  )' || true
	line=$(printf '%s\n' "$out" | grep '^integration: ' | tail -1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	[ -n "$p" ] || { p=0; f=1; printf '%s\n' "$out" | tail -20; }
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" = 0 ] || failures="$failures integration($1)"
	echo "integration [$1]: $p passed, $f failed"
}

# section NAME: its heading, with the seconds make check has taken so far
# (where the half hour goes).
start=$(date +%s)
section() { echo "== $1 (at $(( $(date +%s) - start )) s)"; }

section "unit tests"
run_unit build

# The builds beside the tests: the ASan + UBSan build, the fuzzers and
# the plain clone's build start now, one after the other, at the lowest
# CPU priority, while the integration tests run. The tests mostly wait
# (for each other's processes, for time-outs they provoke) and keep the
# CPU they ask for; the builds take what is left (they took about four
# minutes of the 30 make check may take when they ran after the tests,
# and slow the tests by about half a minute beside them). Each section
# below waits for its build's end. They run in a process group of their
# own (setsid), so that an interrupted check stops every compiler with
# them. Their logs: $builds/NAME.log.
builds=$(mktemp -d /tmp/fernsicht-check-builds.XXXXXX)
setsid sh -c '
	b=$1
	nice -n 19 make --no-print-directory -j2 asan >"$b/asan.log" 2>&1
	echo $? >"$b/asan.rc"
	if command -v clang >/dev/null 2>&1 && ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
		nice -n 19 make --no-print-directory -j2 fuzzers >"$b/fuzz.log" 2>&1
		echo $? >"$b/fuzz.rc"
	fi
	nice -n 19 sh tests/clone_check.sh build "$b/clone" >"$b/clone.out" 2>&1
	echo $? >"$b/clone.rc"
' sh "$builds" &
builds_pid=$!
trap '[ -z "$builds_pid" ] || kill -TERM -"$builds_pid" 2>/dev/null; rm -rf "$builds"' EXIT
trap 'exit 130' INT TERM
# built NAME: waits for that build's end; its exit status
built() {
	while [ ! -f "$builds/$1.rc" ] && kill -0 "$builds_pid" 2>/dev/null; do
		sleep 1
	done
	[ "$(cat "$builds/$1.rc" 2>/dev/null)" = 0 ]
}

section "integration tests"
# The checks of the portal tests' own desktops (t_wayland_portal_env,
# t_wayland_portal_gnome_env: python reference clients against the
# portals on sway and GNOME) are left out here: the master's own tests on
# the same desktops (t_wayland_portal, t_wayland_portal_gnome) show them
# working, and the half hour is nearly full. They run with ONLY=.
run_integration build "t_wayland_portal_env t_wayland_portal_gnome_env"

section "Debian packages"
out=$(timeout 600 sh tests/deb.sh 2>&1)
rc=$?
printf '%s\n' "$out" | grep -E '^(ok|not ok|#)'
p=$(printf '%s\n' "$out" | grep -c '^ok ')
f=$(printf '%s\n' "$out" | grep -c '^not ok ')
[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1    # ended early without a failing line
passed=$((passed + p))
failed=$((failed + f))
[ "$f" = 0 ] || failures="$failures deb"
echo "deb: $p passed, $f failed"

section "ASan + UBSan build"
if built asan; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	run_unit build-asan
	# The language tests look at the German and English text of every
	# window and --help, which is the same in both builds; the code they
	# drive runs under the sanitizers in the window tests (t_start_window,
	# t_gui_panels, t_viewer_window, t_hostui). Left out here they save
	# about two minutes of the half hour make check may take. t_layers
	# reads symbols off the objects, which the sanitizers do not change.
	# On sway the hostile compositor (t_wayland_fakecopy) and the keymap's
	# unit test take the untrusted input under the sanitizers; the two
	# long sway sessions run in the plain build only. The portal's
	# answers, wrong ones too, are read under the sanitizers in
	# t_portal_hostile; the sessions through the real portals on sway and
	# GNOME (t_wayland_portal, t_wayland_portal_gnome) run in the plain
	# build only. The shared screen stream meets the sanitizers in its
	# unit test (test_shared_stream) and in fuzz_msg; its session
	# (t_shared_stream, 34 s here) runs in the plain build only. The
	# lossy session (t_lossy: JPEG and VP9 decoded by a real viewer) runs
	# in both.
	run_integration build-asan "t_i18n_master t_i18n_viewer t_layers t_wayland_sway \
	    t_wayland_sway_session t_wayland_portal_env t_wayland_portal \
	    t_wayland_portal_gnome t_wayland_portal_gnome_env t_shared_stream"
	unset ASAN_OPTIONS UBSAN_OPTIONS
else
	tail -30 "$builds/asan.log"
	failed=$((failed + 1))
	failures="$failures asan-build"
fi

section "fuzz (short runs)"
if command -v clang >/dev/null 2>&1 && ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
	if built fuzz; then
		# 5 s a target here, two at a time (the half hour make check
		# may take is nearly full); `make fuzz` runs each for a minute
		out=$(FUZZ_SECONDS=${FUZZ_SECONDS:-5} FUZZ_JOBS=2 sh tests/fuzz/run.sh 2>&1)
		rc=$?
		printf '%s\n' "$out" | grep -E '^fuzz' || true
		p=$(printf '%s\n' "$out" | grep -c '^fuzz: .* ok')
		f=$(printf '%s\n' "$out" | grep -c '^fuzz: .* FAILED')
		[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1    # a target that said nothing
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" = 0 ] || failures="$failures fuzz"
	else
		tail -30 "$builds/fuzz.log"
		failed=$((failed + 1))
		failures="$failures fuzz-build"
	fi
else
	echo "fuzz: skipped (no clang)"
fi

section "plain clone"
if built clone; then
	out=$(cat "$builds/clone.out"; sh tests/clone_check.sh test "$builds/clone" 2>&1)
	rc=$?
else
	out=$(cat "$builds/clone.out" 2>/dev/null)
	rc=1
fi
wait "$builds_pid" 2>/dev/null
builds_pid=""   # ended: the trap must not signal a number another process may have now
printf '%s\n' "$out" | grep -E '^(not ok|# )' || true
p=$(printf '%s\n' "$out" | grep -c '^ok ')
f=$(printf '%s\n' "$out" | grep -c '^not ok ')
# A clone or build that stopped the script counts even after an "ok".
{ [ "$p" -gt 0 ] && [ "$rc" = 0 ]; } || [ "$f" != 0 ] || f=1
passed=$((passed + p))
failed=$((failed + f))
[ "$f" = 0 ] || failures="$failures clone"
echo "clone: $p passed, $f failed"

[ -z "$failures" ] || echo "failed:$failures"
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]
