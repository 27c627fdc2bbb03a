# SIGHUP: the relay reads its settings file again under the same command
# line, without dropping a session. A live session over TLS (real master,
# real viewer) keeps its frames flowing while max-viewers drops to 1 (a
# new viewer is refused FULL, where one was welcomed before), a new TLS
# handshake shows the new certificate (renewed in place), and a bad line
# or an unusable key is refused naming file and line while the running
# settings stay. Settings that need a restart are logged as such. A raised
# max-body reaches the sessions that start after the reload (also on a
# connection accepted before it); a live session keeps its own. Started
# as root with user = nobody, the relay listens and then runs as nobody
# (/proc/PID/status), reloads reading its files as nobody, refuses a
# state-dir nobody may not write and an unknown user before listening,
# and warns as root without user. log-format = json: every line parses.
. "$(dirname "$0")/lib.sh"
raw() { python3 "$top/tests/integration/rawclient.py" "$@" >>"$T/raw.log" 2>&1; }

# relay_conf NAME [ARGS...]: a relay on $T/relay.conf; sets RELAY, RELAY_PID.
relay_conf() {
	_n=$1; shift
	"$B/fernsicht-relay" --config "$T/relay.conf" "$@" >"$T/$_n.out" 2>"$T/$_n.log" &
	RELAY_PID=$!
	pids="$pids $RELAY_PID"
	wait_for "$T/$_n.out" '^listening=' 10
	RELAY=$(sed -n 's/^listening=//p' "$T/$_n.out" | head -1)
}

# hup LOG: SIGHUP to the relay, and wait for the reload's answer in LOG.
hup() {
	_before=$(count "$1" 'reload done|reload refused')
	kill -HUP "$RELAY_PID"
	_i=0
	until [ "$(count "$1" 'reload done|reload refused')" -gt "$_before" ]; do
		_i=$((_i + 1)); [ $_i -lt 100 ] || fail "no answer to SIGHUP in $(basename "$1")"
		sleep 0.05
	done
	kill -0 "$RELAY_PID" 2>/dev/null || fail "the relay died on SIGHUP"
}

# fingerprint ADDR: the SHA-256 fingerprint of the certificate a new TLS handshake shows.
fingerprint() {
	timeout 10 openssl s_client -connect "$1" -servername localhost </dev/null 2>/dev/null |
	    openssl x509 -noout -fingerprint -sha256
}

sh "$top/tests/tools/mkcert.sh" "$T/a" >/dev/null 2>&1 || fail "mkcert a"
sh "$top/tests/tools/mkcert.sh" "$T/b" >/dev/null 2>&1 || fail "mkcert b"
fp_a=$(openssl x509 -in "$T/a/server.pem" -noout -fingerprint -sha256)
fp_b=$(openssl x509 -in "$T/b/server.pem" -noout -fingerprint -sha256)
[ "$fp_a" != "$fp_b" ] || fail "the two test certificates are the same"
mkdir -p "$T/tls" "$T/state"
cp "$T/a/server.pem" "$T/tls/cert.pem"
cp "$T/a/server.key" "$T/tls/key.pem"

# --- at start: a bad line names file and line, and nothing listens
printf 'listen = 127.0.0.1:0\nlog-format = yaml\n' >"$T/relay.conf"
rc=0
timeout 10 "$B/fernsicht-relay" --config "$T/relay.conf" >"$T/bad.out" 2>"$T/bad.log" || rc=$?
[ "$rc" = 1 ] || fail "a bad log-format: exit $rc, not 1"
grep -q "relay\.conf:2: bad log-format 'yaml'" "$T/bad.log" || fail "no file:line for log-format"
grep -q '^listening=' "$T/bad.out" && fail "listened with a bad settings file"

