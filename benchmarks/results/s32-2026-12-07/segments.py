#!/usr/bin/env python3
"""From a spool-cost run's requests.tsv: for each segment PUT in the window, the time to the next discovery (the
spool's LIST) and to the first checkpoint (_metadata PUT) after the job read it (its GET).

usage: segments.py <run>/requests.tsv
"""
import bisect
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])][1:]
put = {r[3]: int(r[0]) for r in rows if r[1] == "PUT" and r[3].endswith(".seg")}
get = {}
for r in rows:
    if r[1] == "GET" and r[3].endswith(".seg") and r[3] not in get:
        get[r[3]] = int(r[0])
checkpoints = sorted(int(r[0]) for r in rows if r[1] == "PUT" and r[3].endswith("_metadata"))
lists = sorted(int(r[0]) for r in rows if r[1] == "LIST" and r[3].rstrip("/").endswith("spool"))
to_list, to_checkpoint = [], []
for key, t in put.items():
    i = bisect.bisect_left(lists, t)
    if i < len(lists):
        to_list.append(lists[i] - t)
    if key in get:
        j = bisect.bisect_left(checkpoints, get[key])
        if j < len(checkpoints):
            to_checkpoint.append(checkpoints[j] - t)


def show(name, values):
    v = sorted(values)
    pick = lambda q: v[min(len(v) - 1, int(q * len(v)))]
    print(f"{name}: {len(v)} segments, ms p10 {pick(.1)} p50 {pick(.5)} p90 {pick(.9)} p99 {pick(.99)} max {v[-1]}")


print(f"segment PUTs in the window: {len(put)}")
show("PUT -> next discovery", to_list)
show("PUT -> first checkpoint after the job read it", to_checkpoint)
