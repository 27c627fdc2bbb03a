# Everything the relay receives, from the master and from a viewer, is
# recorded by a pass-through proxy and scanned for known plaintext: the
# test pattern's marker (in the raw tiles of every update), chat lines both
# ways, a clipboard text, and an input event whose plaintext bytes are a
# marker (a pointer event at x = 0x4742, y = 0x5453). 0 hits. As controls,
# the markers are found in the viewer's decrypted records, and the master
# reports the marked input event.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_tamper mp "$RELAY" --record "$T/up-master.bin"
mrelay=$PROXY
start_master host "$mrelay" --auto-accept --chat FERNSICHT-CHAT-MARKER-HOST --fps 20 \
    --print-input
start_tamper vp "$RELAY" --record "$T/up-viewer.bin"
printf 'chat FERNSICHT-CHAT-MARKER-VIEWER\nclipboard FERNSICHT-CLIP-MARKER\ntype hello\npointer 18242 21587\n' >"$T/script"
start_viewer v "$PROXY" "$SESSION" "$CODE" --frames 30 --input-script "$T/script" \
    --dump-plaintext "$T/plain.bin"
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "viewer exit $rc"
wait_for "$T/host.out" '^chat slot=1 text="FERNSICHT-CHAT-MARKER-VIEWER"' 10
wait_for "$T/host.out" '^clipboard slot=1' 10
wait_for "$T/host.out" '^input slot=1 kind=pointer .*x=18242 y=21587' 10
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
hits=0
for m in FERNSICHT-PLAINTEXT-MARKER FERNSICHT-CHAT-MARKER FERNSICHT-CLIP-MARKER; do
	for f in up-master.bin up-viewer.bin relay.log relay.out; do
		if grep -qa "$m" "$T/$f"; then
			hits=$((hits + 1))
			echo "  hit: $m in $f"
		fi
	done
done
[ "$hits" = 0 ] || fail "$hits plaintext hits in what the relay received"
note "scanned $(cat "$T/up-master.bin" "$T/up-viewer.bin" | wc -c) bytes: 0 hits"