# --- a relay with TLS, max-viewers 3, JSON logs
write_conf() {
	cat >"$T/relay.conf" <<END
listen = 127.0.0.1:0
state-dir = $T/state
tls-cert = $T/tls/cert.pem
tls-key = $T/tls/key.pem
log-format = json
max-viewers = $1
$2
END
}
write_conf 3 ""
relay_conf relay
grep -q '"msg":"listening on ' "$T/relay.log" || fail "no JSON log line for listening"

start_master host "$RELAY" --auto-accept --transport tls --ca-file "$T/a/ca.pem"
start_viewer v1 "$RELAY" "$SESSION" "$CODE" --transport tls --ca-file "$T/a/ca.pem"
V1_PID=$VIEWER_PID
_i=0
until [ "$(frames v1)" -ge 5 ]; do
	_i=$((_i + 1)); [ $_i -lt 400 ] || fail "the viewer shows no frames"; sleep 0.05
done
grep -q 'transport tls in use' "$T/v1.log" || fail "the viewer is not on TLS"
[ "$(fingerprint "$RELAY")" = "$fp_a" ] || fail "the relay does not show certificate a"
raw "$RELAY" join-ok "$SESSION" || fail "a second viewer was not welcomed with max-viewers 3"

# --- a bad line at reload: refused with file:line, the relay keeps the old values
write_conf 99 ""
hup "$T/relay.log"
grep -q "reload refused, the running settings stay: $T/relay.conf:6: bad max-viewers '99'" \
    "$T/relay.log" || fail "a bad line at reload was not refused with file:line"
raw "$RELAY" join-ok "$SESSION" || fail "after a refused reload max-viewers changed"

# --- an unusable key at reload: refused, the old certificate stays
write_conf 1 ""
cp "$T/b/server.pem" "$T/tls/cert.pem"
cp "$T/a/server.key" "$T/tls/key.pem"
hup "$T/relay.log"
grep -q 'reload refused.*TLS certificate or key unusable' "$T/relay.log" ||
    fail "a key that does not match the certificate was not refused"
[ "$(fingerprint "$RELAY")" = "$fp_a" ] || fail "a refused reload changed the certificate"
raw "$RELAY" join-ok "$SESSION" || fail "a refused reload changed max-viewers"

# --- a good reload: max-viewers 1, certificate b renewed in place, listen changed
cp "$T/b/server.key" "$T/tls/key.pem"
sed -i 's/^listen = .*/listen = 127.0.0.1:1/' "$T/relay.conf"
f0=$(frames v1)
hup "$T/relay.log"
grep -q 'reload: max-viewers 3 -> 1' "$T/relay.log" || fail "no max-viewers change logged"
grep -q 'listen changed: needs a restart' "$T/relay.log" || fail "listen: no 'needs a restart'"
raw "$RELAY" join-full "$SESSION" || fail "after max-viewers 1 a second viewer was not FULL"
[ "$(fingerprint "$RELAY")" = "$fp_b" ] || fail "a new handshake does not show certificate b"
# the live session (its TLS from before the swap) goes on: more frames, nobody left
_i=0
until [ "$(frames v1)" -ge $((f0 + 10)) ]; do
	_i=$((_i + 1)); [ $_i -lt 400 ] || fail "frames stopped after the reload ($(frames v1))"
	sleep 0.05
done
kill -0 "$V1_PID" 2>/dev/null || fail "the viewer ended after the reload"
[ "$(count "$T/v1.log" 'reconnect|resum|lost')" = 0 ] || fail "the viewer reconnected"
grep -q "left slot=1 " "$T/host.out" && fail "the viewer left the host after the reload"
# a new viewer over TLS with the new CA is no harm, but FULL all the same
python3 - "$T/relay.log" <<'PY' || fail "a log line is not JSON"
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    assert set(o) == {"time", "level", "prog", "msg"}, o
    assert o["prog"] == "fernsicht-relay" and o["level"] in ("debug", "info", "warn", "error")
    assert len(o["time"]) == 24 and o["time"].endswith("Z"), o["time"]
    n += 1
