#!/usr/bin/env python3
"""Tables of the jitwarm runs: the bench report's phases and groups, the compiler threads by phase (from sample.sh's
/proc samples), the code cache and the compile count (jcmd) at the marks."""
import json, re, sys, os, glob, collections, gzip
HZ = 100
runs = sys.argv[1:]
def fold(n):
    return n if n.startswith(('C1_', 'C2_')) else re.sub(r'[0-9]+', '#', n)
rows = collections.OrderedDict()
def put(k, run, v):
    rows.setdefault(k, {})[run] = v
for run in runs:
    d = json.load(open(f'{run}/results.json'))['e2e']
    ws, we = d['windowStartMillis'] / 1000, d['windowEndMillis'] / 1000
    wu = d['warmupSeconds']; win = d['windowSeconds']; gs = ws - wu
    put('load before', run, d['loadBefore'].split()[0]); put('load after', run, d['loadAfter'].split()[0])
    put('load during (mean 1-min)', run, '%.1f' % d['loadAvgDuring'])
    put('start-up CPU-s (job, JVM start -> first line)', run, '%.1f' % d['startupCpuSeconds'])
    put('warm-up job cores', run, '%.4f' % d['warmupJobCores'])
    put('window job cores', run, '%.4f' % d['jobCores'])
    put('window TM cores', run, '%.4f' % d['taskManagerCores'])
    put('window JM cores', run, '%.4f' % d['jobManagerCores'])
    put('window collectors cores', run, '%.4f' % d['collectorCores'])
    whole = d['startupCpuSeconds'] + d['warmupJobCores'] * wu + d['jobCores'] * win
    put('whole run job CPU-s (start-up + warm-up + window)', run, '%.1f' % whole)
    put('lines per core (job + collectors)', run, '%d' % d['linesPerSecPerCore'])
    put('delivered/s', run, '%d' % d['deliveredLinesPerSec'])
    put('p50 / p99 ms', run, '%d / %d' % (d['p50'], d['p99']))
    put('lost / dup', run, '%d / %d' % (d['lost'], d['duplicated']))
    for g, v in sorted(d['jobThreadCores'].items(), key=lambda x: -x[1]):
        if v >= 0.001: put('TM: ' + g, run, '%.4f' % v)
    # compiler threads by phase from /proc samples (both TaskManagers, ticks interpolated to the phase edges)
    series = collections.defaultdict(lambda: collections.defaultdict(int))  # (role, group) -> t -> ticks
    first = {}
    for line in gzip.open(f'{run}.sample/threads.txt.gz', 'rt'):
        t, role, name, ticks = line.split()
        t = int(t); first.setdefault(role, t)
        series[(role, fold(name))][t] += int(ticks)
    def at(s, t):
        ts = sorted(s)
        if t <= ts[0]: return s[ts[0]]
        if t >= ts[-1]: return s[ts[-1]]
        for a, b in zip(ts, ts[1:]):
            if a <= t <= b:
                return s[a] + (s[b] - s[a]) * (t - a) / (b - a)
    for role_kind in ('taskmanager', 'jobmanager'):
        for comp in ('C#_CompilerThre',):
            for c in ('C1', 'C2'):
                g = c + '_CompilerThre'
                ph = [0, 0, 0]
                for (role, grp), s in series.items():
                    if not role.startswith(role_kind) or grp != g: continue
                    a, b, e = at(s, gs), at(s, ws), at(s, we)
                    ph[0] += a; ph[1] += b - a; ph[2] += e - b
                if sum(ph) == 0: continue
                put(f'{role_kind} {c} CPU-s start-up / warm-up / window', run,
                    '%.1f / %.1f / %.1f' % tuple(x / HZ for x in ph))
        tot = [0, 0, 0]
        for (role, grp), s in series.items():
            if not role.startswith(role_kind): continue
            a, b, e = at(s, gs), at(s, ws), at(s, we)
            tot[0] += a; tot[1] += b - a; tot[2] += e - b
        put(f'{role_kind}s all threads CPU-s start-up / warm-up / window (proc samples, live threads)', run,
            '%.1f / %.1f / %.1f' % tuple(x / HZ for x in tot))
    # code cache and compile ids at the marks
    cc = open(f'{run}.sample/codecache.txt').read() if os.path.exists(f'{run}.sample/codecache.txt') else ''
    for blk in cc.split('== ')[1:]:
        head = blk.split('\n')[0]; m = re.match(r'\S+ t\+(\d+) (\S+)', head)
        if not m or m.group(2) == 'jobmanager' and 'CodeHeap' in blk: pass
        used = sum(int(x) for x in re.findall(r'used=(\d+)Kb', blk))
        nm = re.search(r'nmethods=(\d+)', blk)
        put(f'code cache used KB / nmethods, {m.group(2)} t+~{int(m.group(1))//30*30}s', run,
            '%d / %s' % (used, nm.group(1) if nm else '?'))
    for f in sorted(glob.glob(f'{run}.sample/codelist-*.txt')):
        mark, role = re.match(r'.*codelist-(\d+)-(\S+)\.txt', f).groups()
        ids, tiers = [], collections.Counter()
        for l in open(f):
            p = l.split()
            if len(p) > 3 and p[0].isdigit():
                ids.append(int(p[0])); tiers[p[1]] += 1
        if ids:
            put(f'max compile id / live by tier 1,2,3,4 ({role}, mark {mark})', run,
                '%d / %s' % (max(ids), ','.join(str(tiers.get(t, 0)) for t in '1234')))
    for f in sorted(glob.glob(f'{run}.sample/*.out.citime')):
        txt = open(f).read()
        m = re.search(r'Accumulated compiler times.*?Total compilation time\s*:\s*([\d.]+)', txt, re.S)
        n = re.search(r'Total compiled methods\s*:\s*(\d+)', txt)
        if m: put('CITime total s / methods ' + os.path.basename(f), run, m.group(1) + ' / ' + (n.group(1) if n else '?'))
