#!/bin/bash
# CommitPathStageLoop, the SDK client's puts vs lean puts, alternated processes (run under the bench lock)
O=${1:-benchmarks/results/leanput-2026-12-06/loop}
mkdir -p $O
cd /work/wt/leanput
n=0
for arm in sdk lean sdk lean; do
  n=$((n+1))
  lean=false; [ $arm = lean ] && lean=true
  echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) head $(git rev-parse --short HEAD)" > $O/$n-$arm.txt
  timeout 290 java -XX:+UseSerialGC -DleanPuts=$lean -DroundGapMs=2000 -cp "$(cat /tmp/leanput-fullcp.txt)" \
    dev.kubelogs.job.sink.cloudwatch.CommitPathStageLoop 8 >> $O/$n-$arm.txt 2>&1
  echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $O/$n-$arm.txt
done
