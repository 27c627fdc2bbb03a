#!/usr/bin/env python3
# tests/integration/admin_req.py - signed (or deliberately mis-signed)
# requests to the relay's admin listener, independent of the relay's and
# fernsicht-relayctl's C code: the signature is computed here from
# docs/relay.md with Python's hmac.
#
#   admin_req.py ADDR KEYDIR <CASES
#
# One case a line: "WANT CASE KEY METHOD PATH", KEY naming KEYDIR/KEY.key
# ("KEYID SECRET-HEX"). CASE: good, badsig, stale, future, unsigned,
# badnonce, replay (the same request twice: WANT for the first, 401
# "replayed" for the second), capture (a good one, kept in
# KEYDIR/captured.json as it was sent), resend (the captured request
# again, as someone who read it on its way would: 401 "signed before
# this relay started" after a restart). Prints each case and its answer;
# exit 1 when any answer was not WANT.
import hashlib, hmac, http.client, json, os, sys, time

addr, keydir = sys.argv[1:3]
host, port = addr.rsplit(":", 1)


def headers(key, method, path, t=None, nonce=None, body=b""):
    kid, secret = open(os.path.join(keydir, key + ".key")).read().split()
    t = str(int(time.time()) if t is None else t)
    nonce = os.urandom(16).hex() if nonce is None else nonce
    msg = "\n".join([method, path, t, nonce, hashlib.sha256(body).hexdigest()]).encode()
    sig = hmac.new(bytes.fromhex(secret), msg, hashlib.sha256).hexdigest()
    return {"X-Fernsicht-Key": kid, "X-Fernsicht-Time": t, "X-Fernsicht-Nonce": nonce,
            "X-Fernsicht-Signature": sig}


def send(method, path, h):
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    c.request(method, path, body=b"" if method == "POST" else None, headers=h)
    r = c.getresponse()
    answer = (r.status, r.read().decode().strip())
    c.close()
    return answer


failed = 0
for line in sys.stdin:
    if not line.strip():
        continue
    want, case, key, method, path = line.split()
    want = int(want)
    now = int(time.time())
    if case == "good":
        h = headers(key, method, path)
    elif case == "badsig":
        h = headers(key, method, path)
        s = h["X-Fernsicht-Signature"]
        h["X-Fernsicht-Signature"] = ("1" if s[0] == "0" else "0") + s[1:]
    elif case == "stale":
        h = headers(key, method, path, t=now - 90)
    elif case == "future":
        h = headers(key, method, path, t=now + 90)
    elif case == "unsigned":
        h = {}
    elif case == "badnonce":
        h = headers(key, method, path, nonce="abcd")
    elif case == "replay":
        h = headers(key, method, path)
    elif case == "capture":
        h = headers(key, method, path)
        json.dump(h, open(os.path.join(keydir, "captured.json"), "w"))
    elif case == "resend":
        h = json.load(open(os.path.join(keydir, "captured.json")))
    else:
        sys.exit("unknown case " + case)
    got = [send(method, path, h)]
    ok = got[0][0] == want
    if case == "replay":
        got.append(send(method, path, h))
        ok = ok and got[1][0] == 401 and "replayed" in got[1][1]
    if case == "resend" and want == 401:
        ok = ok and "before this relay started" in got[0][1]
    print("ok" if ok else "FAIL", line.strip(), "->", got)
    failed += not ok
sys.exit(1 if failed else 0)
