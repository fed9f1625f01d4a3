#!/bin/bash
R=/work/main/benchmarks/results/s28-2026-12-06
run() { # dir m2 name
  cd $1
  echo "$3 start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
  MAVEN_OPTS="-Dmaven.repo.local=$2" BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts e2e --duration 600s --warmup 180s --results $R/$3 > $R/$3.console.txt 2>&1
  echo "$3 end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
}
run /work/wt/base /work/m2/base e2e-10k-base
run /work/main /root/.m2/repository e2e-10k-new
