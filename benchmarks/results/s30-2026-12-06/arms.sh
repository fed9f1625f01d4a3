#!/bin/bash
# 10k at 2.5-s checkpoints (discovery following), 600/180 each, alone: file merging on, the head as it is, file merging
# and file merging at the shipped 5 s. config.yaml is edited for a run only and restored after it.
R=/work/main/benchmarks/results/s30-2026-12-06
S=/work/wt/s30
cd /work/main
run() { # name, fm(0/1), extra bench flags...
  n=$1; fm=$2; shift 2
  if [ $fm = 1 ]; then
    printf '%s\n' '# (this run only) checkpoint file merging' 'execution.checkpointing.file-merging.enabled: true' >> flink-conf/config.yaml
  fi
  tail -3 flink-conf/config.yaml > $R/$n.config-tail.txt
  echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
  rm -f $S/$n.files.stop; ( $S/files.sh $S/$n.files.txt & )
  BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts e2e --duration 600s --warmup 180s "$@" --results $R/$n > $R/$n.console.txt 2>&1
  echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
  touch $S/$n.files.txt.stop
  git checkout flink-conf/config.yaml
  cp -r .pipeline/bench/e2e/cluster/logs $R/$n.logs 2>/dev/null; gzip -q $R/$n.logs/* 2>/dev/null
}
I25="--checkpoint-interval 2500ms --discovery-interval 2500ms"
run e2e-10k-2500ms-fm 1 $I25
run e2e-10k-2500ms 0 $I25
run e2e-10k-5s-fm 1