print("%d JSON lines" % n)
PY
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10
[ "$rc" = 0 ] || fail "the relay exited with $rc after SIGTERM"
grep -Eq 'Sanitizer|runtime error' "$T/relay.log" && fail "sanitizer report in relay.log"
note "reload: bad line and bad key refused, max-viewers 3 -> 1 with $(frames v1) frames and no drop, certificate a -> b"

# --- max-body: a session keeps the limit its WELCOME gave; one that starts
# after the reload gets the new one, also on a connection accepted before
cat >"$T/body.py" <<'PY'
import os, socket, struct, sys, time
sys.path.insert(0, sys.argv[2])
from rawclient import (DATA, E_TOO_LARGE, ERROR, PEER_JOIN, WELCOME, connect, frame, hello,
                       read_frame)
addr, go = sys.argv[1], sys.argv[3]


def welcome(s):
    f = read_frame(s)
    assert f and f[0] == WELCOME, f
    number, slot = struct.unpack(">IH", f[2][:6])
    body_max, = struct.unpack(">I", f[2][14:18])
    return number, slot, body_max


old = connect(addr)
old.sendall(hello(1))
n_old, _, b_old = welcome(old)
early = connect(addr)                   # accepted now, HELLO after the reload
print("before: body_max=%d" % b_old, flush=True)
while not os.path.exists(go):
    time.sleep(0.05)
