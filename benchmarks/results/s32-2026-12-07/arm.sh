#!/bin/bash
# one e2e arm: name, extra bench flags...
R=/tmp/s32; cd /work/main
n=$1; shift
echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
rm -f $R/$n.files.txt.stop; ( $R/files.sh $R/$n.files.txt & )
BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts e2e --duration 600s --warmup 180s "$@" --results $R/$n > $R/$n.console.txt 2>&1
echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
touch $R/$n.files.txt.stop
