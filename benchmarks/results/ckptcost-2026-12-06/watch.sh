#!/bin/bash
# Starts sample.sh for each named run once its console file appears (the run holds the lock by then).
R=/work/wt/ckptcost/benchmarks/results/ckptcost-2026-12-06
for n in "$@"; do
  while [ ! -f $R/$n.console.txt ]; do sleep 2; done
  $R/sample.sh $n
done
