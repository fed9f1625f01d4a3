#!/usr/bin/env python3
"""Per arm, median over rounds 5.. of ns an event: caller+io (the put path's own threads), jit, total. Usage: file..."""
import re, statistics, sys
for f in sys.argv[1:]:
    per = {}
    for line in open(f):
        if not line.startswith('round '):
            continue
        n = int(line.split()[1].rstrip(':'))
        if n < 5:
            continue
        for arm, body in re.findall(r' (\w+) \d+ ns\{([^}]*)\}', line):
            d = dict((k, float(v)) for k, v in re.findall(r'(\w+)=([\d.]+)', body))
            per.setdefault(arm, []).append(d)
    print(f)
    for arm, rows in per.items():
        med = lambda k: statistics.median(r.get(k, 0) for r in rows)
        own = statistics.median(r['caller'] + r['io'] for r in rows)
        print(f"  {arm:14s} rounds {len(rows):2d}  caller+io {own:6.0f}  caller {med('caller'):6.0f}  io {med('io'):6.0f}"
              f"  jit {med('jit'):6.0f}  gc {med('gc'):5.0f}  total {med('total'):6.0f}")
