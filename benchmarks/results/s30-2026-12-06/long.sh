#!/bin/bash
# settled steady state at 10k: the head over 60 minutes, 30-minute warm-up reported apart
R=/work/main/benchmarks/results/s30-2026-12-06
mkdir -p $R
cd /work/main
echo "e2e-10k-60min start $(date -u +%H:%M:%S) load $(cat /proc/loadavg) head $(git rev-parse --short HEAD)" >> $R/runs.log
BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts e2e --duration 3600s --warmup 1800s --results $R/e2e-10k-60min > $R/e2e-10k-60min.console.txt 2>&1
echo "e2e-10k-60min end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
