# The long-poll tier through a proxy that cuts every answer mid-way
# (tests/tools/cutproxy.py): the viewer resumes each time from what it
# received; no frame is lost or doubled (the record layer would end the
# stream with exit 5 if one were), and the session carries on.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache"
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
start_relay relay
start_master host "$RELAY" --auto-accept --transport tcp --size 640x480 --fps 30
python3 "$top/tests/tools/cutproxy.py" 30000 >"$T/cut.out" 2>"$T/cut.log" &
pids="$pids $!"
wait_for "$T/cut.out" '^listening=' 10
CUT=$(sed -n 's/^listening=//p' "$T/cut.out")
http_proxy="http://$CUT" "$B/fernsicht-viewer" --relay "$RELAY" "$SESSION" \
    --code "$(latest_code host)" --headless --name cutme --frames 60 --transport http \
    >"$T/v.out" 2>"$T/v.log" &
p=$!
pids="$pids $p"
wait_exit $p 60
[ "$rc" = 0 ] || fail "viewer behind the cutting proxy: exit $rc"
cuts=$(grep -c '^cut ' "$T/cut.out")
[ "$cuts" -ge 3 ] || fail "the proxy cut only $cuts answers: the test proves nothing"
note "$cuts long-poll answers cut mid-way; 60 frames arrived whole and in order"
