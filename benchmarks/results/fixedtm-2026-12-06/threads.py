#!/usr/bin/env python3
"""Per-thread CPU between two /proc snapshots (lines: pid tid utime stime comm), grouped by pid and by thread name
with digits folded; prints cores (CPU seconds / window seconds) per group, and per pid the total."""
import re, sys, collections
d = sys.argv[1]
hz = 100.0
t0 = float(open(f"{d}/t0.txt").read()); t1 = float(open(f"{d}/t1.txt").read())
win = t1 - t0
def load(p):
    m = {}
    for line in open(p):
        f = line.split()
        if len(f) < 5: continue
        m[(f[0], f[1])] = (int(f[2]), int(f[3]), f[4])
    return m
a, b = load(f"{d}/t0.txt".replace("t0.txt", "threads-t0.txt")), load(f"{d}/threads-t1.txt")
roles = {}
for line in open(f"{d}/rest.txt"):
    f = line.split()
    if line.startswith("job"): roles[f[3]] = "JM"
    if line.startswith("tm "): roles[f[1]] = "TM"
    if line.startswith("idle"):
        roles[line.split()[1]] = "TM-idle"
for k, v in list(roles.items()):
    if v == "TM": roles[k] = "TM-busy"
groups = collections.defaultdict(float); totals = collections.defaultdict(float)
for k, (u, s, name) in b.items():
    u0, s0 = (a[k][0], a[k][1]) if k in a else (0, 0)
    c = (u - u0 + s - s0) / hz
    name = "(born in window) " + name if k not in a else name
    g = re.sub(r"\d+", "#", name)[:28]
    groups[(roles.get(k[0], k[0]), g)] += c
    totals[roles.get(k[0], k[0])] += c
print(f"window {win:.1f} s")
for r in sorted(totals): print(f"{r:8s} total {totals[r]/win:.4f} cores")
for (r, g), c in sorted(groups.items(), key=lambda x: (x[0][0], -x[1])):
    if c / win >= 0.0002: print(f"{r:8s} {g:30s} {c/win:.4f}")
