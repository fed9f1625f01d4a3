#!/usr/bin/env python3
# usage: diff.py dir arm  -> per-thread cores (utime+stime, sys) and wake-ups/s over snapA..snapB
import sys, re, collections
d, arm = sys.argv[1], sys.argv[2]
def load(p):
    lines = open(p).read().split('\n')
    t = int(lines[0]); rows = {}
    for l in lines[1:]:
        if not l: continue
        tid, name, ut, st, v, nv = l.split('|'); rows[tid] = (name, int(ut), int(st), int(v or 0), int(nv or 0))
    return t, rows
ta, A = load(f"{d}/{arm}-snapA"); tb, B = load(f"{d}/{arm}-snapB")
sec = (tb - ta) / 1e9; hz = 100.0
groups = collections.OrderedDict()
def grp(n):
    n = re.sub(r'\d+$', '#', n)
    if n.startswith('kubelogs-tail'): return 'tail'
    if n.startswith('kubelogs-watch'): return 'watch'
    return n
tot = [0, 0, 0]
for tid, (name, ut, st, v, nv) in B.items():
    a = A.get(tid, (name, 0, 0, 0, 0))
    du, ds, dv = ut - a[1], st - a[2], v - a[3]
    g = groups.setdefault(grp(name), [0, 0, 0])
    g[0] += du; g[1] += ds; g[2] += dv
    tot[0] += du; tot[1] += ds; tot[2] += dv
print(f"{arm}: window {sec:.1f} s; total {(tot[0]+tot[1])/hz/sec:.5f} cores (usr {tot[0]/hz/sec:.5f} sys {tot[1]/hz/sec:.5f}); wake-ups {tot[2]/sec:.1f}/s")
for g, (u, s, v) in sorted(groups.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
    if u + s + v == 0: continue
    print(f"  {g:28s} {(u+s)/hz/sec:.5f} (usr {u/hz/sec:.5f} sys {s/hz/sec:.5f}); {v/sec:.1f}/s")
