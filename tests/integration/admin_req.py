#!/usr/bin/env python3
# tests/integration/admin_req.py - signed (or deliberately mis-signed)
# requests to the relay's admin listener, independent of the relay's and
# fernsicht-relayctl's C code: the signature is computed here from
# docs/relay.md with Python's hmac.
#
#   admin_req.py ADDR KEYFILE CASE METHOD PATH
#
# KEYFILE holds "KEYID SECRET-HEX". CASE: good, badsig, stale, future,
# replay (the same request twice: prints both statuses), unsigned,
# badnonce. Prints "STATUS BODY" per answer.
import hashlib, hmac, http.client, os, sys, time

addr, keyfile, case, method, path = sys.argv[1:6]
host, port = addr.rsplit(":", 1)
kid, secret = open(keyfile).read().split()
secret = bytes.fromhex(secret)


def headers(t=None, nonce=None, body=b""):
    t = str(int(time.time()) if t is None else t)
    nonce = os.urandom(16).hex() if nonce is None else nonce
    msg = "\n".join([method, path, t, nonce, hashlib.sha256(body).hexdigest()]).encode()
    sig = hmac.new(secret, msg, hashlib.sha256).hexdigest()
    return {"X-Fernsicht-Key": kid, "X-Fernsicht-Time": t, "X-Fernsicht-Nonce": nonce,
            "X-Fernsicht-Signature": sig}


def send(h):
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    c.request(method, path, body=b"" if method == "POST" else None, headers=h)
    r = c.getresponse()
    print(r.status, r.read().decode().strip())
    c.close()


if case == "good":
    send(headers())
elif case == "badsig":
    h = headers()
    s = h["X-Fernsicht-Signature"]
    h["X-Fernsicht-Signature"] = ("1" if s[0] == "0" else "0") + s[1:]
    send(h)
elif case == "stale":
    send(headers(t=int(time.time()) - 90))
elif case == "future":
    send(headers(t=int(time.time()) + 90))
elif case == "replay":
    h = headers()
    send(h)
    send(h)
elif case == "unsigned":
    send({})
elif case == "badnonce":
    send(headers(nonce="abcd"))
else:
    sys.exit("unknown case " + case)
