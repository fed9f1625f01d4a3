#!/bin/bash
# 10k at 3-s checkpoints (discovery following), 600/180 each, alone: the head as it is, then with checkpoint file
# merging and one RocksDB transfer thread (config.yaml edited for that run only and restored after it)
R=/work/main/benchmarks/results/s30-2026-12-06
S=/work/wt/s30
cd /work/main
run() { # name, fm(0/1), extra bench flags...
  n=$1; fm=$2; shift 2
  if [ $fm = 1 ]; then
    printf '%s\n' '# (this run only) checkpoint file merging, RocksDB files sent on one thread' 'execution.checkpointing.file-merging.enabled: true' 'state.backend.rocksdb.checkpoint.transfer.thread.num: 1' >> flink-conf/config.yaml
  fi
  tail -3 flink-conf/config.yaml > $R/$n.config-tail.txt
  echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
  rm -f $S/$n.files.txt.stop; ( $S/files.sh $S/$n.files.txt & )
  BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts e2e --duration 600s --warmup 180s "$@" --results $R/$n > $R/$n.console.txt 2>&1
  echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
  touch $S/$n.files.txt.stop
  git checkout flink-conf/config.yaml
}
I3="--checkpoint-interval 3s --discovery-interval 3s"
run e2e-10k-3s 0 $I3
run e2e-10k-3s-fm-1thread 1 $I3
