#!/bin/bash
R=/tmp/s31; cd /work/main; n=spool-cost-10nodes-shipped
echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts spool-cost --results $R/$n > $R/$n.console.txt 2>&1
echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
