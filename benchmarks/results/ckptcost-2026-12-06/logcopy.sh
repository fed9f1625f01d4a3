#!/bin/bash
# Keeps a copy of the running cluster's JobManager log under the current run's name (the next run wipes the cluster).
R=/work/wt/ckptcost/benchmarks/results/ckptcost-2026-12-06
L=/work/wt/ckptcost/.pipeline/bench/e2e/cluster/logs/jobmanager.log
while true; do
  n=$(grep start $R/runs.log | tail -1 | awk '{print $1}')
  if [ -s $L ]; then mkdir -p /tmp/ckptcost-logs/$n; cp $L /tmp/ckptcost-logs/$n/ 2>/dev/null; fi
  sleep 10
done
