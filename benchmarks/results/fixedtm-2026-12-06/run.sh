#!/bin/bash
# One 10k e2e run of a worktree (arg 2) with its m2 (arg 3): per-thread CPU of the JobManager and both TaskManagers
# from /proc over a 180-s window in the steady part, perf -g (frame pointers, perf map) of the idle TaskManager and
# the JobManager over the same window, and the window's checkpoints from Flink's REST API.
D=$1; WT=$2; M2=$3
mkdir -p $D
cd $WT
export MAVEN_OPTS="-Dmaven.repo.local=$M2"
cat /proc/loadavg > $D/load-before.txt; date -u >> $D/load-before.txt; git -C $WT log --oneline -1 >> $D/load-before.txt
./pipeline bench --parts e2e --duration 420s --warmup 180s --results $D/e2e > $D/console.txt 2>&1 &
B=$!
for i in $(seq 1 120); do sleep 5; grep -q 'job .* running' $D/console.txt 2>/dev/null && break; done
C=$WT/.pipeline/bench/e2e/cluster
( while kill -0 $B 2>/dev/null; do
    echo "$(date -u +%T) $(ls -t $C/checkpoints/*/ 2>/dev/null | grep chk | head -1) metadata $(stat -c %s $(ls -td $C/checkpoints/*/chk-* 2>/dev/null | sed -n 2p)/_metadata 2>/dev/null) manifests $(stat -c %s $C/taskmanager-*/rocksdb/*/db/MANIFEST-* 2>/dev/null | tr '\n' ' ')"
    sleep 30
  done > $D/sizes.txt ) &
JOB=$(grep -o 'job [0-9a-f]\{32\}' $D/console.txt | head -1 | awk '{print $2}')
sleep 200
JM=$(ps -eo pid,args | grep StandaloneSessionClusterEntrypoint | grep -v grep | awk '{print $1}' | head -1)
PORT=""
for p in $(ss -ltnp 2>/dev/null | grep "pid=$JM," | awk '{print $4}' | sed 's/.*://'); do
  if curl -s -m 2 http://127.0.0.1:$p/jobs/$JOB | grep -q vertices; then PORT=$p; break; fi
done
TMS=$(ps -eo pid,args | grep TaskManagerRunner | grep -v grep | awk '{print $1}')
echo "job $JOB jm $JM port $PORT tms $TMS" > $D/rest.txt
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
IDLE=""; MIN=999999999
for pid in $TMS; do c=$(cpu $pid); echo "tm $pid cpu-ticks-so-far $c" >> $D/rest.txt; if [ $c -lt $MIN ]; then MIN=$c; IDLE=$pid; fi; done
echo "idle $IDLE" >> $D/rest.txt
snap() { for pid in $JM $TMS; do for t in /proc/$pid/task/*; do echo "$pid $(basename $t) $(awk '{print $14, $15}' $t/stat) $(tr ' ' '_' < $t/comm)"; done; done; }
curl -s http://127.0.0.1:$PORT/jobs/$JOB/checkpoints > $D/cp-t0.json
date -u +%s.%N > $D/t0.txt; snap > $D/threads-t0.txt
perf record -g -F 99 -p $IDLE -o $D/tm-idle.perf.data -- sleep 180 > $D/perf-tm.log 2>&1 &
P1=$!
perf record -g -F 99 -p $JM -o $D/jm.perf.data -- sleep 180 > $D/perf-jm.log 2>&1 &
P2=$!
wait $P1 $P2
date -u +%s.%N > $D/t1.txt; snap > $D/threads-t1.txt
curl -s http://127.0.0.1:$PORT/jobs/$JOB/checkpoints > $D/cp-t1.json
# the latest completed checkpoint's per-vertex, per-subtask details
CP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["latest"]["completed"]["id"])' $D/cp-t1.json)
for v in $(curl -s http://127.0.0.1:$PORT/jobs/$JOB | python3 -c 'import json,sys; print(" ".join(v["id"] for v in json.load(sys.stdin)["vertices"]))'); do
  curl -s http://127.0.0.1:$PORT/jobs/$JOB/checkpoints/details/$CP/subtasks/$v; echo
done > $D/cp-subtasks.json
curl -s http://127.0.0.1:$PORT/jobs/$JOB > $D/job.json
curl -s http://127.0.0.1:$PORT/jobs/$JOB/checkpoints/details/$CP > $D/cp-details.json
for pid in $JM $IDLE; do jcmd $pid Compiler.perfmap > $D/perfmap-$pid.log 2>&1; cp /tmp/perf-$pid.map $D/ 2>/dev/null; done
ls -la $WT/target 2>/dev/null | head -2 >/dev/null
wait $B
cat /proc/loadavg > $D/load-after.txt; date -u >> $D/load-after.txt
