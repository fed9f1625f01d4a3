#!/bin/bash
# usage: e2e-probe.sh <worktree> <outdir>: waits for that worktree's two collector processes in an e2e run, then
# per-thread CPU of each over [200 s, 380 s] of their life (inside the e2e's measured window), as diff.py reads it.
wt=$1; out=$2; mkdir -p $out
pids=""
while [ $(echo $pids | wc -w) -lt 2 ]; do
  pids=$(for p in $(pgrep -f "dev.kubelogs.collector.CollectorCommand"); do tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q "$wt/node-collector/target" && echo $p; done)
  sleep 2
done
echo $pids > $out/pids
snap() { echo $(date +%s%N); for t in /proc/$1/task/*; do st=$(cat $t/stat 2>/dev/null) || continue; comm=${st#*(}; comm=${comm%)*}; rest=${st##*) }; set -- $rest; ut=${12}; stt=${13};
  v=$(awk '/^voluntary_ctxt/{print $2}' $t/status); nv=$(awk '/^nonvoluntary_ctxt/{print $2}' $t/status); echo "${t##*/}|$comm|$ut|$stt|$v|$nv"; done; }
sleep 200
i=0; for p in $pids; do snap $p > $out/c$i-snapA; i=$((i+1)); done; cat /proc/loadavg > $out/loadA
sleep 180
i=0; for p in $pids; do snap $p > $out/c$i-snapB; grep -E 'VmHWM|VmRSS' /proc/$p/status > $out/c$i-rss; i=$((i+1)); done; cat /proc/loadavg > $out/loadB
