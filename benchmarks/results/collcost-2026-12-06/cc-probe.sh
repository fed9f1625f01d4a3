#!/bin/bash
# usage: cc-probe.sh outdir  -- waits for a collector process, then threads over 60 s, then strace 20 s
out=$1; mkdir -p $out
pid=""
findpid() { for c in $(pgrep -f "collcost.*dev.kubelogs.collector.CollectorCommand"); do pp=$(ps -o ppid= -p $c | tr -d ' '); if tr '\0' ' ' < /proc/$pp/cmdline 2>/dev/null | grep -q 'kubelogs.repo.root=/work/wt/collcost'; then echo $c; return; fi; done; }
while [ -z "$pid" ] || [ "$pid" = "$SKIP" ]; do pid=$(findpid); sleep 1; done
echo "pid $pid $(date +%T)" > $out/pid
sleep 30
snap() { for t in /proc/$pid/task/*; do tid=${t##*/}; name=$(cat $t/comm); read -a s < $t/stat 2>/dev/null; 
  # after comm field with possible spaces: take fields from end is complicated; use awk on stat after ')'
  st=$(sed 's/.*) //' $t/stat); ut=$(echo $st | awk '{print $12}'); stt=$(echo $st | awk '{print $13}');
  vcs=$(grep ^voluntary_ctxt $t/status | awk '{print $2}'); nvcs=$(grep ^nonvoluntary_ctxt $t/status | awk '{print $2}');
  echo "$tid|$name|$ut|$stt|$vcs|$nvcs"; done; }
snap > $out/snapA; date +%s.%N > $out/tA
sleep 60
snap > $out/snapB; date +%s.%N > $out/tB
cat /proc/loadavg > $out/load
timeout 20 strace -f -c -p $pid -o $out/strace.txt 2>/dev/null
timeout 10 strace -f -tt -p $pid -o $out/strace-trace.txt 2>/dev/null
echo done > $out/done
