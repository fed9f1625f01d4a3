"""From a JobManager log: per checkpoint trigger, the time since the last spool reader drained its batch and asked
for more (a split request; it asks right after reading what a discovery assigned it). Prints the distribution
after the first 180 s of checkpoints (the bench's warm-up)."""
import re, sys
from datetime import datetime

ts = lambda s: datetime.strptime(s[:23], "%Y-%m-%dT%H:%M:%S.%f").timestamp()
triggers, requests, aligned = [], [], []
for line in open(sys.argv[1], errors="replace"):
    if "Triggering checkpoint" in line:
        triggers.append(ts(line))
    elif "received split request" in line:
        requests.append(ts(line))
    elif "spool discovery" in line:
        aligned.append(line[:23] + " " + line.split(" - ", 1)[-1].strip())
start = triggers[0] + 180
gaps = []
for t in triggers:
    if t < start:
        continue
    before = [r for r in requests if t - 5.0 < r <= t]
    if before:
        gaps.append(t - max(before))
gaps.sort()
q = lambda p: gaps[min(len(gaps) - 1, int(p * len(gaps)))]
print(f"triggers {len(gaps)} after warm-up; drained->trigger gap s: p10 {q(0.1):.2f} p50 {q(0.5):.2f} p90 {q(0.9):.2f} min {gaps[0]:.2f} max {gaps[-1]:.2f}")
phases = sorted(round((t % 5.0), 2) for t in triggers[-10:])
print("last triggers' phase mod 5 s:", phases[:3], "...")
for a in aligned[:5]:
    print(a)
