import sys, re, collections
# files.py <files.txt> <from-epoch> <to-epoch> <checkpoints in that span>: files first seen in [from, to) by kind
path, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
seen = {}; now = None
for line in open(path):
    if line.startswith('== '):
        now = float(line[3:]); continue
    size, p = line.split(' ', 1); p = p.strip()
    if p not in seen: seen[p] = (now, int(size))
    else: seen[p] = (seen[p][0], int(size))
def kind(p):
    if '/chk-' in p: return 'chk-N/_metadata' if p.endswith('_metadata') else 'chk-N/other'
    if '/shared/' in p: return 'shared'
    if '/taskowned/' in p: return 'taskowned'
    if 'completedCheckpoint' in p: return 'HA completedCheckpoint'
    return 'other: ' + re.sub(r'[0-9a-f]{8,}', '*', p)
by = collections.defaultdict(list)
for p, (t, s) in seen.items():
    if t0 <= t < t1: by[kind(p)].append(s)
span = t1 - t0
for k, v in sorted(by.items()):
    v.sort()
    print(f"{k:28s} files {len(v):5d} ({len(v)/span:.3f}/s)  bytes mean {sum(v)/len(v)/1024:9.1f} KB  median {v[len(v)//2]/1024:9.1f} KB  max {v[-1]/1024:9.1f} KB")
