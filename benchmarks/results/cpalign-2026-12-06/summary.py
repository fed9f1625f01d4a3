"""One line per run: latency, cores, the JobManager's source-coordinator and discovery-timer threads."""
import json, sys
for n in sys.argv[1:]:
    d = json.load(open(n + '/results.json'))['e2e']
    jm = d['jobManagerThreadCores']
    pick = {k: round(v, 5) for k, v in jm.items() if 'Source' in k or 'spool' in k or 'discovery' in k}
    print(f"{n}: p50/p95/p99 {d['p50']/1000:.2f}/{d['p95']/1000:.2f}/{d['p99']/1000:.2f} s (last third {d['p99LastThird']/1000:.2f}); "
          f"job {d['jobCores']:.4f} (TM {d['taskManagerCores']:.4f} JM {d['jobManagerCores']:.4f}) collectors {d['collectorCores']:.4f} cores; "
          f"{d['linesPerSecPerCore']:.0f} lines/core; lost {d['lost']} dup {d['duplicated']}; JM {pick}")
