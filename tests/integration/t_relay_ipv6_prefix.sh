# One host has a whole IPv6 /64 to pick addresses from: the relay's
# per-address limits hold per /64. Runs in a private network namespace
# (unshare -n) whose loopback carries fd00::1..fd00::40 (one /64) and
# fd00:0:0:N::x (other /64s); every connection comes from an address of
# its own, and the second /64 is never held back by the first.
#
#   --conns-per-ip 3: a 4th connection from the /64 is refused (RATE)
#   8 silent connections (RELAY_PREAUTH_PER_IP_MAX): the 9th is refused
#   joins: RELAY_JOIN_BURST from the /64, then RATE
#   guesses: RELAY_UNKNOWN_JOIN_BURST misses from the /64, then RATE
#
# Without network namespaces the test is skipped: test_relay_limit covers
# the key itself.
if [ -z "${FERNSICHT_NETNS:-}" ]; then
	for u in "unshare -n" "unshare -rn"; do
		if $u sh -c 'ip link set lo up && ip -6 addr add fd00::1/64 dev lo nodad' \
		    >/dev/null 2>&1; then
			FERNSICHT_NETNS=1 exec $u sh "$0" "$@"
		fi
	done
	echo "  SKIPPED: no private network namespace with IPv6 (unshare -n); /64 keys are"
	echo "  covered by tests/unit/test_relay_limit.c only"
	exit 0
fi
. "$(dirname "$0")/lib.sh"
ip link set lo up || fail "lo up"
for a in $(seq 1 64); do
	ip -6 addr add "fd00::$(printf %x "$a")/64" dev lo nodad || fail "address fd00::$a"
done
for n in 1 2 3; do
	for a in 1 2 3 4 5; do
		ip -6 addr add "fd00:0:0:$n::$a/64" dev lo nodad || fail "address fd00:0:0:$n::$a"
	done
done

cat >"$T/prefix.py" <<'EOF'
import socket
import struct
import sys

sys.path.insert(0, sys.argv[1])
from rawclient import ERROR, WELCOME, hello, read_frame  # noqa: E402

E_NO_SESSION, E_RATE = 3, 5


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)


def connect(port, src):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.settimeout(10)
    s.bind((src, 0))
    s.connect(("fd00::1", port))
    return s


def answer(s):
    """WELCOME, ('error', code), or None when closed."""
    f = read_frame(s)
    if f is None:
        return None
    if f[0] == ERROR:
        return ("error", struct.unpack(">H", f[2][:2])[0])
    return f[0]


def same(i):
    return "fd00::%x" % i


def conns(port):
    held = []
    for i in range(3):
        s = connect(port, same(2 + i))
        s.sendall(hello(1))
        check(answer(s) == WELCOME, "connection %d from the /64" % i)
        held.append(s)
    s = connect(port, same(5))
    check(answer(s) == ("error", E_RATE), "a 4th connection from the /64 was not refused")
    s = connect(port, "fd00:0:0:1::1")
    s.sendall(hello(1))
    check(answer(s) == WELCOME, "another /64 was refused")
    print("conns: 3 from fd00::2..4, the 4th from fd00::5 refused, fd00:0:0:1::1 welcome")
    return held + [s]


def preauth(port, n):
    held = [connect(port, same(2 + i)) for i in range(n)]
    s = connect(port, same(2 + n))
    check(answer(s) == ("error", E_RATE), "a silent connection past %d was not refused" % n)
    s = connect(port, "fd00:0:0:1::2")
    s.sendall(hello(1))
    check(answer(s) == WELCOME, "another /64 was refused")
    print("pre-auth: %d silent from the /64, the next refused" % n)
    return held + [s]


def joins(port, burst):
    m = connect(port, "fd00:0:0:1::3")
    m.sendall(hello(1))
    f = read_frame(m)
    check(f is not None and f[0] == WELCOME, "master")
    number = struct.unpack(">I", f[2][:4])[0]
    held = [m]
    for i in range(burst):
        s = connect(port, same(0x20 + i))
        s.sendall(hello(2, session=number))
        check(answer(s) == WELCOME, "join %d from the /64" % i)
        held.append(s)
    s = connect(port, same(0x20 + burst))
    s.sendall(hello(2, session=number))
    check(answer(s) == ("error", E_RATE), "join %d from the /64 was not refused" % burst)
    s = connect(port, "fd00:0:0:1::4")
    s.sendall(hello(2, session=number))
    check(answer(s) == WELCOME, "a join from another /64 was refused")
    held.append(s)
    print("joins: %d from fd00::20.. welcome, the next RATE, another /64 welcome" % burst)
    return held


def guesses(port, burst):
    for i in range(burst):
        s = connect(port, "fd00:0:0:2::%x" % (1 + i))
        s.sendall(hello(2, session=10000 + i))
        check(answer(s) == ("error", E_NO_SESSION), "guess %d" % i)
    s = connect(port, "fd00:0:0:2::%x" % (1 + burst))
    s.sendall(hello(2, session=10000 + burst))
    check(answer(s) == ("error", E_RATE), "guess %d from the /64 was not refused" % burst)
    s = connect(port, "fd00:0:0:3::1")
    s.sendall(hello(2, session=10000))
    check(answer(s) == ("error", E_NO_SESSION), "a guess from another /64 was refused")
    print("guesses: %d misses from fd00:0:0:2::/64, then RATE" % burst)


if __name__ == "__main__":
    port, case = int(sys.argv[2]), sys.argv[3]
    if case == "conns":
        keep = conns(port)
    elif case == "preauth":
        keep = preauth(port, int(sys.argv[4]))
    elif case == "joins":
        keep = joins(port, int(sys.argv[4]))
    else:
        guesses(port, int(sys.argv[4]))
EOF
prefix() { python3 "$T/prefix.py" "$top/tests/integration" "$@" >>"$T/prefix.log" 2>&1; }
port6() { sed -n 's/^listening=\[fd00::1\]://p' "$T/$1.out" | head -1; }
limit() { sed -n "s/^[[:space:]]*$1 = \([0-9]*\),.*/\1/p" "$top/proto/limits.h"; }

start_relay conns --listen '[fd00::1]:0' --conns-per-ip 3
prefix "$(port6 conns)" conns || fail "connections per /64"
start_relay preauth --listen '[fd00::1]:0'
prefix "$(port6 preauth)" preauth "$(limit RELAY_PREAUTH_PER_IP_MAX)" || fail "pre-auth per /64"
start_relay joins --listen '[fd00::1]:0'
prefix "$(port6 joins)" joins "$(limit RELAY_JOIN_BURST)" || fail "joins per /64"
prefix "$(port6 joins)" guesses "$(limit RELAY_UNKNOWN_JOIN_BURST)" || fail "guesses per /64"
sed 's/^/  /' "$T/prefix.log"
