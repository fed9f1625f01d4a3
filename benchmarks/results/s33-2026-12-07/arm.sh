#!/bin/bash
# one e2e arm under the bench lock: name, tree, m2 (may be ""), extra bench flags...
# DURATION and WARMUP (600s, 180s unless set) are the bench's --duration and --warmup
R=/tmp/s33; n=$1; tree=$2; m2=$3; shift 3
cd $tree; [ -n "$m2" ] && export MAVEN_OPTS=-Dmaven.repo.local=$m2
exec 9>/work/wt/bench.lock; flock 9
echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts e2e --duration ${DURATION:-600s} --warmup ${WARMUP:-180s} "$@" --results $R/$n > $R/$n.console.txt 2>&1
echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
