#!/bin/sh
# scripts/demo.sh - `make demo`: a local relay, a master and a viewer.
#
# With a display ($DISPLAY set): the master shares this X display and shows
# its window (number, code, consent), the viewer opens its window with the
# code filled in; allow it in the host's window, close either window to end.
# Without a display: a headless master shares the moving test pattern and a
# headless viewer records 50 frames as PPM images, sends a little input and
# a chat line, and everything stops by itself.
# Everything runs on 127.0.0.1.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
b=${BUILD:-$top/build}
out=$top/build/demo
rm -rf "$out"
mkdir -p "$out/frames"
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

say() { printf '\n== %s\n' "$*"; }

say "starting the relay on 127.0.0.1 (a free port)"
"$b/fernsicht-relay" --listen 127.0.0.1:0 --state-dir "$out" >"$out/relay.out" 2>"$out/relay.log" &
pids="$pids $!"
i=0
until grep -q '^listening=' "$out/relay.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$out/relay.log"; exit 1; }; sleep 0.05
done
relay=$(sed -n 's/^listening=//p' "$out/relay.out" | head -1)
echo "relay listens on $relay"

if [ -n "${DISPLAY:-}" ] && [ "${DEMO_HEADLESS:-0}" != 1 ]; then
	say "starting the master on $DISPLAY (its window asks you before anyone may watch)"
	"$b/fernsicht-master" --relay "$relay" --source x11 --name demo-host \
	    >"$out/master.out" 2>"$out/master.log" &
	pids="$pids $!"
	i=0
	until grep -q '^session=' "$out/master.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { cat "$out/master.log"; exit 1; }; sleep 0.05
	done
	line=$(grep '^session=' "$out/master.out" | tail -1)
	session=$(echo "$line" | sed 's/session=\([0-9]*\) .*/\1/')
	code=$(echo "$line" | sed 's/.*code=\([0-9]*\)/\1/')
	say "the viewer joins session $session with code $code: allow it in the host's window"
	"$b/fernsicht-viewer" --relay "$relay" "$session" --code "$code" --name demo-supporter \
	    >"$out/viewer.out" 2>"$out/viewer.log" || true
	cat "$out/viewer.out"
	exit 0
fi

say "starting the master (headless, test pattern, asks nobody: --auto-accept)"
mkfifo "$out/master.in"
"$b/fernsicht-master" --relay "$relay" --headless --source test-pattern --auto-accept \
	--print-input --chat "hello from the host" --name demo-host \
	<"$out/master.in" >"$out/master.out" 2>"$out/master.log" &
pids="$pids $!"
exec 3>"$out/master.in"
i=0
until grep -q '^session=' "$out/master.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$out/master.log"; exit 1; }; sleep 0.05
done
line=$(grep '^session=' "$out/master.out" | tail -1)
session=$(echo "$line" | sed 's/session=\([0-9]*\) .*/\1/')
code=$(echo "$line" | sed 's/.*code=\([0-9]*\)/\1/')
echo "the host's window would show:  Session $session   Code $code"

say "a supporter joins: fernsicht-viewer --relay $relay $session --code $code --headless"
cat >"$out/input.txt" <<'IN'
pointer 640 360
button 1 down
button 1 up
type hello
chat thanks, I can see your screen
IN
"$b/fernsicht-viewer" --relay "$relay" "$session" --code "$code" --headless \
	--record "$out/frames/" --frames 50 --input-script "$out/input.txt" \
	--name demo-supporter --quiet-frames >"$out/viewer.out" 2>"$out/viewer.log" || true
cat "$out/viewer.out"

say "what the host saw"
grep -v '^input' "$out/master.out" || true
echo "input events received: $(grep -c '^input' "$out/master.out" || true)"

say "the host ends the session"
echo end >&3
sleep 0.5
n=$(ls "$out/frames" | wc -l)
echo "$n frames recorded in $out/frames (PPM: open with any image viewer)"
say "relay log (no payload bytes are ever logged)"
cat "$out/relay.log"
[ "$n" -gt 0 ]
