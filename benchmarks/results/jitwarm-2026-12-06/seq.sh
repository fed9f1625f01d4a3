#!/bin/bash
R=/work/wt/jitwarm/benchmarks/results/jitwarm-2026-12-06
for a in "$@"; do
  case $a in
    base*) f="" ;;
    s025*) f="-XX:CompileThresholdScaling=0.25" ;;
    s01*) f="-XX:CompileThresholdScaling=0.1" ;;
    s05*) f="-XX:CompileThresholdScaling=0.5" ;;
  esac
  echo "$a waiting for lock $(date -u +%T)" >> $R/seq.log
  flock /work/wt/bench.lock $R/arm.sh $a "$f" >> $R/seq.log 2>&1
done
