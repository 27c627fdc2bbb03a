# The master's --source portal on a headless sway through the ScreenCast
# portal (xdg-desktop-portal with xdg-desktop-portal-wlr, as portal_lib.sh
# starts it: its output chooser stands in for the desktop's dialog). The
# master runs as the test user, as sway does; relay and viewers as root.
#
#   a. The host says no (the chooser picks nothing): the master stops with
#      the portal's answer in words, and shares nothing.
#   a2. --window: refused with the reason (xdg-desktop-portal-wlr shares
#      outputs only), no chooser asked.
#   b. Allowed: a window with a known picture (tests/tools/wl_pattern); the
#      viewer's decoded frame equals grim's copy of the output pixel for
#      pixel. xdg-desktop-portal-wlr sends no frame while the screen is
#      still, so the viewer moves the pointer first (sway shows it, and
#      hides it again after 100 ms: two changes on screen).
#   c. The output's mode changes (swaymsg output HEADLESS-1 mode 800x600):
#      the viewer gets 800x600 frames, equal to grim's (after the next
#      change on screen: the portal sends none before).
#   d. Input: the portal on sway has no RemoteDesktop, so the master types
#      through sway's virtual keyboard; a viewer's keys reach foot (running
#      cat into a file).
#   e. The restore token: the first session kept it (0600, in the test
#      user's settings folder); a second master starts without the
#      chooser being asked again. A token the portal no longer knows is
#      dropped and the chooser asks again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/portal_lib.sh"
for p in foot grim python3; do
	command -v $p >/dev/null || fail "$p is not installed (make deps)"
done

start=$(date +%s)
start_sway_portal 1024x768
install -m 755 "$B/fernsicht-master" "$T/fernsicht-master"
install -m 755 "$B/tools/wl_pattern" "$T/wl_pattern"
mkdir -m 700 "$T/foot"
chown "$PORTAL_USER:" "$T/foot"
asked() { [ -f "$PORTAL_CHOOSER_LOG" ] && wc -l <"$PORTAL_CHOOSER_LOG" || echo 0; }
TOKEN_FILE=$T/home/.config/fernsicht/portal-restore-token

(as_user "$T/wl_pattern") >"$T/paint.out" 2>"$T/paint.log" &
PAINT_PID=$!
pids="$pids $PAINT_PID"
wait_for "$T/paint.out" '^painted 1024x768$' 10

# a. No: the chooser picks nothing.
touch "$PORTAL_CHOOSER_DENY"
(as_user "$T/fernsicht-master" --relay 127.0.0.1:1 --headless --source portal) </dev/null \
    >"$T/deny.out" 2>"$T/deny.log"
rc=$?
rm -f "$PORTAL_CHOOSER_DENY"
[ "$rc" = 3 ] || fail "a refused portal: exit $rc: $(cat "$T/deny.log")"
grep -Eq 'cannot capture the screen: (the host declined the sharing in the desktop.s dialog|the desktop portal ended Start without sharing)' \
    "$T/deny.log" || fail "a refused portal: $(cat "$T/deny.log")"
grep -q '^session=' "$T/deny.out" && fail "a session after the host said no"
[ -e "$TOKEN_FILE" ] && fail "a token kept after the host said no"
note "a. the host said no: $(grep -o 'cannot capture the screen: .*' "$T/deny.log")"

# a2. --window: xdg-desktop-portal-wlr 0.7 shares outputs only
# (AvailableSourceTypes 1): the master says so before any chooser.
(as_user "$T/fernsicht-master" --relay 127.0.0.1:1 --headless --source portal --window) \
    </dev/null >"$T/window.out" 2>"$T/window.log"
rc=$?
[ "$rc" = 3 ] || fail "--window on sway: exit $rc: $(cat "$T/window.log")"
grep -q 'cannot share a window here (its ScreenCast offers monitors only): leave out --window' \
    "$T/window.log" || fail "--window on sway: $(cat "$T/window.log")"
note "a2. --window: $(grep -o 'the desktop portal cannot share a window here' "$T/window.log")"

# b. Allowed.
start_relay relay
mkfifo "$T/host.in"
(as_user "$T/fernsicht-master" --relay "$RELAY" --headless --source portal --name host \
    --auto-accept) <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
MASTER_PID=$!
pids="$pids $MASTER_PID"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 20
SESSION=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/session=\([0-9]*\) .*/\1/')
CODE=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/.*code=\([0-9]*\).*/\1/')
grep -q 'sharing portal (ScreenCast portal, PipeWire MemFd' "$T/host.log" ||
    fail "the master does not read the portal's stream: $(grep -i sharing "$T/host.log")"
grep -q "input through the compositor's virtual keyboard and pointer" "$T/host.log" ||
    fail "no input on sway through the portal: $(grep -i control "$T/host.log")"
