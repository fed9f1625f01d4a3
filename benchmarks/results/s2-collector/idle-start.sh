#!/usr/bin/env bash
# idle2.sh <seconds> <args> -- <jvm flags>
secs=$1; shift; a=$1; shift
d=$(mktemp -d /tmp/s2x/idle.XXXX); mkdir -p $d/logs/containers $d/logs/pods
CLUSTER_NAME=b HOST_NAME=n LOG_ROOT=$d/logs SPOOL_DIR=$d/spool STATE_DIR=$d/state HOST_LOGS=none USE_KUBELET=Off HTTP_SERVER=On HTTP_PORT=0 \
  java "$@" -cp ${JAR:-/work/wt-collector/node-collector/target/kubelogs-node-collector.jar} dev.kubelogs.collector.CollectorCommand $a > $d/out.log 2>&1 &
pid=$!
sleep $secs
read -r -a st < /proc/$pid/stat
cpu=$(echo "scale=2; (${st[13]}+${st[14]})/$(getconf CLK_TCK)" | bc)
echo "args='$a' cpu=${cpu}s hwm=$(grep VmHWM /proc/$pid/status | awk '{print $2/1024}')MB"
kill -9 $pid; wait $pid 2>/dev/null; rm -rf $d
