#!/usr/bin/env python3
"""Price list: per-thread CPU of the JobManager and the TaskManagers over each run's /proc window (sample.sh), the
checkpoints triggered in that window (results.json), and, between the 5-s and 2.5-s arms, the CPU per extra checkpoint
(ms) by thread group. Usage: price.py A-run [A-run...] -- B-run [B-run...]"""
import json, re, sys, collections, os
R = os.path.dirname(os.path.abspath(__file__))
HZ = 100.0

def snap(p):
    m = {}
    for line in open(p):
        f = line.split()
        if len(f) >= 5:
            m[(f[0], f[1])] = (int(f[2]) + int(f[3]), f[4])
    return m

def run(name):
    d = f"{R}/{name}.threads"
    t0 = float(open(f"{d}/t0.txt").read()); t1 = float(open(f"{d}/t1.txt").read())
    a, b = snap(f"{d}/threads-t0.txt"), snap(f"{d}/threads-t1.txt")
    pids = open(f"{d}/pids.txt").read().split()
    jm, tms = pids[1], pids[3:]
    per_pid = collections.defaultdict(float)
    for k, (c, _) in b.items():
        per_pid[k[0]] += c - (a[k][0] if k in a else 0)
    busy = max(tms, key=lambda p: per_pid[p])
    role = {jm: "JM"}
    for p in tms:
        role[p] = "TM-busy" if p == busy else "TM-idle"
    g = collections.defaultdict(float)
    born = collections.Counter()
    for k, (c, comm) in b.items():
        d_c = (c - (a[k][0] if k in a else 0)) / HZ
        grp = re.sub(r"\d+", "#", comm)[:15]
        if grp.startswith("C2_Compiler") or grp.startswith("C1_Compiler") or grp.startswith("C#_Compiler"):
            grp = "JIT"
        g[(role[k[0]], grp)] += d_c
        g[(role[k[0]], "TOTAL")] += d_c
        if role[k[0]] != "JM":
            g[("TM", grp)] += d_c
            g[("TM", "TOTAL")] += d_c
        if k not in a:
            born[(role[k[0]], grp)] += 1
    res = json.load(open(f"{R}/{name}/results.json"))["e2e"]
    cps = [c for c in res["checkpoints"] if t0 * 1000 <= c["triggerMillis"] < t1 * 1000]
    return dict(win=t1 - t0, g=g, born=born, cps=len(cps), res=res)

args = sys.argv[1:]
if "--" not in args:
    for n in args:
        r = run(n)
        print(f"{n}: window {r['win']:.1f} s, {r['cps']} checkpoints")
        for k, v in sorted(r["g"].items(), key=lambda x: (x[0][0], -x[1])):
            if v / r["win"] >= 0.0003:
                print(f"  {k[0]:8s} {k[1]:16s} {v / r['win']:.4f}")
        print("  born in window:", dict(r["born"]))
    sys.exit()
i = args.index("--")
A = [run(n) for n in args[:i]]; B = [run(n) for n in args[i + 1:]]
def mean(runs, key):
    return sum(r["g"].get(key, 0) / r["win"] for r in runs) / len(runs)
def rate(runs):
    return sum(r["cps"] / r["win"] for r in runs) / len(runs)
ra, rb = rate(A), rate(B)
print(f"checkpoints per s: A {ra:.4f} ({[r['cps'] for r in A]} in {[round(r['win'],1) for r in A]} s), "
      f"B {rb:.4f} ({[r['cps'] for r in B]} in {[round(r['win'],1) for r in B]} s)")
keys = set()
for r in A + B:
    keys |= set(r["g"])
rows = []
for k in keys:
    ca, cb = mean(A, k), mean(B, k)
    if max(ca, cb) < 0.0003:
        continue
    rows.append((k, ca, cb, (cb - ca) / (rb - ra) * 1000))
order = {"JM": 0, "TM": 1, "TM-busy": 2, "TM-idle": 3}
print(f"{'role':8s} {'thread group':16s} {'A cores':>8s} {'B cores':>8s} {'ms/ckpt':>8s}  per run A | B")
for k, ca, cb, ms in sorted(rows, key=lambda x: (order[x[0][0]], -(x[3] if x[0][1] != 'TOTAL' else 1e9))):
    per = " ".join(f"{r['g'].get(k,0)/r['win']:.4f}" for r in A) + " | " + " ".join(f"{r['g'].get(k,0)/r['win']:.4f}" for r in B)
    print(f"{k[0]:8s} {k[1]:16s} {ca:8.4f} {cb:8.4f} {ms:8.2f}  {per}")
print("threads born in the window (per run):")
for r, n in [(r, "A") for r in A] + [(r, "B") for r in B]:
    print(n, dict(r["born"]))
