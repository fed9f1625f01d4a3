#!/usr/bin/env python3
"""The bench's own figures of each run side by side (results.json, its 240-s window): totals, thread groups of the
TaskManagers (summed) and the JobManager, checkpoints triggered in the window, latency, load. Usage: benchtable.py run..."""
import json, sys
runs = [(n, json.load(open(f"{n}/results.json"))["e2e"]) for n in sys.argv[1:]]
def cps(e):
    return sum(1 for c in e["checkpoints"] if e["windowStartMillis"] <= c["triggerMillis"] < e["windowEndMillis"])
rows = [
    ("window s", lambda e: f"{e['windowSeconds']:.0f}"),
    ("checkpoints in window", lambda e: str(cps(e))),
    ("checkpoints per s", lambda e: f"{cps(e) / e['windowSeconds']:.3f}"),
    ("job + collectors cores", lambda e: f"{e['jobCores'] + e['collectorCores']:.4f}"),
    ("TaskManagers cores", lambda e: f"{e['taskManagerCores']:.4f}"),
    ("JobManager cores", lambda e: f"{e['jobManagerCores']:.4f}"),
    ("collectors cores", lambda e: f"{e['collectorCores']:.4f}"),
    ("lines per core", lambda e: f"{e['linesPerSecPerCore']:,.0f}"),
    ("p50 / p95 / p99 s", lambda e: f"{e['p50']/1000:.2f} / {e['p95']/1000:.2f} / {e['p99']/1000:.2f}"),
    ("lost / dup", lambda e: f"{e['lost']} / {e['duplicated']}"),
    ("load before -> after (mean)", lambda e: f"{str(e['loadBefore']).split()[0] if e['loadBefore'] else '?'} -> {str(e['loadAfter']).split()[0] if e['loadAfter'] else '?'} ({e['loadAvgDuring']:.2f})"),
]
w = 24
print(f"{'':30s}" + "".join(f"{n[-w:]:>{w}s}" for n, _ in runs))
for label, f in rows:
    print(f"{label:30s}" + "".join(f"{f(e):>{w}s}" for _, e in runs))
for key, tag in (("jobThreadCores", "TM"), ("jobManagerThreadCores", "JM")):
    names = []
    for _, e in runs:
        for k in e[key]:
            if k not in names:
                names.append(k)
    for k in names:
        print(f"{tag + ' ' + k:30s}" + "".join(f"{e[key].get(k, 0):>{w}.4f}" for _, e in runs))
