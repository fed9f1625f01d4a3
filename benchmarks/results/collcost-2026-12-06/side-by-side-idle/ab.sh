#!/bin/bash
# Two idle collectors side by side (base jar + base image flags, new jar + new image flags), 1 line/s each into
# 8 container files, segments deleted each second as the job would; thread CPU over 60 s, then strace -c 20 s each.
out=$1; mkdir -p $out
BASEF="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=50 -Xmn2m -Xss512k -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:MaxRAM=128m"
NEWF="$BASEF -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=5000"
pids=(); helpers=()
for arm in base new; do
  d=/tmp/ccab/$arm; rm -rf $d; mkdir -p $d/root/containers $d/spool $d/state
  for i in 1 2 3 4 5 6 7 8; do mkdir -p $d/root/pods/ns_p$i/c; echo "2026-12-06T00:00:00Z stdout F hello $i" > $d/root/pods/ns_p$i/c/0.log; ln -s $d/root/pods/ns_p$i/c/0.log $d/root/containers/p${i}_ns_c-$i.log; done
  for h in messages dmesg secure; do echo x > $d/root/$h; done
  if [ $arm = base ]; then jar=/tmp/ccbase/node-collector/target/kubelogs-node-collector.jar; flags=$BASEF; else jar=/work/wt/collcost/node-collector/target/kubelogs-node-collector.jar; flags=$NEWF; fi
  ( cd $d; export CLUSTER_NAME=c HOST_NAME=n LOG_ROOT=$d/root SPOOL_DIR=$d/spool STATE_DIR=$d/state HOST_LOGS=files JOURNAL_DIR=$d/nojournal HTTP_SERVER=On HTTP_PORT=0 USE_KUBELET=Off MALLOC_ARENA_MAX=2; exec java $flags -cp $jar dev.kubelogs.collector.CollectorCommand > $d/collector.log 2>&1 ) &
  pids+=($!)
  ( i=0; while true; do n=$((i % 8 + 1)); echo "2026-12-06T00:00:00Z stdout F line $i" >> $d/root/pods/ns_p$n/c/0.log; rm -f $d/spool/c/n/*.seg; i=$((i+1)); sleep 1; done ) &
  helpers+=($!)
done
echo "base ${pids[0]} new ${pids[1]}" > $out/pids
snap() { for t in /proc/$1/task/*; do tid=${t##*/}; name=$(cat $t/comm); st=$(sed 's/.*) //' $t/stat); ut=$(echo $st | awk '{print $12}'); stt=$(echo $st | awk '{print $13}'); vcs=$(grep ^voluntary_ctxt $t/status | awk '{print $2}'); nvcs=$(grep ^nonvoluntary_ctxt $t/status | awk '{print $2}'); echo "$tid|$name|$ut|$stt|$vcs|$nvcs"; done; }
sleep 40
cat /proc/loadavg > $out/load-before
for k in 0 1; do a=$([ $k = 0 ] && echo base || echo new); mkdir -p $out/$a; snap ${pids[$k]} > $out/$a/snapA; date +%s.%N > $out/$a/tA; done
sleep 60
for k in 0 1; do a=$([ $k = 0 ] && echo base || echo new); snap ${pids[$k]} > $out/$a/snapB; date +%s.%N > $out/$a/tB; done
cat /proc/loadavg > $out/load-after
timeout 20 strace -f -c -p ${pids[0]} -o $out/base/strace.txt 2>/dev/null &
timeout 20 strace -f -c -p ${pids[1]} -o $out/new/strace.txt 2>/dev/null
wait %3 2>/dev/null; sleep 1
for p in "${pids[@]}" "${helpers[@]}"; do kill $p 2>/dev/null; done
echo done > $out/done
