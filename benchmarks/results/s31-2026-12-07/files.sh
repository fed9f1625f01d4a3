#!/bin/bash
# Beside one bench run: every 2 s, every file (mtime, size, path) under the cluster's checkpoint and HA directories,
# so files.py can count the files (S3 objects in production) each checkpoint creates and their sizes.
out=$1; C=/work/main/.pipeline/bench/e2e/cluster
for i in $(seq 1 ${2:-900}); do sleep 2
  [ -f "$out.stop" ] && break
  echo "== $(date -u +%s)"
  find $C/checkpoints $C/ha -type f -printf '%s %p\n' 2>/dev/null | sed "s|$C/||"
done > $out
