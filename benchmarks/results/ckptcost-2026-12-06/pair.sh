#!/bin/bash
# Alternated 10k runs, 5-s against 2.5-s checkpoints (discovery follows the interval), each under the bench lock.
R=/work/wt/ckptcost/benchmarks/results/ckptcost-2026-12-06
cd /work/wt/ckptcost
export MAVEN_OPTS="-Dmaven.repo.local=/work/m2/ckptcost" BENCH_JAVA_OPTS=-Xmx12g
run() { # name interval
  flock /work/wt/bench.lock bash -c "
    echo \"$1 start \$(date -u +%H:%M:%S) load \$(cat /proc/loadavg)\" >> $R/runs.log
    ./pipeline bench --parts e2e --duration 420s --warmup 180s --checkpoint-interval $2 --discovery-interval $2 --results $R/$1 > $R/$1.console.txt 2>&1
    echo \"$1 end \$(date -u +%H:%M:%S) rc \$? load \$(cat /proc/loadavg)\" >> $R/runs.log"
}
for arm in "$@"; do
  case $arm in
    a*) run e2e-10k-5s-$arm 5s ;;
    b*) run e2e-10k-2500ms-$arm 2500ms ;;
  esac
done
