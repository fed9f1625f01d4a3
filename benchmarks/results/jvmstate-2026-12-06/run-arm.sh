#!/usr/bin/env bash
# run-arm.sh NAME [extra bench args...]: one locked e2e arm at 10k lines/s, load recorded, checkpoint dirs sampled.
set -u
name=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
cd /work/wt/jvmstate
export MAVEN_OPTS="-Dmaven.repo.local=/work/m2/jvmstate"
work=/tmp/jvmstate-work-$name
rm -rf "$work"
flock /work/wt/bench.lock bash -c '
  if [ "${VMFLAGS:-0}" = 1 ]; then
    cp flink-conf/config.yaml /tmp/jvmstate-config.yaml.orig
    sed -i -E "s/^(env.java.opts.(taskmanager|jobmanager): -XX:\+UseSerialGC -XX:-UsePerfData)/\1 -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=5000/" flink-conf/config.yaml
  fi
  echo "$0 start $(date -u +%T) load $(cat /proc/loadavg) opts: $(grep ^env.java.opts flink-conf/config.yaml | tr "\n" "|")" >> '"$here"'/runs.log
  ( while sleep 20; do
      d=$(find '"$work"' -maxdepth 8 -type d -name "chk-*" 2>/dev/null | awk -F- "{print \$NF, \$0}" | sort -n | tail -1 | cut -d" " -f2-)
      [ -n "$d" ] && echo "$(date -u +%T) $d chkfiles=$(find "$d" -type f | wc -l) metadata=$(stat -c %s "$d/_metadata" 2>/dev/null) jobdirfiles=$(find "$(dirname "$d")" -type f | wc -l)"
    done ) > '"$here"'/$0.ckpt.txt 2>&1 &
  sampler=$!
  ./pipeline bench --parts e2e --duration 420s --warmup 180s --work-dir '"$work"' --results '"$here"'/$0 "$@" > '"$here"'/$0.console.txt 2>&1
  rc=$?
  kill $sampler
  if [ "${VMFLAGS:-0}" = 1 ]; then cp /tmp/jvmstate-config.yaml.orig flink-conf/config.yaml; fi
  echo "$0 end $(date -u +%T) rc $rc load $(cat /proc/loadavg)" >> '"$here"'/runs.log
' "$name" "$@"
