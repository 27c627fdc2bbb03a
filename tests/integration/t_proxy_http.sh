# t_proxy_http: the HTTP long-poll tier (T3) against the relay's own
# tunnel (it sniffs HTTP on its one port). Directly, and through tinyproxy
# as a plain GET/POST proxy with Basic authentication (http_proxy, as curl
# reads it), which sees every re-issued long poll.
. "$(dirname "$0")/lib.sh"

command -v tinyproxy >/dev/null || fail "tinyproxy is not installed (make deps)"
export XDG_CACHE_HOME="$T/cache"
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

start_relay relay
start_master host "$RELAY" --auto-accept --transport tcp
MOCK=$RELAY

# 60 frames of the pattern take several rx answers (each ends at 256 KiB).
"$B/fernsicht-viewer" --relay "$MOCK" "$SESSION" --code "$(latest_code host)" --headless \
    --name direct --frames 60 --transport http >"$T/direct.out" 2>"$T/direct.log" &
p=$!
pids="$pids $p"
wait_exit $p 40
[ "$rc" = 0 ] || fail "http tier: viewer exit $rc"
grep -q 'transport http in use' "$T/direct.log" || fail "no 'transport http in use'"

TP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$T/tinyproxy.conf" <<EOF
Port $TP_PORT
Listen 127.0.0.1
Timeout 60
LogLevel Info
MaxClients 20
Allow 127.0.0.1
BasicAuth fern secret1
EOF
tinyproxy -d -c "$T/tinyproxy.conf" >"$T/tinyproxy.log" 2>&1 &
pids="$pids $!"
_i=0
until grep -q 'listening on\|Listening on' "$T/tinyproxy.log" 2>/dev/null; do
	_i=$((_i + 1)); [ $_i -lt 100 ] || break; sleep 0.05
done
sleep 0.2
http_proxy="http://fern:secret1@127.0.0.1:$TP_PORT" "$B/fernsicht-viewer" --relay "$MOCK" \
    "$SESSION" --code "$(latest_code host)" --headless --name viaproxy --frames 60 \
    --transport http >"$T/viaproxy.out" 2>"$T/viaproxy.log" &
p=$!
pids="$pids $p"
wait_exit $p 40
[ "$rc" = 0 ] || fail "http tier through tinyproxy: viewer exit $rc"
grep -q 'GET http://127.0.0.1:.*/v1/rx' "$T/tinyproxy.log" ||
    fail "the tunnel did not go through tinyproxy"
rx=$(grep -c 'GET http://127.0.0.1:.*/v1/rx' "$T/tinyproxy.log")
[ "$rx" -ge 2 ] || fail "only $rx rx requests through the proxy: the long poll was not re-issued"
note "http tier against the relay: 60 frames directly, and through tinyproxy with $rx long polls"
