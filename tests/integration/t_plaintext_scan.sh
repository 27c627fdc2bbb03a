# Everything the relay receives, from the master and from a viewer, is
# recorded by a pass-through proxy and scanned for known plaintext: the
# test pattern's marker (in the raw tiles of every update), chat lines both
# ways, a clipboard text, and an input event whose plaintext bytes are a
# marker (a pointer event at x = 0x4742, y = 0x5453). 0 hits. As controls,
# the markers are found in the viewer's decrypted records, and the master
# reports the marked input event. Files both ways (a file full of a marker,
# viewer to host and host to viewer) are scanned the same way.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_tamper mp "$RELAY" --record "$T/up-master.bin"
mrelay=$PROXY
start_master host "$mrelay" --auto-accept --chat FERNSICHT-CHAT-MARKER-HOST --fps 20 \
    --print-input --inbox "$T/hin"
start_tamper vp "$RELAY" --record "$T/up-viewer.bin"
printf 'chat FERNSICHT-CHAT-MARKER-VIEWER\nclipboard FERNSICHT-CLIP-MARKER\ntype hello\npointer 18242 21587\n' >"$T/script"
mkdir -p "$T/hin" "$T/vin"
python3 -c 'import sys; sys.stdout.write("FERNSICHT-FILE-MARKER-UP " * 20000)' >"$T/up.txt"
python3 -c 'import sys; sys.stdout.write("FERNSICHT-FILE-MARKER-DOWN " * 20000)' >"$T/down.txt"
start_viewer v "$PROXY" "$SESSION" "$CODE" --frames 60 --input-script "$T/script" \
    --dump-plaintext "$T/plain.bin" --send "$T/up.txt" --inbox "$T/vin"
wait_for "$T/v.out" '^allowed ' 20
master_cmd host "send 1 $T/down.txt"
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "viewer exit $rc"
wait_for "$T/host.out" '^chat slot=1 text="FERNSICHT-CHAT-MARKER-VIEWER"' 10
wait_for "$T/host.out" '^clipboard slot=1' 10
wait_for "$T/host.out" '^input slot=1 kind=pointer .*x=18242 y=21587' 10
cmp "$T/up.txt" "$T/hin/up.txt" || fail "the viewer's file did not arrive"
cmp "$T/down.txt" "$T/vin/down.txt" || fail "the host's file did not arrive"
# INPUT plaintext: type 0x30, kind 1, arg 0, x, y: the bytes 30 01 00 47 42 54 53.
for f in up-master.bin up-viewer.bin; do
	if od -An -v -tx1 "$T/$f" | tr -d ' \n' | grep -q '30010047425453'; then
		fail "the input event's plaintext is in $f"
	fi
done
for f in up-master.bin up-viewer.bin; do
	[ -s "$T/$f" ] || fail "nothing recorded in $f"
done
# The control: decrypted records carry the markers, so the scan can see them.
grep -qa 'FERNSICHT-PLAINTEXT-MARKER' "$T/plain.bin" || fail "control: no marker in plaintext"
grep -qa 'FERNSICHT-CHAT-MARKER-HOST' "$T/plain.bin" || fail "control: no chat in plaintext"
grep -qa 'FERNSICHT-FILE-MARKER-DOWN' "$T/plain.bin" || fail "control: no file in plaintext"
hits=0
for m in FERNSICHT-PLAINTEXT-MARKER FERNSICHT-CHAT-MARKER FERNSICHT-CLIP-MARKER \
    FERNSICHT-FILE-MARKER; do
	for f in up-master.bin up-viewer.bin relay.log relay.out; do
		if grep -qa "$m" "$T/$f"; then
			hits=$((hits + 1))
			echo "  hit: $m in $f"
		fi
	done
done
[ "$hits" = 0 ] || fail "$hits plaintext hits in what the relay received"
note "scanned $(cat "$T/up-master.bin" "$T/up-viewer.bin" | wc -c) bytes: 0 hits"
