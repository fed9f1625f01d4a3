#!/bin/bash
# closing runs: the merged head over a 30-minute run (10-minute warm-up, 20-minute window), then the session's start 600/180
R=/work/main/benchmarks/results/s29-2026-12-06
mkdir -p $R
run() { # dir m2 name duration warmup
  cd $1
  echo "$3 start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
  MAVEN_OPTS="-Dmaven.repo.local=$2" BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts e2e --duration $4 --warmup $5 --results $R/$3 > $R/$3.console.txt 2>&1
  echo "$3 end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
}
run /work/main /root/.m2/repository e2e-10k-new-30min 1800s 600s
run /work/wt/base /work/m2/base e2e-10k-base 600s 180s
