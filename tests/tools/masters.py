#!/usr/bin/env python3
"""masters.py - many masters at once against one or more relays, raw frames.

  masters.py --relays A,B,C --count N [--rounds R] [--retry-s S] [--out FILE]

Each round opens N master connections at the same moment (round robin
over the relays, each from its own 127.x.y.z source address so that no
per-address limit is hit), sends HELLO and reads the answer. An ERROR
DIRECTORY (15: the session directory cannot hand out a number now) is
tried again after a short random pause, for --retry-s seconds; any other
ERROR, or no answer, counts as failed. The round's masters stay connected
until all have answered, then all send END and close (their numbers are
retired: a master that only closed would leave its number held "away"
for its resume) and the next round starts a second later.

Prints one line per round, then the totals:
  round=R ok=N failed=F directory_retries=D dup=K secs=T
  total ok=N failed=F dup=K reused=U
dup counts numbers handed out twice within a round (across every relay),
reused the numbers of an earlier round handed out again (a retired number
must cool down). --out FILE gets "round relay number" lines. Exit 0 when
nothing failed, no number was handed out twice and none was reused.
"""
import argparse
import asyncio
import random
import resource
import struct
import sys
import time

HELLO, WELCOME, ERROR, END = 1, 2, 3, 9
E_DIRECTORY = 15


def hello_master():
    body = b"FSHT" + bytes([1, 1]) + struct.pack(">I", 0) + struct.pack(">H", 6) + b"master"
    return struct.pack(">IBBHQ", len(body), HELLO, 0, 0, 0) + body


def source_ip(i):
    return "127.%d.%d.%d" % (10 + i // 62500, (i // 250) % 250 + 1, i % 250 + 1)


async def read_frame(reader):
    hdr = await reader.readexactly(16)
    n, t, _flags, _slot, _seq = struct.unpack(">IBBHQ", hdr)
    if n > 1 << 16:
        raise ValueError("frame too large")
    return t, await reader.readexactly(n)


async def one_master(i, relay, deadline, stats):
    """Connect until a WELCOME; returns (writer, number) or (None, None)."""
    host, port = relay.rsplit(":", 1)
    while True:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(
                host, int(port), local_addr=(source_ip(i), 0)), 10)
            writer.write(hello_master())
            t, body = await asyncio.wait_for(read_frame(reader), 10)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as e:
            stats["why"].append("%s: %s" % (relay, e))
            return None, None
        if t == WELCOME:
            return writer, struct.unpack(">I", body[:4])[0]
        writer.close()
        code = struct.unpack(">H", body[:2])[0] if t == ERROR and len(body) >= 2 else -1
        if code != E_DIRECTORY or time.monotonic() > deadline:
            stats["why"].append("%s: ERROR %d" % (relay, code))
            return None, None
        stats["retries"] += 1
        await asyncio.sleep(random.uniform(0.02, 0.2))


async def round_(r, relays, count, retry_s, out):
    stats = {"retries": 0, "why": []}
    start = time.monotonic()
    tasks = [one_master(i, relays[i % len(relays)], start + retry_s, stats)
             for i in range(count)]
    res = await asyncio.gather(*tasks)
    secs = time.monotonic() - start
    numbers = [n for _, n in res if n is not None]
    for i, (_, n) in enumerate(res):
        if n is not None and out:
            out.write("%d %s %05d\n" % (r, relays[i % len(relays)], n))
    dup = len(numbers) - len(set(numbers))
    failed = count - len(numbers)
    print("round=%d ok=%d failed=%d directory_retries=%d dup=%d secs=%.2f"
          % (r, len(numbers), failed, stats["retries"], dup, secs), flush=True)
    for w in stats["why"][:5]:
        print("  failed: %s" % w, flush=True)
    for w, _ in res:
        if w is not None:
            w.write(struct.pack(">IBBHQ", 0, END, 0, 0, 0))
            w.close()
    return set(numbers), failed, dup


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--relays", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--retry-s", type=float, default=20)
    ap.add_argument("--out")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    relays = a.relays.split(",")
    out = open(a.out, "w") if a.out else None
    earlier, ok, failed, dup, reused = set(), 0, 0, 0, 0
    for r in range(1, a.rounds + 1):
        if r > 1:
            await asyncio.sleep(1)      # the retirements reach the directory
        got, f, d = await round_(r, relays, a.count, a.retry_s, out)
        reused += len(got & earlier)
        earlier |= got
        ok += len(got)
        failed += f
        dup += d
    print("total ok=%d failed=%d dup=%d reused=%d" % (ok, failed, dup, reused), flush=True)
    if out:
        out.close()
    return 0 if failed == 0 and dup == 0 and reused == 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
