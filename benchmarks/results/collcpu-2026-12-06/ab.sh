#!/bin/bash
# usage: ab.sh outDir armA-repo armA-flags armB-repo armB-flags [profile]  (run under flock /work/wt/bench.lock)
# Both collectors at 5,000 lines/s side by side; threads over [180 s, 300 s]; strace -c 20 s on both at once after
# that; with "profile", async-profiler (cpu, 1 ms, per thread) on both over the same window.
out=$1; A=$2; AF=$3; B=$4; BF=$5; prof=$6
WARM=${WARM:-180}; WIN=${WIN:-120}
mkdir -p $out; cat /proc/loadavg > $out/load-before
CP=/tmp/sbs-classes:/work/wt/collcpu/benchmarks/target/classes:$(cat /work/wt/collcpu/launcher/target/classpath.txt)
java -Xmx1g -cp $CP SideBySide $A $AF $B $BF $out 5000 $WARM $WIN 30 > $out/driver.log 2>&1 &
drv=$!
while [ ! -s $out/pids ]; do sleep 1; kill -0 $drv 2>/dev/null || exit 1; done
read pa pb < $out/pids
if [ "$prof" = profile ]; then
  sleep $WARM
  for p in $pa $pb; do java -cp /tmp/sbs-classes Attach $p /tmp/ap/linux-x64/libasyncProfiler.so "start,event=cpu,interval=1ms,threads,timeout=$WIN,collapsed,file=$out/prof-$p.collapsed" >> $out/attach.log 2>&1; done
  sleep $((WIN + 2))
else
  sleep $((WARM + WIN + 2))
fi
timeout 20 strace -f -c -p $pa -o $out/arma-strace.txt 2>/dev/null &
timeout 20 strace -f -c -p $pb -o $out/armb-strace.txt 2>/dev/null
sleep 1
wait $drv
cat /proc/loadavg > $out/load-after