# (once for a., once now)
[ "$(asked)" = 2 ] || fail "the chooser was asked $(asked) times by the first two masters"
grep -q 'The desktop asks each time' "$T/host.log" &&
    fail "told that the desktop asks each time, where it can remember"

mkdir "$T/rec"
printf 'sleep 300\npointer 1000 700\n' >"$T/move"
start_viewer v "$RELAY" "$SESSION" "$CODE" --record "$T/rec/" --input-script "$T/move"
wait_for "$T/v.out" '^frame n=1 ' 20
sleep 1.5
same_as_grim "$T/rec" 1024 768 "the first picture"
note "b. through the portal: the viewer's picture equals grim's and wl_pattern's" \
    "($(grep -c '^frame ' "$T/v.out") frames)"

# c. A new mode.
(as_user swaymsg output HEADLESS-1 mode 800x600) >"$T/swaymsg.log" 2>&1 ||
    fail "swaymsg output mode"
i=0
until [ "$(tail -1 "$T/paint.out")" = "painted 800x600" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "wl_pattern did not redraw at 800x600"
	sleep 0.05
done
# xdg-desktop-portal-wlr 0.7 asks for the next picture only after it has
# offered the new size, and then waits for a change: wl_pattern's redraw
# may have come before. The pointer, moved by sway itself, is a change.
(as_user swaymsg seat seat0 cursor set 400 300) >>"$T/swaymsg.log" 2>&1 ||
    fail "swaymsg seat cursor"
newest_frame_sized "$T/rec" 800 600 "after the mode change"
sleep 1
same_as_grim "$T/rec" 800 600 "after the mode change"
note "c. after 'output HEADLESS-1 mode 800x600': 800x600 frames, equal to grim's"

# d. Typing into foot.
kill "$PAINT_PID"
(as_user foot --working-directory="$T/foot" sh -c 'exec cat > typed') >"$T/foot.log" 2>&1 &
FOOT_PID=$!
pids="$pids $FOOT_PID"
i=0
until (as_user swaymsg -t get_tree) 2>/dev/null | grep -q '"app_id": "foot"'; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "foot's window did not appear"
	sleep 0.05
done
printf 'sleep 700\ntype portal ok-7\nkey 0xff0d\n' >"$T/script"
# (the code is good once: the master shows a new one after each viewer)
CODE=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/.*code=\([0-9]*\).*/\1/')
start_viewer w "$RELAY" "$SESSION" "$CODE" --input-script "$T/script"
wait_for "$T/w.out" '^frame n=1 ' 20
i=0
until [ "$(cat "$T/foot/typed" 2>/dev/null)" = "portal ok-7" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] ||
	    fail "foot's cat wrote '$(cat "$T/foot/typed" 2>/dev/null)', want 'portal ok-7'"
	sleep 0.05
done
note "d. a viewer's typing arrived in foot (sway's virtual keyboard beside the portal)"

kill "$MASTER_PID"
wait_exit "$MASTER_PID" 10
[ "$rc" = 0 ] || fail "the master ended with $rc when told to stop"
grep -Eq 'Sanitizer|runtime error' "$T/host.log" && fail "the master's sanitizers spoke"

# e. The restore token.
[ -f "$TOKEN_FILE" ] || fail "no restore token kept"
[ "$(stat -c %a "$TOKEN_FILE")" = 600 ] || fail "the token file is $(stat -c %a "$TOKEN_FILE")"
(as_user "$T/fernsicht-master" --relay "$RELAY" --headless --source portal --name host2) \
    <"$T/host.in" >"$T/host2.out" 2>"$T/host2.log" &
M2=$!
pids="$pids $M2"
wait_for "$T/host2.out" '^session=' 20
[ "$(asked)" = 2 ] || fail "the chooser was asked again with the token ($(asked) times)"
grep -q 'with the choice the host let it remember' "$T/host2.log" ||
    fail "the second master did not offer the token: $(grep portal "$T/host2.log")"
kill "$M2"
wait_exit "$M2" 10
# A token the portal does not know: it asks again (and keeps the new one).
echo "00000000-0000-0000-0000-000000000000" >"$TOKEN_FILE"
(as_user "$T/fernsicht-master" --relay "$RELAY" --headless --source portal --name host3) \
    <"$T/host.in" >"$T/host3.out" 2>"$T/host3.log" &
M3=$!
pids="$pids $M3"
wait_for "$T/host3.out" '^session=' 20
[ "$(asked)" = 3 ] || fail "an unknown token: the chooser was asked $(asked) times in all"
grep -q '^0000' "$TOKEN_FILE" && fail "the unknown token was kept"
kill "$M3"
wait_exit "$M3" 10
note "e. the restore token skipped the chooser; an unknown one made it ask again" \
    "($(($(date +%s) - start)) s)"
exit 0
