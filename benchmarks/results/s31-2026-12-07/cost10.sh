#!/bin/bash
# spool cost with 10 busy nodes: the shipped settings, then one interval throughout (quiet only below 1 B/s)
R=/tmp/s31; cd /work/main
one() { n=$1; shift
  echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
  BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts spool-cost --nodes 10 "$@" --results $R/$n > $R/$n.console.txt 2>&1
  echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
}
one spool-cost-10nodes
one spool-cost-10nodes-5s --spool-cost-set quiet-below=1b
