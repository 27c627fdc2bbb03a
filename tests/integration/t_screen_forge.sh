# Every allowed viewer unwraps the same session key. A second viewer the
# host allowed (screen_peer) hands its keys to the relay's operator (the
# tamper proxy on the first viewer's connection), who tries to read the
# first viewer's screen with them and to slip a screen record of its own
# (a cursor of its choosing) into that viewer's stream. The first viewer
# must refuse it with a clear reason, never show it; the host carries on.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master host "$RELAY" --auto-accept --fps 30 --size 320x240
start_tamper px "$RELAY" --mode forge-screen --dir down --conn 1 --at 20 \
    --key-file "$T/keys"
start_viewer a "$PROXY" "$SESSION" "$CODE" --frames 100000
a_pid=$VIEWER_PID
wait_for "$T/a.out" '^frame n=5 ' 20
"$B/tools/screen_peer" --relay "$RELAY" --session "$SESSION" --code "$(latest_code host)" \
    --key-file "$T/keys" --hold 40 >"$T/speaker.out" 2>"$T/speaker.log" &
speaker=$!
pids="$pids $speaker"
wait_for "$T/speaker.out" '^own screen opened' 20
wait_exit "$a_pid" 30
# The keys handed on are the real ones: the speaker read its own screen.
grep -q '^own screen opened' "$T/speaker.out" || fail "the speaker never read its own screen"
grep -q 'tamper: opened screen record' "$T/px.log" &&
    fail "another viewer's keys read this viewer's screen: $(grep opened "$T/px.log")"
grep -q 'tamper: could not open 20 screen records' "$T/px.log" ||
    fail "the proxy never tried 20 records: $(tail -2 "$T/px.log")"
grep -q 'tamper: forged a cursor record' "$T/px.log" || fail "the proxy never forged"
grep -q '^cursor shape=7x7 hot=3,3' "$T/a.out" && fail "the viewer showed the forged cursor"
[ "$rc" = 5 ] || fail "viewer exit $rc (want 5: the stream from the host was rejected)"
grep -q '^closed reason=.*rejected' "$T/a.out" || fail "no reason: $(tail -1 "$T/a.out")"
kill -0 "$MASTER_PID" || fail "the master died"
kill -0 "$speaker" || fail "the speaker lost its session: $(tail -1 "$T/speaker.log")"
note "$(frames a) frames, then: $(sed -n 's/^closed reason=//p' "$T/a.out" | head -1)"
