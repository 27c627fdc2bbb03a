# A master may ask for the file drop's next grant (GRANT) when a viewer
# that had it is gone: that is a handful a session. A hostile master that
# sends GRANT in a loop must not make the relay write a line to its log
# for each one (one 16-byte frame in, one info line out).
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/drop"
start_relay relay --drop-dir "$T/drop"
python3 - "$RELAY" >"$T/flood.out" 2>&1 <<'PY' || fail "flood client: $(cat "$T/flood.out")"
import socket, struct, sys
h, p = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((h, int(p)))
body = b"FSHT" + bytes([1, 1]) + struct.pack(">I", 0) + struct.pack(">H", 5) + b"flood"
s.sendall(struct.pack(">IBBHQ", len(body), 1, 0, 0, 0) + body)
def rd(n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise SystemExit("closed after %d bytes" % len(b))
        b += c
    return b
n, t, _, _, _ = struct.unpack(">IBBHQ", rd(16)); rd(n)
if t != 2:
    raise SystemExit("no WELCOME: type %d" % t)
N = 2000
got = 0
for _ in range(N // 100):
    s.sendall(struct.pack(">IBBHQ", 0, 14, 0, 0, 0) * 100)
    for _ in range(100):
        n, t, _, _, _ = struct.unpack(">IBBHQ", rd(16)); rd(n)
        got += t == 14
print("grants=%d" % got)
PY
lines=$(grep -c 'renewed' "$T/relay.log")
note "$(cat "$T/flood.out"); $lines 'renewed' lines in the relay's log"
[ "$lines" -le 50 ] || fail "2000 GRANTs of one master wrote $lines lines to the relay's log"
