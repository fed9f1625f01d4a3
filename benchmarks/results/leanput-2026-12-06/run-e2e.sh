#!/bin/bash
# One e2e arm at 10k lines/s under the bench lock: $1 worktree, $2 its Maven repository, $3 results folder
WT=$1; M2=$2; D=$3
mkdir -p $D
cd $WT
export MAVEN_OPTS="-Dmaven.repo.local=$M2"
echo "head $(git rev-parse --short HEAD) start $(date -u +%T) load $(cat /proc/loadavg)" > $D/load.txt
./pipeline bench --parts e2e --duration 420s --warmup 180s --results $D/e2e > $D/console.txt 2>&1
echo "end $(date -u +%T) load $(cat /proc/loadavg)" >> $D/load.txt
