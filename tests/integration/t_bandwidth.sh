# Caps and the low-bandwidth mode: with --max-kbps the master sends fewer
# frames and stays near the cap (bounded, not timed: the bucket holds one
# second); with --low-bandwidth the viewer says the picture is lossy and
# every pixel it got has the reduced colour depth.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master capped "$RELAY" --auto-accept --fps 30 --max-kbps 400 --size 640x480
start_viewer v "$RELAY" "$SESSION" "$CODE" --quiet-frames
vp=$VIEWER_PID
sleep 4
kill "$vp"
wait_exit "$vp" 10
# The viewer's connection's close line (state=viewer, or state=closing
# when the host removed it after its goodbye).
vconn=$(sed -n 's/.*hello conn=\([0-9]*\) .*role=viewer .*name="v".*/\1/p' "$T/relay.log" | head -1)
wait_for "$T/relay.log" "close conn=$vconn " 10
out=$(grep "close conn=$vconn " "$T/relay.log" | sed -n 's/.* out=\([0-9]*\).*/\1/p' | tail -1)
[ -n "$out" ] || fail "no byte count for the viewer in the relay log"
# 4 s at 400 kbit/s is 200 kB, plus one second of burst and one frame.
[ "$out" -lt 400000 ] || fail "the viewer got $out bytes in 4 s under a 400 kbit/s cap"
master_cmd capped end

# --lossless: the colour reduction alone (JPEG tiles would blur its 5-6-5 steps).
start_master lossy "$RELAY" --auto-accept --fps 20 --size 320x240 --low-bandwidth --lossless
code=$(latest_code lossy)
start_viewer w "$RELAY" "$SESSION" "$code" --frames 5 --record "$T/lossy.ppm"
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "viewer exit $rc"
grep -q '^lossy: ' "$T/w.out" || fail "the viewer did not say the picture is lossy"
python3 - "$T/lossy.ppm" <<'PY' || fail "a pixel has more than 5-6-5 bits"
import sys
d = open(sys.argv[1], 'rb').read()
i = 0
for _ in range(4):                      # P6 w h 255 of the first image
    while d[i:i + 1].isspace(): i += 1
    while not d[i:i + 1].isspace(): i += 1
px = d[i + 1:i + 1 + 320 * 240 * 3]
bad = sum(1 for k in range(0, len(px), 3) if px[k] & 7 or px[k + 1] & 3 or px[k + 2] & 7)
sys.exit(1 if bad or len(px) != 320 * 240 * 3 else 0)
PY
note "capped viewer got $out bytes in 4 s (cap 400 kbit/s); low-bandwidth frames have 5-6-5 colours"
