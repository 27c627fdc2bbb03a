# The host takes control back while a viewer's connection is lost: the
# viewer that comes back (PROTOCOL.md 3.5, without a new question) must
# come back without control, as every viewer watching at that moment lost
# it. Then the host removes it while it is away again (console "kick
# SLOT" on its empty slot; the window's Remove on its "reconnecting" row
# does the same): it must not come back at all. The path is cut by
# stopping the proxy the viewer goes through, so the viewer stays away
# until the proxy listens again.
. "$(dirname "$0")/lib.sh"
start_relay relay
relay_port=${RELAY##*:}
start_master host "$RELAY"
proxy_port=$(free_port)
start_proxy() {
	python3 "$top/tests/tools/cut_proxy.py" "$proxy_port" "$relay_port" >"$T/proxy$1.out" \
	    2>"$T/proxy$1.log" &
	PROXY_PID=$!
	pids="$pids $PROXY_PID"
	wait_for "$T/proxy$1.out" '^listening' 10
}
start_proxy 1
start_viewer v "127.0.0.1:$proxy_port" "$SESSION" "$CODE" --transport tcp --quiet-frames
wait_for "$T/host.out" '^consent slot=' 20
master_cmd host y
wait_for "$T/v.out" '^allowed rights=control' 20
kill -9 "$PROXY_PID"
wait_for "$T/v.out" '^lost reason=' 10
wait_for "$T/host.out" '^away slot=' 10
master_cmd host take
master_cmd host "kick 16"       # its answer says that "take" was read before it
wait_for "$T/host.out" '^kick: no viewer in slot 16' 10
start_proxy 2
wait_for "$T/host.out" '^resumed slot=' 20
rights=$(sed -n 's/^resumed slot=.* rights=\([^ ]*\) .*/\1/p' "$T/host.out")
case "$rights" in
control*) fail "the viewer came back with control after the host took it: $rights" ;;
esac
wait_for "$T/v.out" '^allowed rights=view' 10
note "came back with rights=$rights"

# Away again, and removed: its resume is refused, it is not let in again.
kill -9 "$PROXY_PID"
i=0
until [ "$(count "$T/host.out" '^away slot=')" -ge 2 ]; do        # the second time away
	i=$((i + 1)); [ $i -lt 200 ] || fail "the viewer was not away a second time"
	sleep 0.05
done
slot=$(sed -n 's/^away slot=\([0-9]*\).*/\1/p' "$T/host.out" | tail -1)
master_cmd host "kick $slot"
wait_for "$T/host.out" "^left slot=$slot reason=\"removed by the host\"" 10
start_proxy 3
wait_for "$T/host.out" '^join slot=[0-9]* addr=[^ ]* refused: nobody away with that id' 20
sleep 1
[ "$(count "$T/host.out" '^resumed slot=')" = 1 ] ||
    fail "the removed viewer came back: $(grep resumed "$T/host.out")"
note "removed while away: its resume refused"
