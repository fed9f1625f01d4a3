#!/bin/bash
# One run at the given interval (arg 2, discovery following) with the inline threshold at 256 KB, named arg 1:
# config.yaml is edited for the run only, then restored; the committables go to files of their own instead of
# through the JobManager. c1: `inline.sh e2e-10k-2500ms-inline256k-c1 2500ms` (queued after pair.sh);
# d1: `inline.sh e2e-10k-5s-inline256k-d1 5s`.
R=/work/wt/ckptcost/benchmarks/results/ckptcost-2026-12-06
n=$1
cd /work/wt/ckptcost
export MAVEN_OPTS="-Dmaven.repo.local=/work/m2/ckptcost" BENCH_JAVA_OPTS=-Xmx12g
flock /work/wt/bench.lock bash -c "
  sed -i 's/^execution.checkpointing.data-inline-threshold: 1mb$/execution.checkpointing.data-inline-threshold: 256kb/' flink-conf/config.yaml
  grep -n data-inline-threshold flink-conf/config.yaml > $R/$n.config.txt
  echo \"$n start \$(date -u +%H:%M:%S) load \$(cat /proc/loadavg)\" >> $R/runs.log
  ( $R/sample.sh $n & )
  ./pipeline bench --parts e2e --duration 420s --warmup 180s --checkpoint-interval $2 --discovery-interval $2 --results $R/$n > $R/$n.console.txt 2>&1
  echo \"$n end \$(date -u +%H:%M:%S) rc \$? load \$(cat /proc/loadavg)\" >> $R/runs.log
  git checkout flink-conf/config.yaml"
