#!/bin/bash
# Samples the bench cluster's TaskManagers (and JobManager) of this worktree: every 30 s each thread's CPU ticks
# (utime+stime from /proc/<pid>/task/*/stat), and the code cache (jcmd Compiler.codecache) at given seconds after
# the first TaskManager appears. Usage: sample.sh <outdir> <codecache-at-seconds...>
out=$1; shift; marks=("$@")
mkdir -p "$out"
tms() { for p in $(pgrep -f 'TaskManagerRunner|StandaloneSessionClusterEntrypoint|ClusterEntrypoint'); do
  tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q '/work/wt/jitwarm/' && echo $p; done; }
t0=""
while true; do
  pids=$(tms)
  if [ -z "$pids" ]; then [ -n "$t0" ] && break; sleep 2; continue; fi
  [ -z "$t0" ] && t0=$(date +%s)
  now=$(date +%s); el=$((now - t0))
  for p in $pids; do
    role=$(tr '\0' ' ' < /proc/$p/cmdline | grep -o 'taskmanager-[0-9]' | head -1); role=${role:-jobmanager}
    cat /proc/$p/task/*/stat 2>/dev/null | awk -v t=$now -v r=$role '{ match($0, /\(.*\)/); n=substr($0, RSTART+1, RLENGTH-2); rest=substr($0, RSTART+RLENGTH+1); split(rest, f, " "); gsub(/ /,"_",n); print t, r, n, f[12]+f[13] }' >> "$out/threads.txt"
  done
  for m in "${marks[@]}"; do
    if [ $el -ge $m ] && [ ! -e "$out/cc-$m.done" ]; then
      touch "$out/cc-$m.done"
      for p in $pids; do
        role=$(tr '\0' ' ' < /proc/$p/cmdline | grep -o 'taskmanager-[0-9]' | head -1); role=${role:-jobmanager}
        { echo "== $(date -u +%T) t+$el $role"; jcmd $p Compiler.codecache; } >> "$out/codecache.txt" 2>&1
        jcmd $p Compiler.codelist > "$out/codelist-$m-$role.txt" 2>&1
      done
    fi
  done
  sleep 30
done
rm -f "$out"/cc-*.done
