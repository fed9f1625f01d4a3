#!/bin/bash
# HttpClientLoop runs, each under the bench lock; CP: the job's test classpath (target/test-classes:target/classes:deps)
out=$1; shift
CP=$(cat /tmp/cwclient-fullcp.txt)
echo "load before: $(cat /proc/loadavg) $(date -u +%T) args: $*" >> "$out"
java -XX:+UseSerialGC -Xmx2g -cp "$CP" dev.kubelogs.job.sink.cloudwatch.HttpClientLoop "$@" 2>&1 | grep -v "^\s*at \|DEBUG\|INFO" >> "$out"
echo "load after: $(cat /proc/loadavg) $(date -u +%T)" >> "$out"