early.sendall(hello(1))
n_new, _, b_new = welcome(early)
print("after: new session body_max=%d" % b_new)
v = connect(addr)
v.sendall(hello(2, session=n_new))
_, slot, vb = welcome(v)
assert vb == b_new, vb
f = read_frame(early)
assert f and f[0] == PEER_JOIN, f
big = bytes(range(256)) * (b_new // 256)
early.sendall(frame(DATA, big, flags=2, slot=slot, seq=1))
f = read_frame(v)
assert f and f[0] == DATA and f[2] == big, "the big frame did not arrive whole"
print("a %d-byte frame through the new session" % len(big))
v2 = connect(addr)
v2.sendall(hello(2, session=n_old))
_, _, vb2 = welcome(v2)
assert vb2 == b_old, "a viewer joining the old session was told %d" % vb2
old.sendall(frame(DATA, bytes(b_old + 1), slot=1, seq=1))
f = read_frame(old)
while f and f[0] != ERROR:
    f = read_frame(old)
assert f and struct.unpack(">H", f[2][:2])[0] == E_TOO_LARGE, f
print("the old session still refuses %d bytes" % (b_old + 1))
PY
write_conf 4 "max-body = 32768"
relay_conf body
python3 "$T/body.py" "$RELAY" "$top/tests/integration" "$T/go" >"$T/body.out" 2>&1 &
BODY_PID=$!
pids="$pids $BODY_PID"
wait_for "$T/body.out" '^before: body_max=32768$' 10
write_conf 4 "max-body = 1048576"
hup "$T/body.log"
touch "$T/go"
wait_exit "$BODY_PID" 30
[ "$rc" = 0 ] || fail "max-body at reload: $(cat "$T/body.out")"
grep -q '^after: new session body_max=1048576$' "$T/body.out" || fail "no new max-body"
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10
note "max-body: $(tail -1 "$T/body.out"), $(sed -n 3p "$T/body.out")"

# --- privilege drop: root only
if [ "$(id -u)" != 0 ]; then
	note "not root: privilege drop not tested here"
	exit 0
fi
nobody_uid=$(id -u nobody) || fail "no user nobody"
nobody_gid=$(id -g nobody)
chmod 755 "$T"
mkdir -p "$T/nstate"
chown nobody "$T/nstate"
printf 'listen = 127.0.0.1:0\nstate-dir = %s\nuser = nobody\nlog-format = json\n' \
    "$T/nstate" >"$T/relay.conf"
printf 'tls-cert = %s\ntls-key = %s\n' "$T/tls/cert.pem" "$T/tls/key.pem" >>"$T/relay.conf"
chmod 644 "$T/relay.conf" "$T/tls/cert.pem"
chmod 755 "$T/tls"
chown root:root "$T/tls/key.pem"
chmod 600 "$T/tls/key.pem"      # root reads it at start; nobody cannot
relay_conf dropped
_i=0
until grep -q 'running as user nobody' "$T/dropped.log"; do
	_i=$((_i + 1)); [ $_i -lt 100 ] || fail "no 'running as user nobody'"; sleep 0.05
done
uids=$(sed -n 's/^Uid:[[:space:]]*//p' "/proc/$RELAY_PID/status" | tr -s '\t ' ' ')
gids=$(sed -n 's/^Gid:[[:space:]]*//p' "/proc/$RELAY_PID/status" | tr -s '\t ' ' ')
[ "$uids" = "$nobody_uid $nobody_uid $nobody_uid $nobody_uid" ] ||
    fail "Uid after listening: $uids, not nobody's $nobody_uid"
[ "$gids" = "$nobody_gid $nobody_gid $nobody_gid $nobody_gid" ] ||
    fail "Gid after listening: $gids, not nobody's $nobody_gid"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$RELAY_PID/status" || fail "no NoNewPrivs"
# it still serves, and a reload reads the files as nobody: a key only root
# may read is refused and the running settings stay; one nobody's group
# may read is taken
raw "$RELAY" forward || fail "the relay does not forward after dropping root"
printf 'max-viewers = 2\n' >>"$T/relay.conf"
hup "$T/dropped.log"
grep -q 'reload refused.*key.pem.*Permission denied\|reload refused.*key.pem.*ermission' \
    "$T/dropped.log" || fail "a key only root may read was not refused at reload"
grep -q 'reload: max-viewers' "$T/dropped.log" && fail "a refused reload changed max-viewers"
chgrp "$nobody_gid" "$T/tls/key.pem"
chmod 640 "$T/tls/key.pem"
hup "$T/dropped.log"
grep -q 'reload: max-viewers 16 -> 2' "$T/dropped.log" || fail "no reload as nobody"
[ "$(fingerprint "$RELAY")" = "$fp_b" ] || fail "the relay as nobody shows no certificate"
kill "$RELAY_PID"
wait_exit "$RELAY_PID" 10
[ "$rc" = 0 ] || fail "the relay as nobody exited with $rc after SIGTERM"
grep -Eq 'Sanitizer|runtime error' "$T/dropped.log" && fail "sanitizer report in dropped.log"
[ -s "$T/nstate/numbers" ] || fail "nobody wrote no numbers into its state-dir"

# a state-dir nobody may not write: a clear error, exit 1
mkdir -p "$T/rootstate"
chmod 755 "$T/rootstate"
rc=0
timeout 10 "$B/fernsicht-relay" --listen 127.0.0.1:0 --state-dir "$T/rootstate" --user nobody \
    >"$T/nowrite.out" 2>"$T/nowrite.log" || rc=$?
[ "$rc" = 1 ] || fail "a state-dir nobody may not write: exit $rc, not 1"
grep -q "state-dir $T/rootstate: user nobody may not write there" "$T/nowrite.log" ||
    fail "no clear error for the state-dir"
rc=0
timeout 10 "$B/fernsicht-relay" --listen 127.0.0.1:0 --user no-such-user-here \
    >"$T/nouser.out" 2>"$T/nouser.log" || rc=$?
[ "$rc" = 1 ] || fail "an unknown user: exit $rc, not 1"
grep -q 'cannot become user no-such-user-here: .*no such user' "$T/nouser.log" ||
    fail "no error naming the unknown user"
grep -q '^listening=' "$T/nouser.out" && fail "listened before finding the user unknown"

# as root without user: a warning
start_relay root
grep -q 'running as root: set user' "$T/root.log" || fail "no warning as root without user"
note "privilege drop: uid/gid $uids/$gids after listening, state-dir checked, root warned"
