#!/usr/bin/env python3
"""compare.py RUN...: the e2e figures and per-thread cores of each run's results.json side by side."""
import json, statistics, sys

runs = sys.argv[1:]
data = {r: json.load(open(f"{r}/results.json"))["e2e"] for r in runs}


def row(label, fn, fmt="{:.4f}"):
    cells = []
    for r in runs:
        try:
            cells.append(fmt.format(fn(data[r])))
        except Exception:
            cells.append("-")
    print(f"| {label} | " + " | ".join(cells) + " |")


print("| measure | " + " | ".join(runs) + " |")
print("|---|" + "---:|" * len(runs))
row("load during (mean 1-min)", lambda e: e["loadAvgDuring"], "{:.2f}")
row("job + collectors cores", lambda e: e["jobCores"] + e["collectorCores"])
row("TaskManagers", lambda e: e["taskManagerCores"])
row("JobManager", lambda e: e["jobManagerCores"])
row("collectors", lambda e: e["collectorCores"])
row("lines per core", lambda e: e["linesPerSecPerCore"], "{:,.0f}")
row("TM peak RSS MB", lambda e: e["taskManagerPeakRssMb"], "{:.0f}")
row("p50 / p99 ms", lambda e: f"{e['p50']:.0f} / {e['p99']:.0f}", "{}")
row("lost / dup", lambda e: f"{e['lost']} / {e['duplicated']}", "{}")
row("checkpoints", lambda e: len(e["checkpoints"]), "{}")
row("ckpt duration p50 ms", lambda e: statistics.median(c["durationMillis"] for c in e["checkpoints"]), "{:.0f}")
row("ckpt duration max ms", lambda e: max(c["durationMillis"] for c in e["checkpoints"]), "{:.0f}")
row("ckpt checkpointed size p50 MB", lambda e: statistics.median(c["checkpointedSize"] for c in e["checkpoints"]) / 1e6, "{:.2f}")
row("ckpt full size p50 MB", lambda e: statistics.median(c["stateSize"] for c in e["checkpoints"]) / 1e6, "{:.2f}")
for kind in ("jobThreadCores", "jobManagerThreadCores"):
    names = []
    for r in runs:
        for n in data[r].get(kind, {}):
            if n not in names:
                names.append(n)
    for n in names:
        row(f"{'TM' if kind == 'jobThreadCores' else 'JM'} {n}", lambda e, n=n, k=kind: e[k].get(n, 0.0))
