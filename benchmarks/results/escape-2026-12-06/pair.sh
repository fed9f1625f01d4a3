#!/bin/bash
# One e2e pair at 10k: the branch's start (detached worktree of fc482006, its own m2 copy), then the branch.
R=/work/wt/escape/benchmarks/results/escape-2026-12-06
run() { # dir m2 name
  cd $1
  echo "$3 start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
  MAVEN_OPTS="-Dmaven.repo.local=$2" BENCH_JAVA_OPTS=-Xmx12g flock /work/wt/bench.lock ./pipeline bench --parts e2e --duration 420s --warmup 180s --results $R/$3 > $R/$3.console.txt 2>&1
  echo "$3 end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
}
run /work/wt/escape-base /work/m2/escape-basearm e2e-10k-base
run /work/wt/escape /work/m2/escape e2e-10k-new
