#!/usr/bin/env python3
"""Median of rounds 2..last of CommitPathStageLoop outputs, ns an event: put path (committer + sdk), gc+jit, process less endpoint."""
import re, statistics, sys
print("| file | load before -> after | rounds | committer | netty (sdk) | put path | gc+jit | process less endpoint | compile | committer B/event | warm-up |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for path in sys.argv[1:]:
    lines = open(path).read().splitlines()
    rows = []
    warm = ""
    for l in lines:
        if l.startswith("warm-up"):
            warm = l.split("warm-up: ")[1]
        m = re.match(r"round (\d+):(.*)", l)
        if not m or int(m.group(1)) < 2:
            continue
        g = {k: (float(v), float(b)) for k, v, b in re.findall(r" ([a-z+ ]+?) (\d+) ns \(user \d+\) (\d+) B;", m.group(2))}
        rows.append(g)
    med = lambda f: statistics.median(f(r) for r in rows)
    loads = [l.split(" load ")[1].split()[0] for l in lines if " load " in l]
    print(f"| {path} | {loads[0]} -> {loads[-1]} | {len(rows)} | {med(lambda r: r['committer'][0]):.0f} | {med(lambda r: r['sdk'][0]):.0f} | "
          f"{med(lambda r: r['committer'][0] + r['sdk'][0]):.0f} | {med(lambda r: r['gc+jit'][0]):.0f} | "
          f"{med(lambda r: r['all'][0] - r['endpoint'][0]):.0f} | {med(lambda r: r['compile'][0]):.0f} | {med(lambda r: r['committer'][1]):.0f} | {warm} |")
