package dev.kubelogs.bench.jmh;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsCommittable;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsCommittableSerializer;
import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The sink's per-event work outside the SDK, per event: the network serializer of {@link CloudWatchEvent}
 * between the keyed stage and the writer (whatever {@code TypeInformation.of} picks: the POJO serializer before
 * issue 5's work, the dedicated one after), and the committable serializer that writes each event into checkpoint
 * state once per checkpoint. Same realistic JSON lines as {@link BatchCutterBench}; only public API, so the same
 * benchmark runs against an older job jar for a before/after.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SinkPathBench {
    static final int EVENTS = 20_000;
    private final TypeSerializer<CloudWatchEvent> eventSerializer =
            TypeInformation.of(CloudWatchEvent.class).createSerializer(new SerializerConfigImpl());
    private final CloudWatchLogsCommittableSerializer committableSerializer = new CloudWatchLogsCommittableSerializer();
    private final DataOutputSerializer out = new DataOutputSerializer(1 << 20);
    private List<CloudWatchEvent> in;
    private List<CloudWatchLogsCommittable> committables;

    @Setup
    public void setup() {
        in = new ArrayList<>();
        List<SinkEvent> prepared = new ArrayList<>();
        BatchCutter cutter = BatchCutter.defaults();
        for (int i = 0; i < EVENTS; i++) {
            CloudWatchEvent e = new CloudWatchEvent(
                    "/aws/containerinsights/prod/application",
                    "ip-10-0-1-10-application.var.log.containers.orders",
                    1_700_000_000_000L + i / 10,
                    Lines.dockerText(i),
                    "node-a:/var/log/pods/default_orders-7d/app/0.log#inode=2049",
                    i * 250L);
            in.add(e);
            prepared.add(cutter.prepare(e).event);
        }
        committables = new ArrayList<>();
        long seq = 0;
        for (List<SinkEvent> batch : BatchCutter.cut(prepared)) {
            committables.add(new CloudWatchLogsCommittable(
                    "/aws/containerinsights/prod/application",
                    "ip-10-0-1-10-application.var.log.containers.orders",
                    41,
                    0,
                    seq++,
                    1_700_000_000_000L,
                    batch));
        }
    }

    /** Serialize and deserialize every event once (one network hop keyed stage → sink). */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long eventSerde() throws IOException {
        out.clear();
        for (CloudWatchEvent e : in) {
            eventSerializer.serialize(e, out);
        }
        DataInputDeserializer back = new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        long n = 0;
        for (int i = 0; i < EVENTS; i++) {
            CloudWatchEvent e = eventSerializer.deserialize(back);
            n += e.messageUtf8 != null ? e.messageUtf8.length : e.message.length();
        }
        return n;
    }

    /** Write every event into checkpoint state once (the committables of one checkpoint); returns the bytes. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long committableSerialize() throws IOException {
        long bytes = 0;
        for (CloudWatchLogsCommittable c : committables) {
            bytes += committableSerializer.serialize(c).length;
        }
        return bytes;
    }
}
