# A path that dies in silence (no reset, nothing more comes: a Wi-Fi
# gone, a NAT that forgot the connection; cut_proxy.py's freeze throws
# away whatever comes on the connections it carried): the viewer notices
# within a few PING intervals (two, and two more since the proxy's TCP
# acknowledges its PING) that nothing is heard and comes back over a
# new connection, with its rights and no second question to the host;
# the host's own connection to the relay, frozen the same way, is made
# again with its ticket (same number), and the viewer follows. Without
# that, TCP reports such a path only when its retries run out, about a
# quarter of an hour later, and the supporter looks at a still
# picture meanwhile. A live but quiet session is not taken for a dead one.
# The relay's idle timeout of 3 s makes both ends PING every second.
. "$(dirname "$0")/lib.sh"
start_relay relay --idle-timeout-ms 3000
relay_port=${RELAY##*:}
# proxy NAME: a cut_proxy.py to the relay; NAME_PORT and NAME_PID.
proxy() {
	_p=$(free_port)
	python3 "$top/tests/tools/cut_proxy.py" "$_p" "$relay_port" >"$T/$1.out" \
	    2>"$T/$1.log" &
	pids="$pids $!"
	eval "$1_PORT=$_p $1_PID=$!"
	wait_for "$T/$1.out" '^listening' 10
}
proxy mproxy
proxy proxy
PROXY_PID=$proxy_PID
proxy_port=$proxy_PORT
start_master host "127.0.0.1:$mproxy_PORT" --fps 5 --transport tcp
start_viewer v "127.0.0.1:$proxy_port" "$SESSION" "$CODE" --transport tcp
wait_for "$T/host.out" '^consent slot=' 20
master_cmd host y
wait_for "$T/v.out" '^allowed ' 20
wait_for "$T/v.out" '^frame ' 20

# Alive: six PING intervals with nothing lost.
sleep 6
grep -q '^lost ' "$T/v.out" &&
    fail "a live session taken for a dead one: $(grep '^lost ' "$T/v.out")"

# Silent: lost after about two seconds, back over a new connection.
kill -HUP "$PROXY_PID"
wait_for "$T/proxy.out" '^frozen 1$' 5
start=$(date +%s)
wait_for "$T/v.out" '^lost reason="no answer from the other end for [0-9]+ s"' 15
secs=$(( $(date +%s) - start ))
wait_for "$T/v.out" '^resumed session=' 20
wait_for "$T/host.out" '^resumed slot=' 10
[ "$(count "$T/host.out" '^consent slot=')" = 1 ] || fail "the host was asked again"
grep '^resumed slot=' "$T/host.out" | grep -q 'rights=control,clipboard,files' ||
    fail "the viewer came back with other rights: $(grep '^resumed slot=' "$T/host.out")"
more_frames v 5 "no frames after coming back"
note "frozen path: $(grep '^lost ' "$T/v.out" | tail -1) (noticed after about $secs s); resumed"

# The host's path goes silent: it reconnects with its ticket, the
# viewer (whose relay connection the relay closed with the old room)
# comes back to the same number.
resumed=$(count "$T/v.out" '^resumed session=')
kill -HUP "$mproxy_PID"
wait_for "$T/mproxy.out" '^frozen 1$' 5
wait_for "$T/host.log" 'no answer from the relay for [0-9]+ s' 15
wait_for "$T/relay.log" "welcome conn=[0-9]+ .* master number=$SESSION \\(resumed\\)" 15
_i=0
until [ "$(count "$T/v.out" '^resumed session=')" -gt "$resumed" ]; do
	_i=$((_i + 1))
	[ $_i -lt 400 ] || fail "the viewer did not come back after the host reconnected"
	sleep 0.05
done
grep '^resumed session=' "$T/v.out" | tail -1 | grep -q "session=$SESSION" ||
    fail "not the same number: $(grep '^resumed session=' "$T/v.out" | tail -1)"
[ "$(count "$T/host.out" '^consent slot=')" = 1 ] || fail "the host was asked again"
note "frozen host path: $(grep -o 'no answer from the relay for [0-9]* s' \
    "$T/host.log" | tail -1); same number $SESSION, viewer back"