w = max(len(k) for k in rows)
print('%-*s' % (w, 'measure') + ''.join('%22s' % r for r in runs))
for k, v in rows.items():
    print('%-*s' % (w, k) + ''.join(' %21s' % v.get(r, '-') for r in runs))
# (run on the raw samples: the jcmd Compiler.codelist files were dropped after this table, their compile ids are in tables.txt)
# compiler threads' cores per minute of TaskManager age (both TaskManagers), and the phase edges in those minutes
print()
for run in runs:
    d = json.load(open(f'{run}/results.json'))['e2e']
    ws = d['windowStartMillis'] / 1000; gs = ws - d['warmupSeconds']
    per = collections.defaultdict(lambda: collections.defaultdict(int))
    t0 = None
    for line in gzip.open(f'{run}.sample/threads.txt.gz', 'rt'):
        t, role, name, ticks = line.split()
        if role.startswith('taskmanager') and name[:3] in ('C1_', 'C2_'):
            per[int(t)][name[:2]] += int(ticks)
            t0 = int(t) if t0 is None else min(t0, int(t))
    ts = sorted(per)
    out = []
    for m in range(0, 20):
        a, b = t0 + 60 * m, t0 + 60 * (m + 1)
        if b > ts[-1]: break
        def at(t):
            for x, y in zip(ts, ts[1:]):
                if x <= t <= y:
                    return sum(per[x].values()) + (sum(per[y].values()) - sum(per[x].values())) * (t - x) / (y - x)
            return sum(per[ts[0]].values())
        out.append('%.3f' % ((at(b) - at(a)) / HZ / 60))
    print(f'{run}: TM compiler cores per minute of age: ' + ' '.join(out) +
          f'  (first line at minute {(gs - t0) / 60:.1f}, window from minute {(ws - t0) / 60:.1f})')
