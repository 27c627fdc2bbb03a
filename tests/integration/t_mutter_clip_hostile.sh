# GNOME's clipboard (master/clip_mutter.c, through tests/tools/x11_clip
# --source mutter) against a Mutter that answers wrongly on purpose
# (tests/tools/hostile_mutter_clip.py, a mock named so: the real Mutter
# cannot be made to). For each way the client says what went wrong,
# never crashes (this runs under the sanitizers too) and takes the right
# copy that follows: the host's types as a string, 100000 types, a
# signal of the wrong type, a read without a pipe, a pipe that never
# ends, a pipe of 1 MiB; 100 pastes at once (every one answered), a paste
# that never reads, a paste without a pipe.
. "$(dirname "$0")/lib.sh"
start_mock_bus

# mock MODE: the mock in MODE, until it owns its names; sets MOCK.
mock() {
	"$PY" "$top/tests/tools/hostile_mutter_clip.py" "$1" >"$T/mock.$1" 2>&1 &
	MOCK=$!
	pids="$pids $MOCK"
	wait_for "$T/mock.$1" '^ready$' 10
}
# ended MODE: the client's run in MODE ended well: no sanitizer spoke and
# the right copy arrived.
ended() {
	kill "$MOCK" 2>/dev/null
	wait "$MOCK" 2>/dev/null
	grep -Eq 'Sanitizer|runtime error' "$T/err.$1" && fail "$1: the sanitizers spoke"
	grep -q '^text vom Mock len=8$' "$T/out.$1" ||
	    fail "$1: the right copy did not arrive: $(cat "$T/out.$1" "$T/err.$1")"
}
# watch MODE READS SAYS: the host's copy went wrong in MODE; the client
# asked READS times for the text and logged SAYS.
watch() {
	mock "$1"
	timeout 20 "$B/tools/x11_clip" --source mutter watch 1 >"$T/out.$1" 2>"$T/err.$1" ||
	    fail "$1: x11_clip ended with $?: $(cat "$T/err.$1")"
	ended "$1"
	[ "$(grep -c '^SelectionRead ' "$T/mock.$1")" = "$2" ] ||
	    fail "$1: $(grep -c '^SelectionRead ' "$T/mock.$1") reads, want $2"
	[ -z "$3" ] || grep -q "$3" "$T/err.$1" || fail "$1: the log does not say '$3'"
}
watch types-string 1 ''
watch types-many 1 ''
watch owner-bad 1 'GNOME Mutter sent a malformed SelectionOwnerChanged'
watch read-no-fd 2 'GNOME Mutter answered SelectionRead without a pipe'
watch read-stall 2 'the copying client did not send its text in time'
watch read-huge 2 'copied text not sent: over 262144 bytes'
note "the host's types as a string or 100000 of them, a malformed signal, a read" \
    "without a pipe, one that never ends, one of 1 MiB: each said, the next copy read"

# serve MODE TEXT: the client serves TEXT for pastes in MODE until the
# host copies.
serve() {
	mock "$1"
	timeout 20 "$B/tools/x11_clip" --source mutter serve "$2" 15 >"$T/out.$1" 2>"$T/err.$1" ||
	    fail "$1: x11_clip ended with $?: $(cat "$T/err.$1")"
	ended "$1"
}
serve transfer-flood "eingefügt"
# Every paste is answered: 8 with the text, the rest empty at once.
i=0
until [ "$(grep -c '^pasted ' "$T/mock.transfer-flood")" = 100 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] ||
	    fail "transfer-flood: $(grep -c '^pasted ' "$T/mock.transfer-flood") of 100 answered"
	sleep 0.05
done
n=$(grep -c '^pasted serial=[0-9]* bytes=10$' "$T/mock.transfer-flood")
e=$(grep -c '^pasted serial=[0-9]* bytes=0$' "$T/mock.transfer-flood")
# (8 wait at most at a time: how many get the text depends on how the
# signals came in, but not all did)
[ "$n" -ge 1 ] && [ "$e" -ge 1 ] && [ $((n + e)) = 100 ] ||
    fail "transfer-flood: $n pastes got the text and $e nothing, of 100"
grep -Eq 'clipboard: [0-9]+ pastes answered empty \(8 wait at most' \
    "$T/err.transfer-flood" || fail "transfer-flood: the log does not say pastes were emptied"
[ "$(grep -c 'answered empty' "$T/err.transfer-flood")" -le 3 ] ||
    fail "transfer-flood: the log says so for every paste"
long=$(head -c 100000 /dev/zero | tr '\0' b)
serve write-stall "$long"
grep -q 'a reader did not take the text in time' "$T/err.write-stall" ||
    fail "write-stall: the log does not say the reader was late"
grep -q '^SelectionWriteDone 1 false$' "$T/mock.write-stall" ||
    fail "write-stall: the cut paste was not reported failed"
grep -q '^pasted serial=2 bytes=' "$T/mock.write-stall" ||
    fail "write-stall: paste 2 was not answered"
grep -q '^pasted serial=3 bytes=100000$' "$T/mock.write-stall" &&
    grep -q '^SelectionWriteDone 3 true$' "$T/mock.write-stall" ||
    fail "write-stall: paste 3 did not get the whole text: $(cat "$T/mock.write-stall")"
serve write-no-fd "eingefügt"
grep -q 'GNOME Mutter answered SelectionWrite without a pipe' "$T/err.write-no-fd" ||
    fail "write-no-fd: the log does not say so"
grep -q '^SelectionWriteDone 1 false$' "$T/mock.write-no-fd" &&
    grep -q '^SelectionWriteDone 2 true$' "$T/mock.write-no-fd" &&
    grep -q '^pasted serial=2 bytes=10$' "$T/mock.write-no-fd" ||
    fail "write-no-fd: $(cat "$T/mock.write-no-fd")"
note "100 pastes at once (the text for $n, $e empty at once), a paste that never" \
    "reads (cut within the round, reported failed; the next whole), a paste without a" \
    "pipe: each said"
