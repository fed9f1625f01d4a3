#!/usr/bin/env python3
"""The e2e runs' cores side by side: whole bill, TaskManagers, JobManager, collectors, the TaskManagers' thread groups
(from each run's results.json). Usage: compare-e2e.py name=dir ..."""
import json, sys
runs = [(a.split('=')[0], json.load(open(a.split('=')[1] + '/e2e/results.json'))['e2e']) for a in sys.argv[1:]]
rows = [('delivered lines/s', lambda e: e['deliveredLinesPerSec'], '%.0f'),
        ('whole bill (job + collectors), cores', lambda e: e['jobCores'] + e['collectorCores'], '%.4f'),
        ('lines per core', lambda e: e['linesPerSecPerCore'], '%.0f'),
        ('TaskManagers', lambda e: e['taskManagerCores'], '%.4f'),
        ('JobManager', lambda e: e['jobManagerCores'], '%.4f'),
        ('collectors', lambda e: e['collectorCores'], '%.4f'),
        ('warm-up job cores (first 180 s)', lambda e: e['warmupJobCores'], '%.4f')]
threads = []
for _, e in runs:
    for k in e['jobThreadCores']:
        if k not in threads:
            threads.append(k)
for t in threads:
    rows.append(('TM thread ' + t, lambda e, t=t: e['jobThreadCores'].get(t, 0.0), '%.4f'))
print('| | ' + ' | '.join(n for n, _ in runs) + ' |')
print('|---|' + '---:|' * len(runs))
for name, f, fmt in rows:
    print('| %s | %s |' % (name, ' | '.join(fmt % f(e) for _, e in runs)))
