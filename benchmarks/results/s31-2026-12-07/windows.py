import json, sys
# windows.py results.json a-b ...: job and collector cores per window (minutes) from the per-second ticks;
# lines per core = the run's delivered lines/s / (job + collectors) of the window
d = json.load(open(sys.argv[1]))['e2e']; t = d['ticks']; rate = d['deliveredLinesPerSec']
print(f"window (min) | job | collectors | total | lines per core   (delivered {rate:,.0f} lines/s)")
for w in sys.argv[2:]:
    a, b = (float(x) * 60 for x in w.split('-'))
    s = [x for x in t if a <= x['t'] < b]
    if not s: print(w, 'no ticks'); continue
    job = sum(x['jobCores'] for x in s) / len(s); col = sum(x['collectorCores'] for x in s) / len(s)
    load = sum(x.get('load1', 0) for x in s) / len(s)
    print(f"{w} | {job:.4f} | {col:.4f} | {job+col:.4f} | {rate/(job+col):,.0f}   (mean load {load:.2f}, {len(s)} ticks)")
