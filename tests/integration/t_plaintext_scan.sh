# Everything the relay receives, from the master and from a viewer, is
# recorded by a pass-through proxy and scanned for known plaintext: the
# test pattern's marker (in every key frame's raw tiles), a chat line and
# the viewer's name in the encrypted part. 0 hits. As a control, the same
# markers are found in the viewer's decrypted records.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_tamper mp "$RELAY" --record "$T/up-master.bin"
mrelay=$PROXY
start_master host "$mrelay" --auto-accept --chat FERNSICHT-CHAT-MARKER-HOST --fps 20
start_tamper vp "$RELAY" --record "$T/up-viewer.bin"
printf 'chat FERNSICHT-CHAT-MARKER-VIEWER\nclipboard FERNSICHT-CLIP-MARKER\ntype hello\n' >"$T/script"
start_viewer v "$PROXY" "$SESSION" "$CODE" --frames 30 --input-script "$T/script" \
    --dump-plaintext "$T/plain.bin"
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "viewer exit $rc"
wait_for "$T/host.out" '^chat slot=1 text="FERNSICHT-CHAT-MARKER-VIEWER"' 10
wait_for "$T/host.out" '^clipboard slot=1' 10
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
