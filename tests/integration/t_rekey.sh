# Rekeying forced tiny (a new key every 20 records, and a new session key
# every 2 s): the viewer decodes every frame of an unbroken chain and its
# pictures equal the master's test pattern pixel for pixel.
. "$(dirname "$0")/lib.sh"
export FERNSICHT_REKEY_MESSAGES=20 FERNSICHT_REKEY_MS=2000
start_relay relay
# --lossless: every frame is compared exactly, and the pattern changes in
# every frame (so its many-coloured tiles would go JPEG).
start_master host "$RELAY" --auto-accept --fps 40 --size 320x200 --lossless
mkdir "$T/rec"
start_viewer v "$RELAY" "$SESSION" "$CODE" --frames 200 --record "$T/rec/" \
    --input-script /dev/null
wait_exit "$VIEWER_PID" 90
[ "$rc" = 0 ] || fail "viewer exit $rc"
epochs=$(count "$T/v.out" '^key epoch=')
[ "$epochs" -ge 3 ] || fail "only $epochs session-key epochs in 200 frames"
# Every 10th recorded frame must equal some frame of the pattern exactly
# (drawn independently by pattern_ppm): a glitched tile matches none.
checked=0
for f in $(ls "$T/rec" | awk 'NR % 10 == 0'); do
	"$B/tools/pattern_ppm" --match "$T/rec/$f" 2000 >/dev/null ||
	    fail "frame $f matches no pattern frame"
	checked=$((checked + 1))
done
[ "$checked" -ge 10 ] || fail "only $checked frames compared"
note "200 frames over $epochs session-key epochs and pairwise rekeys every 20 records; $checked compared exactly"
