#!/bin/bash
# S3 requests with checkpoint file merging and one RocksDB transfer thread, the Flink keys given as they are (the
# first try prefixed them with "flink.", which the bench passed on to Flink as unknown keys: it measured the shipped settings)
R=/work/main/benchmarks/results/s30-2026-12-06
cd /work/main
n=spool-cost-fm-1thread-keys
echo "$n start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> $R/runs.log
BENCH_JAVA_OPTS=-Xmx12g ./pipeline bench --parts spool-cost --spool-cost-set execution.checkpointing.file-merging.enabled=true --spool-cost-set state.backend.rocksdb.checkpoint.transfer.thread.num=1 --results $R/$n > $R/$n.console.txt 2>&1
echo "$n end $(date -u +%H:%M:%S) rc $? load $(cat /proc/loadavg)" >> $R/runs.log
