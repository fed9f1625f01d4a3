#!/usr/bin/env bash
# run.sh NAME bench-args... : one bench run under the lock, from the bench worktree
set -uo pipefail
cd /work/wt/bench
name=$1; shift
out=/work/wt/runs/$name
exec 9>/work/wt/bench.lock; flock 9
echo "start $name $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> /work/wt/runs/runs.log
BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench "$@" --results "$out" > "$out.log" 2>&1
rc=$?
echo "end $name $(date -u +%T) rc=$rc load $(cut -d' ' -f1-3 /proc/loadavg)" >> /work/wt/runs/runs.log
