# The two windows in a real session: the host's display (its own window
# with number, code and consent prompt) and the supporter's display (the
# viewer window showing the host's screen). The host allows the viewer by
# clicking in its window; screenshots of both are kept in
# build/screenshots/ for people to look at.
. "$(dirname "$0")/lib.sh"
shots=$top/build/screenshots
mkdir -p "$shots"
start_xvfb 1024x768
HOST=$DISPLAY
start_xvfb 1280x800
DESK=$DISPLAY
export DISPLAY="$HOST"
"$B/tools/x11_paint" 560 60 400 260 11 >"$T/paint.out" 2>&1 &
pids="$pids $!"
wait_for "$T/paint.out" '^painted' 10
# (its output to a file: an xterm left behind must not hold the runner's pipe)
xterm -geometry 70x22+20+300 -e sh -c 'head -n 18 /usr/share/common-licenses/GPL-3; sleep 600' \
    </dev/null >"$T/xterm.log" 2>&1 &
pids="$pids $!"
start_relay relay
# The host's window: consent by click.
mkfifo "$T/host.in"
HOSTUI_DEBUG=1 SDL_VIDEODRIVER=x11 "$B/fernsicht-master" --relay "$RELAY" --source x11 \
    --name "host" --fps 20 <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
MASTER_PID=$!
pids="$pids $MASTER_PID"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10
line=$(grep '^session=' "$T/host.out" | tail -1)
SESSION=$(echo "$line" | sed 's/session=\([0-9]*\) .*/\1/')
CODE=$(echo "$line" | sed 's/.*code=\([0-9]*\).*/\1/')
WIN=$(timeout 10 xdotool search --sync --name 'Fernsicht' | head -1)
[ -n "$WIN" ] || fail "no host window"

DISPLAY=$DESK SDL_VIDEODRIVER=x11 "$B/fernsicht-viewer" --relay "$RELAY" "$SESSION" \
    --code "$CODE" --name "support-desk" --screenshot "$shots/viewer-session.bmp" \
    >"$T/v.out" 2>"$T/v.log" &
VIEWER_PID=$!
pids="$pids $VIEWER_PID"
wait_for "$T/host.out" '^consent slot=1 name="support-desk"' 20
# The prompt names the viewer; its button is armed after a moment.
i=0
while btn=$(awk '/^redraw /{r = ""} $1 == "button" && $2 == "ALLOW_CONTROL" && $3 == 1 {
    r = $4 " " $5 " " $6 " " $7} END {print r}' "$T/host.log"); [ -z "$btn" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "no Allow button drawn"; sleep 0.05
done
sleep 1
set -- $btn
xwd -root -silent -out "$shots/host-consent.xwd" || fail "xwd"
xdotool mousemove --window "$WIN" $(($1 + $3 / 2)) $(($2 + $4 / 2)) click 1
wait_for "$T/host.out" '^allowed slot=1 rights=control' 10
wait_for "$T/v.out" '^frame n=1 ' 20
sleep 1
xwd -root -silent -out "$shots/host-session.xwd" || fail "xwd"
DISPLAY=$DESK xwd -root -silent -out "$shots/viewer-session.xwd" || fail "xwd"
kill -TERM "$VIEWER_PID"
wait_exit "$VIEWER_PID" 10
[ -s "$shots/viewer-session.bmp" ] || fail "the viewer saved no screenshot"
for f in host-consent host-session viewer-session; do
	python3 "$top/tests/tools/xwd2ppm.py" "$shots/$f.xwd" "$T/$f.ppm" &&
	    python3 "$top/tests/tools/topng.py" "$T/$f.ppm" "$shots/$f.png" ||
	    fail "cannot convert $f"
done
note "screenshots: build/screenshots/{host-consent,host-session,viewer-session}.png"
