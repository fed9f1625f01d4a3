package dev.kubelogs.bench.jmh;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The sink's per-event check (BatchCutter.prepare) and the per-stream sort + cut into PutLogEvents batches, per event. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BatchCutterBench {
    static final int EVENTS = 20_000;
    private final BatchCutter cutter = BatchCutter.defaults();
    private List<CloudWatchEvent> in;
    private List<SinkEvent> prepared;

    @Setup
    public void setup() {
        in = new ArrayList<>();
        prepared = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            // mostly in order, some late by up to 2 s, like several files of one node
            long ts = 1_700_000_000_000L + i / 10 - (i % 7 == 0 ? 2000 : 0);
            CloudWatchEvent e = new CloudWatchEvent(
                    "/aws/containerinsights/prod/application",
                    "ip-10-0-1-10-application.var.log.containers.orders",
                    ts,
                    Lines.dockerText(i),
                    "2049:1234:0",
                    i * 250L);
            in.add(e);
            prepared.add(cutter.prepare(e).event);
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int prepare() {
        int n = 0;
        for (CloudWatchEvent e : in) {
            n += cutter.prepare(e).event.utf8Length();
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int cut() {
        return BatchCutter.cut(prepared).size();
    }
}
