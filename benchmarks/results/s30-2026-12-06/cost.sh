#!/bin/bash
# S3 requests counted at S3Proxy (spool and checkpoints, the deployment's 5-s checkpoints): as shipped, then with
# checkpoint file merging and one RocksDB transfer thread
R=/work/main/benchmarks/results/s30-2026-12-06
cd /work/main
c() { n=$1; shift
  echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
  BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts spool-cost "$@" --results $R/$n > $R/$n.console.txt 2>&1
  echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
}
c spool-cost-fm-1thread --spool-cost-set flink.execution.checkpointing.file-merging.enabled=true --spool-cost-set flink.state.backend.rocksdb.checkpoint.transfer.thread.num=1
c spool-cost
