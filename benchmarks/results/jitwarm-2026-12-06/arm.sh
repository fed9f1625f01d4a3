#!/bin/bash
# One locked e2e run of an arm: arm.sh <name> <extra TaskManager JVM flags> [<extra JobManager flags>] [duration] [warmup]
# Both arms add -XX:+CITime (the compiler's totals, printed at exit into the TaskManager's .out).
cd /work/wt/jitwarm
R=/work/wt/jitwarm/benchmarks/results/jitwarm-2026-12-06
name=$1; tmx=$2; jmx=$3; dur=${4:-420s}; wu=${5:-180s}
export MAVEN_OPTS="-Dmaven.repo.local=/work/m2/jitwarm"
restore() { cp $R/config.shipped.yaml flink-conf/config.yaml; }
trap restore EXIT
sed -i -e "s|^\(env.java.opts.taskmanager: .*\)$|\1 -XX:+CITime $tmx|" -e "s|^\(env.java.opts.jobmanager: .*\)$|\1 -XX:+CITime $jmx|" flink-conf/config.yaml
grep '^env.java.opts' flink-conf/config.yaml > $R/$name.flags
echo "$name start $(date -u +%T) load $(cat /proc/loadavg)" | tee $R/$name.load
$R/sample.sh $R/$name.sample 60 190 $(( ${dur%s} - 30 )) &
sp=$!
./pipeline bench --parts e2e --duration $dur --warmup $wu --results $R/$name > $R/$name.console.txt 2>&1
rc=$?
echo "$name end $(date -u +%T) rc $rc load $(cat /proc/loadavg)" | tee -a $R/$name.load
sleep 5; kill $sp 2>/dev/null
mkdir -p $R/$name.sample; cp .pipeline/bench/e2e/cluster/logs/*.out $R/$name.sample/ 2>/dev/null
