#!/bin/bash
# CommitPathStageLoop with the committer's stream threads at 8 (shipped) and 1, alternated processes
O=/tmp/cl-perf/msc
mkdir -p $O
cd /work/wt/commitline/job
for arm in 8 1 8 1; do
  n=$((n+1))
  echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" > $O/$n-msc$arm.txt
  timeout 170 java -XX:+UseSerialGC -DmaxConcurrentStreams=$arm -DroundGapMs=2000 -cp "$(cat /tmp/cl-fullcp.txt)" dev.kubelogs.job.sink.cloudwatch.CommitPathStageLoop 8 >> $O/$n-msc$arm.txt 2>&1
  echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $O/$n-msc$arm.txt
done
