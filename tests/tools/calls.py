#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""calls.py [--top DIR] BUILD_DIR - the call graph between the project's object files,
from what each one defines and uses (nm), and the include graph between its
headers. Prints every call circle (files that call each other, directly or
round a loop) and every include circle, and exits 1 if there is one.

A file A "calls" B when A uses a symbol B defines (a function, or a table
like capture_x11_ops). Directories are checked one program at a time, so
that proto/, net/, endpoint/ and each program's own files are one graph.
Directories have ranks too (proto/ below net/ below endpoint/ below gui/
below the programs): a call from a lower one to a higher one is reported
even when it makes no circle. A program with no objects is an error (a wrong build
directory must not pass as "no circles")."""
import os
import re
import subprocess
import sys

args = sys.argv[1:]
top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if len(args) >= 2 and args[0] == "--top":     # a tree of its own (the test's control)
    top = args[1]
    args = args[2:]
build = args[0] if args else "build"
programs = {
    "relay": ["relay", "net", "proto"],
    "master": ["master", "gui", "endpoint", "net", "proto"],
    "viewer": ["viewer", "gui", "endpoint", "net", "proto"],
}


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDRB":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
    return defined, used


def circles(edges):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


rank = {"proto": 0, "net": 1, "endpoint": 2, "gui": 2.5, "relay": 3, "master": 3, "viewer": 3}
bad = 0
for prog, dirs in programs.items():
    objs = {}
    for d in dirs:
        src = os.path.join(top, d)
        if not os.path.isdir(src):
            continue
        # The sources decide which objects count: a stale .o of a removed
        # file is not part of any program.
        for f in sorted(os.listdir(src)):
            obj = os.path.join(build, d, f[:-2] + ".o")
            if f.endswith(".c") and os.path.exists(obj):
                objs[d + "/" + f[:-2]] = symbols(obj)
    owner = {}
    for name, (defined, _) in objs.items():
        for s in defined:
            owner.setdefault(s, name)
    if not objs:
        if any(os.path.isdir(os.path.join(top, d)) for d in dirs):
            bad += 1
            print(f"{prog}: no objects under {build}: nothing was checked")
        continue
    edges = {name: {owner[s] for s in used if s in owner and owner[s] != name}
             for name, (_, used) in objs.items()}
    n_edges = sum(len(e) for e in edges.values())
    print(f"{prog}: {len(objs)} files, {n_edges} calls between them")
    for a, targets in sorted(edges.items()):
        for b in sorted(targets):
            da, db = a.split("/")[0], b.split("/")[0]
            if rank.get(da, 3) < rank.get(db, 3):
                bad += 1
                print(f"upward call in {prog}: {a} -> {b}")
    for c in circles(edges):
        bad += 1
        print(f"call circle in {prog}: " + " <-> ".join(c))

inc = {}
for d in ["proto", "endpoint", "net", "gui", "master", "viewer", "relay"]:
    path = os.path.join(top, d)
    if not os.path.isdir(path):
        continue
    for f in os.listdir(path):
        if f.endswith(".h"):
            text = open(os.path.join(path, f), encoding="utf-8").read()
            inc[d + "/" + f] = set()
            for h in re.findall(r'#include "([^"]+)"', text):
                for dd in [d, "proto", "endpoint", "net", "gui"]:
                    if os.path.exists(os.path.join(top, dd, h)):
                        inc[d + "/" + f].add(dd + "/" + h)
                        break
for c in circles(inc):
    bad += 1
    print("include circle: " + " <-> ".join(c))
print(f"calls: {bad} problem(s)")
sys.exit(1 if bad else 0)
