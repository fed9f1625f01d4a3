#!/bin/bash
# Beside one bench run (arg: its name): per-thread utime+stime of the JobManager and both TaskManagers from /proc at
# 190 s and 400 s after the job runs (inside the bench's window), and each TaskManager's compiled-method list
# (jcmd Compiler.codelist) at both moments: the methods new in the second list were compiled inside the window.
R=/work/wt/ckptcost/benchmarks/results/ckptcost-2026-12-06
D=$R/$1.threads; mkdir -p $D
for i in $(seq 1 200); do sleep 3; grep -q 'job .* running' $R/$1.console.txt 2>/dev/null && break; done
date -u +%s.%N > $D/running.txt
C=/work/wt/ckptcost/.pipeline/bench/e2e/cluster
# every 20 s: the newest complete checkpoint's files (size, name) and the HA directory's files
( for i in $(seq 1 18); do sleep 20
    echo "== $(date -u +%T)"; ls -l $(ls -td $C/checkpoints/*/chk-* 2>/dev/null | sed -n 2p) 2>/dev/null | awk '{print $5, $9}'
    find $C/ha -type f -printf '%s %p\n' 2>/dev/null | sed "s|$C/||"
  done > $D/files.txt ) &
sleep 185
JM=$(ps -eo pid,args | grep StandaloneSessionClusterEntrypoint | grep ckptcost | grep -v grep | awk '{print $1}' | head -1)
TMS=$(ps -eo pid,args | grep TaskManagerRunner | grep ckptcost | grep -v grep | awk '{print $1}')
echo "jm $JM tms $TMS" > $D/pids.txt
snap() { for pid in $JM $TMS; do for t in /proc/$pid/task/*; do echo "$pid $(basename $t) $(awk '{print $14, $15}' $t/stat) $(tr ' ' '_' < $t/comm)"; done; done; }
date -u +%s.%N > $D/t0.txt; snap > $D/threads-t0.txt
for pid in $TMS; do jcmd $pid Compiler.codelist > $D/codelist-$pid-t0.txt 2>&1; done
sleep 175
date -u +%s.%N > $D/t1.txt; snap > $D/threads-t1.txt
for pid in $TMS; do jcmd $pid Compiler.codelist > $D/codelist-$pid-t1.txt 2>&1; done
