#!/bin/bash
# after the base 2.5-s arm (pid $1) ends: its post-steps, then 10k at 2.5-s checkpoints over 30 minutes (20-minute
# warm-up reported apart), alone, to price p99 <= 5 s at the steady state
R=/work/main/benchmarks/results/s30-2026-12-06; S=/work/wt/s30
while kill -0 $1 2>/dev/null; do sleep 5; done
echo "e2e-10k-2500ms end $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
touch $S/e2e-10k-2500ms.files.txt.stop
cd /work/main; git checkout flink-conf/config.yaml
cp -r .pipeline/bench/e2e/cluster/logs $R/e2e-10k-2500ms.logs 2>/dev/null; gzip -q $R/e2e-10k-2500ms.logs/* 2>/dev/null
n=e2e-10k-2500ms-30min
echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
rm -f $S/$n.files.txt.stop; ( $S/files.sh $S/$n.files.txt 1000 & )
BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts e2e --duration 1800s --warmup 1200s --checkpoint-interval 2500ms --discovery-interval 2500ms --results $R/$n > $R/$n.console.txt 2>&1
echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
touch $S/$n.files.txt.stop
