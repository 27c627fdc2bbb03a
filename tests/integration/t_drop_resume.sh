# A viewer's drop for the host (docs/PROTOCOL.md 3.2.2) survives a lost
# connection: the viewer's path to the relay (a slow line, so that the
# upload is still running) is cut while it uploads; the viewer comes back
# (section 3.5), the upload goes on from what the relay has, the host gets
# its link and fetches the file byte-identical, and the headless viewer
# leaves with exit 0.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
mkdir -p "$HOME" "$T/drop" "$T/hin" "$T/vhome" "$T/src"
start_relay relay --drop-dir "$T/drop"
start_master host "$RELAY" --auto-accept --inbox "$T/hin"
head -c 3000000 /dev/urandom >"$T/src/up.bin"

# viewer -> cut_proxy -> link_shaper (16 Mbit/s: the upload takes ~1.5 s) -> relay
"$B/tools/link_shaper" 0 "$RELAY" 16000 5 >"$T/shaper.out" 2>"$T/shaper.log" &
pids="$pids $!"
wait_for "$T/shaper.out" '^listening' 5
proxy_port=$(free_port)
python3 "$top/tests/tools/cut_proxy.py" "$proxy_port" "$(sed -n 's/^listening //p' \
    "$T/shaper.out")" >"$T/proxy.out" 2>"$T/proxy.log" &
PROXY_PID=$!
pids="$pids $PROXY_PID"
wait_for "$T/proxy.out" '^listening' 10

HOME="$T/vhome" start_viewer v "127.0.0.1:$proxy_port" "$SESSION" "$CODE" --transport tcp \
    --quiet-frames --drop "$T/src/up.bin"
wait_for "$T/v.out" '^drop-started ' 20
kill -USR1 "$PROXY_PID"
wait_for "$T/v.out" '^lost reason=' 10
wait_for "$T/v.out" '^resumed session=' 20
wait_exit "$VIEWER_PID" 30
[ "$rc" = 0 ] || fail "the viewer's drop across a lost connection: exit $rc:" \
    "$(grep '^drop' "$T/v.out" | tr '\n' '|')"
wait_for "$T/host.out" '^drop-offer slot=[0-9]* link=' 10
hlink=$(sed -n 's/^drop-offer slot=[0-9]* link="\(.*\)"$/\1/p' "$T/host.out")
master_cmd host "fetch $hlink"
wait_for "$T/host.out" '^(drop-fetched|fetch-failed) ' 20
cmp -s "$T/src/up.bin" "$T/hin/up.bin" || fail "the file the host fetched differs"
note "cut during the upload: resumed, the host got its link, the file is identical"
master_cmd host end
exit 0
