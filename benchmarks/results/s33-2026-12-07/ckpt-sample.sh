#!/bin/bash
# samples checkpoint dirs of the running e2e arm once a minute: arm-name tree
n=$1; tree=$2; out=/tmp/s33/$n.ckpt.txt
base=$tree/.pipeline/bench/e2e/cluster
while true; do
  if ! grep -q "^$n end" /tmp/s33/runs.log 2>/dev/null; then :; else break; fi
  job=$(ls -td $base/checkpoints/*/ 2>/dev/null | head -1)
  if [ -n "$job" ] && [ $(find $job -maxdepth 1 -newer /tmp/s33/$n.console.txt -prune 2>/dev/null | wc -l) -ge 0 ]; then
    {
      echo "== $(date -u +%H:%M:%S) $job"
      for d in $(ls -d $job/chk-* 2>/dev/null | sort -t- -k2 -n | tail -3 | head -2); do
        echo "$(basename $d): files=$(ls $d | wc -l) total=$(du -sb $d | cut -f1) metadata=$(stat -c %s $d/_metadata 2>/dev/null)"
        ls -l $d | awk 'NR>1{print "   ",$5,$9}'
      done
      echo "shared: $(find $job/shared -type f | wc -l) files $(du -sb $job/shared | cut -f1) B; taskowned: $(find $job/taskowned -type f | wc -l) files"
      ls -l $base/ha/kubelogs-local/ | awk '/completedCheckpoint/{print "   ha",$5,$9}'
    } >> $out 2>&1
  fi
  sleep 60
done
