# LAN upgrade in network namespaces: the master and one viewer share a LAN
# (namespace "lan"), the relay is reachable from there and from a second
# network (namespace "far"). The viewer on the LAN moves to a direct
# connection after the handshake over a token only the two ends hold; the
# relay then carries none of its screen bytes. The far viewer cannot reach
# the LAN address and stays on the relay. Only veth pairs and private
# addresses made by this test; all removed at the end.
. "$(dirname "$0")/lib.sh"
command -v ip >/dev/null || fail "ip (iproute2) is missing"
[ "$(id -u)" = 0 ] || fail "network namespaces need root (make check runs as root)"
tag=$$
NL=fs-lan-$tag
NF=fs-far-$tag
netns_cleanup() {
	ip netns del "$NL" 2>/dev/null
	ip netns del "$NF" 2>/dev/null
	ip link del "fsl$tag" 2>/dev/null
	ip link del "fsf$tag" 2>/dev/null
}
trap 'cleanup; netns_cleanup' EXIT
ip netns add "$NL" || fail "ip netns add"
ip netns add "$NF" || fail "ip netns add"
ip link add "fsl$tag" type veth peer name eth0 netns "$NL" || fail "veth"
ip link add "fsf$tag" type veth peer name eth0 netns "$NF" || fail "veth"
ip addr add 10.231.1.1/24 dev "fsl$tag" && ip link set "fsl$tag" up
ip addr add 10.231.2.1/24 dev "fsf$tag" && ip link set "fsf$tag" up
ip -n "$NL" addr add 10.231.1.2/24 dev eth0 && ip -n "$NL" link set eth0 up && ip -n "$NL" link set lo up
ip -n "$NF" addr add 10.231.2.2/24 dev eth0 && ip -n "$NF" link set eth0 up && ip -n "$NF" link set lo up
# The far network knows a route to the relay's address only, not to the
# LAN (whatever the host's forwarding setting is).
ip -n "$NF" route add 10.231.1.1/32 via 10.231.2.1 || fail "route"

# The relay listens in the root namespace, on the LAN's near end.
"$B/fernsicht-relay" --listen 10.231.1.1:0 --state-dir "$T" >"$T/relay.out" 2>"$T/relay.log" &
pids="$pids $!"
wait_for "$T/relay.out" '^listening=' 10
port=$(sed -n 's/^listening=.*://p' "$T/relay.out")

mkfifo "$T/host.in"
ip netns exec "$NL" "$B/fernsicht-master" --relay "10.231.1.1:$port" --lan 0.0.0.0:0 \
    --headless --source test-pattern --auto-accept --fps 20 --name lanhost \
    <"$T/host.in" >"$T/host.out" 2>"$T/host.log" &
pids="$pids $!"
sleep 1000000 >"$T/host.in" &
pids="$pids $!"
wait_for "$T/host.out" '^session=' 10
SESSION=$(grep '^session=' "$T/host.out" | tail -1 | sed 's/session=\([0-9]*\) .*/\1/')
ip netns exec "$NL" "$B/fernsicht-viewer" --relay "10.231.1.1:$port" "$SESSION" \
    --code "$(latest_code host)" --headless --frames 60 --name near \
    >"$T/near.out" 2>"$T/near.log" &
pn=$!
pids="$pids $pn"
wait_for "$T/near.out" '^direct: connected directly to 10\.231\.1\.2:' 20
wait_for "$T/host.out" '^direct slot=[0-9]+ replaces slot=1 ' 10
wait_exit "$pn" 30
[ "$rc" = 0 ] || fail "the viewer on the LAN: exit $rc"
after=$(sed -n '/^direct: connected/,$p' "$T/near.out" | grep -c '^frame ')
[ "$after" -ge 10 ] || fail "only $after frames after the move"

# The far viewer reaches the relay, not the LAN.
ip netns exec "$NF" "$B/fernsicht-viewer" --relay "10.231.1.1:$port" "$SESSION" \
    --code "$(latest_code host)" --headless --frames 20 --name far \
    >"$T/far.out" 2>"$T/far.log" || fail "the far viewer failed: $(tail -1 "$T/far.out")"
grep -q '^frame n=20 ' "$T/far.out" || fail "the far viewer got no frames"
grep -q '^direct: connected' "$T/far.out" && fail "the far viewer went direct"
grep -q '^direct: .*unreachable' "$T/far.out" || fail "the far viewer did not try the LAN address"
# The relay: the near viewer's relayed connection closed at the move.
near_out=$(grep 'name="near"' "$T/relay.log" | head -1 | sed 's/.*conn=\([0-9]*\) .*/\1/')
bytes=$(grep "close conn=$near_out " "$T/relay.log" | sed -n 's/.* out=\([0-9]*\).*/\1/p')
note "near viewer moved to the LAN ($after frames after the move; the relay carried $bytes bytes before it); far viewer stayed on the relay"
