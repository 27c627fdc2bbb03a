# Coming back after a lost connection, without the code or a new question
# (PROTOCOL.md 3.5), and what a hostile path can do about it:
#  1. the viewer's connection is cut: it comes back by itself, the host is
#     not asked again, frames flow again;
#  2. a recording of that way back, replayed on another connection, is
#     refused (the host answers with a fresh OFFER), and the real viewer
#     still comes back afterwards;
#  3. a viewer naming an id the host does not know is refused at once
#     (HS_ABORT 13), without costing a code guess;
#  4. the relay is killed (SIGKILL) and started again on its state: the
#     master gets its number back with its ticket and the viewer returns;
#  5. --resume-grace 0: the first loss ends the viewer (exit 2).
. "$(dirname "$0")/lib.sh"
start_relay relay
relay_port=${RELAY##*:}
start_master host "$RELAY"
first=$SESSION
proxy_port=$(free_port)
python3 "$top/tests/tools/cut_proxy.py" "$proxy_port" "$relay_port" >"$T/proxy.out" \
    2>"$T/proxy.log" &
PROXY_PID=$!
pids="$pids $PROXY_PID"
wait_for "$T/proxy.out" '^listening' 10
start_viewer v "127.0.0.1:$proxy_port" "$SESSION" "$CODE" --transport tcp --quiet-frames
V=$VIEWER_PID
wait_for "$T/host.out" '^consent slot=' 20
master_cmd host y
wait_for "$T/v.out" '^allowed ' 20
wait_for "$T/v.out" '^key epoch=' 20

# 1. Cut: away, then back with the same rights and no second question.
epochs=$(count "$T/v.out" '^key epoch=')
kill -USR1 "$PROXY_PID"
wait_for "$T/v.out" '^lost reason=' 10
wait_for "$T/v.out" '^resumed session=' 20
wait_for "$T/host.out" '^resumed slot=' 10
grep -q '^away slot=' "$T/host.out" || fail "the host did not keep the viewer's place"
[ "$(count "$T/host.out" '^consent slot=')" = 1 ] || fail "the host was asked again"
grep '^resumed slot=' "$T/host.out" | grep -q 'rights=control,clipboard,files' ||
    fail "the viewer came back with other rights"
grep -q '^closed ' "$T/v.out" && fail "the viewer closed instead of coming back"
wait_for "$T/v.out" '^allowed ' 10
_i=0
until [ "$(count "$T/v.out" '^key epoch=')" -gt "$epochs" ]; do
	_i=$((_i + 1)); [ $_i -lt 200 ] || fail "no new session key after coming back"; sleep 0.05
done
note "cut: $(grep '^resumed session=' "$T/v.out" | tail -1)"

# 2. Capture the next way back, keep its HS_CONFIRM, replay it elsewhere.
kill -USR2 "$PROXY_PID"
wait_for "$T/proxy.out" '^armed' 5
kill -USR1 "$PROXY_PID"
wait_for "$T/proxy.out" '^captured hint=resume:' 20
wait_for "$T/proxy.out" '^replay ' 20
grep -q '^replay refused reason=1$' "$T/proxy.out" ||
    fail "the replayed resume was not refused by key confirmation: $(grep '^replay ' "$T/proxy.out")"
_i=0
until [ "$(count "$T/v.out" '^resumed session=')" -ge 2 ]; do
	_i=$((_i + 1)); [ $_i -lt 600 ] || fail "the viewer did not come back after the replay"
	sleep 0.05
done
[ "$(count "$T/v.out" '^resumed session=')" = 2 ] || fail "the viewer did not come back after the replay"
[ "$(count "$T/host.out" '^resumed slot=')" = 2 ] || fail "the host let in $(count "$T/host.out" '^resumed slot=') resumes, want 2"
[ "$(count "$T/host.out" '^consent slot=')" = 1 ] || fail "the host was asked again"
note "replay: $(grep '^replay ' "$T/proxy.out")"

# 3. An id nobody knows: refused before any OFFER, no guess counted.
python3 - "$relay_port" "$SESSION" >"$T/unknown.out" 2>&1 <<'EOF' || fail "unknown id: $(cat "$T/unknown.out")"
import socket, struct, sys
port, session = int(sys.argv[1]), int(sys.argv[2])
hint = b"resume:0123456789abcdef"
body = b"FSHT" + bytes([1, 2]) + struct.pack(">IH", session, len(hint)) + hint
s = socket.create_connection(("127.0.0.1", port), 5)
s.settimeout(10)
s.sendall(struct.pack(">IBBHQ", len(body), 1, 0, 0, 0) + body)
buf = b""
while True:
    while len(buf) < 16 or len(buf) < 16 + struct.unpack(">I", buf[:4])[0]:
        b = s.recv(4096)
        if not b:
            sys.exit("closed without an answer")
        buf += b
    n, t, flags = struct.unpack(">IBB", buf[:6])
    body, buf = buf[16:16 + n], buf[16 + n:]
    if t == 4 and flags == 1:
        if body[0] == 5 and body[1] == 13:
            print("refused 13")
            sys.exit(0)
        sys.exit("handshake message %d instead of HS_ABORT 13" % body[0])
EOF
grep -q '^code-failed' "$T/host.out" && fail "an unknown resume id counted as a code guess"

# 4. The relay dies; it comes back on the same port and state: same number.
kill -KILL "$RELAY_PID"
killed=$(date +%s%N)
wait_for "$T/v.out" '^lost reason=' 10
RELAY_PORT=$relay_port start_relay relay2
wait_for "$T/host.out" "^resumed session=$first" 30
until [ "$(count "$T/v.out" '^resumed session=')" = 3 ]; do
	kill -0 "$V" 2>/dev/null || fail "the viewer gave up after the relay restart"
	sleep 0.05
done
back=$(date +%s%N)
[ "$(count "$T/host.out" '^consent slot=')" = 1 ] || fail "the host was asked again after the restart"
grep '^session=' "$T/host.out" | grep -qv "^session=$first " &&
    fail "the master came back with a new number"
note "relay SIGKILL to viewer back: $(( (back - killed) / 1000000 )) ms"

# 5. A viewer that does not come back: exit 2 at the first loss.
CODE=$(latest_code host)
start_viewer w "$RELAY" "$first" "$CODE" --resume-grace 0
wait_for "$T/host.out" '^consent slot=.*name="w"' 20
master_cmd host y
wait_for "$T/w.out" '^allowed ' 20
kill -KILL "$RELAY_PID"
wait_exit "$VIEWER_PID" 10
[ "$rc" = 2 ] || fail "--resume-grace 0: exit $rc, want 2"
true
