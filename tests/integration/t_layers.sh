# No two files of a program call each other, directly or round a loop, and
# no headers include each other in a circle (docs/ARCHITECTURE.md): read
# off the built objects (who defines and who uses each symbol) and the
# headers' #include lines.
. "$(dirname "$0")/lib.sh"
command -v nm >/dev/null || fail "nm is not installed (binutils)"
out=$(python3 "$top/tests/tools/calls.py" "$B" 2>&1) || fail "$out"
note "$(printf '%s\n' "$out" | tail -1)"

# The control: a tree where two files call each other, and two headers
# include each other, must be reported.
mkdir -p "$T/tree/proto" "$T/tree/build/proto"
printf 'int a(int n);\nint b(int n);\nint a(int n) { return n > 0 ? b(n - 1) : 0; }\n' \
    >"$T/tree/proto/a.c"
printf 'int a(int n);\nint b(int n);\nint b(int n) { return a(n); }\n' >"$T/tree/proto/b.c"
printf '#ifndef A_H\n#define A_H\n#include "b.h"\n#endif\n' >"$T/tree/proto/a.h"
printf '#ifndef B_H\n#define B_H\n#include "a.h"\n#endif\n' >"$T/tree/proto/b.h"
for f in a b; do
	cc -c -o "$T/tree/build/proto/$f.o" "$T/tree/proto/$f.c" || fail "cannot build the control tree"
done
out=$(python3 "$top/tests/tools/calls.py" --top "$T/tree" "$T/tree/build" 2>&1) &&
    fail "a call circle went unnoticed: $out"
printf '%s\n' "$out" | grep -q 'call circle in .*proto/a <-> proto/b' || fail "no call circle reported: $out"
printf '%s\n' "$out" | grep -q 'include circle: proto/a.h <-> proto/b.h' || fail "no include circle reported: $out"
note "the control tree's circles are found"
