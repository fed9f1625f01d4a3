#!/bin/bash
# e2e 10k run of this worktree's head with perf (no JFR: no deoptimization) on both TaskManagers, and the sink's put
# counters read from Flink's REST API at the start and end of the perf window
D=$1
mkdir -p $D
cd /work/wt/commitline
export MAVEN_OPTS="-Dmaven.repo.local=/work/m2/commitline"
cat /proc/loadavg > $D/load-before.txt; date -u >> $D/load-before.txt
./pipeline bench --parts e2e --duration 420s --warmup 150s --results $D/e2e > $D/console.txt 2>&1 &
B=$!
for i in $(seq 1 120); do sleep 5; grep -q 'job .* running' $D/console.txt 2>/dev/null && break; done
JOB=$(grep -o 'job [0-9a-f]\{32\}' $D/console.txt | head -1 | awk '{print $2}')
sleep 190
JM=$(ps -eo pid,args | grep StandaloneSessionClusterEntrypoint | grep -v grep | awk '{print $1}' | head -1)
PORT=""
for p in $(ss -ltnp 2>/dev/null | grep "pid=$JM," | awk '{print $4}' | sed 's/.*://'); do
  if curl -s -m 2 http://127.0.0.1:$p/jobs/$JOB >/dev/null 2>&1 && curl -s -m 2 http://127.0.0.1:$p/jobs/$JOB | grep -q vertices; then PORT=$p; break; fi
done
echo "job $JOB jm $JM port $PORT" > $D/rest.txt
metrics() {
  for v in $(curl -s http://127.0.0.1:$PORT/jobs/$JOB | python3 -c 'import json,sys; print(" ".join(v["id"] for v in json.load(sys.stdin)["vertices"]))'); do
    names=$(curl -s "http://127.0.0.1:$PORT/jobs/$JOB/vertices/$v/subtasks/metrics" | python3 -c 'import json,sys; print(",".join(m["id"] for m in json.load(sys.stdin) if any(k in m["id"] for k in ("putRequests","batchesWritten","eventsWritten","bytesWritten","readBacks","retries"))))')
    curl -s "http://127.0.0.1:$PORT/jobs/$JOB/vertices/$v/subtasks/metrics?get=$names&agg=sum"
    echo
  done
}
date -u +%s > $D/metrics-t0.txt; metrics >> $D/metrics-t0.txt
TMS=$(ps -eo pid,args | grep TaskManagerRunner | grep -v grep | awk '{print $1}')
for pid in $TMS; do
  for t in /proc/$pid/task/*; do echo "$(basename $t) $(cat $t/comm) $(awk '{print $14, $15}' $t/stat)"; done > $D/threads-$pid-t0.txt
  perf record -F 199 -p $pid -o $D/tm-$pid.perf.data -- sleep 120 > $D/perf-$pid.log 2>&1 &
  PERFS="$PERFS $!"
done
wait $PERFS
date -u +%s > $D/metrics-t1.txt; metrics >> $D/metrics-t1.txt
for pid in $TMS; do
  for t in /proc/$pid/task/*; do echo "$(basename $t) $(cat $t/comm) $(awk '{print $14, $15}' $t/stat)"; done > $D/threads-$pid-t1.txt
  jcmd $pid Compiler.perfmap > $D/perfmap-$pid.log 2>&1
  cp /tmp/perf-$pid.map $D/ 2>/dev/null
done
wait $B
cat /proc/loadavg > $D/load-after.txt; date -u >> $D/load-after.txt
