package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.NodeProcessor;
import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaStage;
import dev.kubelogs.job.metrics.emf.EmfBundleOperator;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import dev.kubelogs.job.model.CloudWatchEventBundleSerializer;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.source.SegmentBulkFormat;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.job.source.SpoolSource;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The records Flink hands from one chained operator to the next without a copy (their serializers' copy is the record
 * itself: the spool source's {@link SpoolRecord}s, {@link SeriesBatch}, {@link SeriesGroup}, {@link CloudWatchEvent})
 * must never be written after they were made, by their maker or by any consumer. Every chained stream of both
 * branches gets, beside its real consumer, a keeper added before it and one added after it: each keeps every record
 * it receives with a deep snapshot taken at receipt. At the end of input every kept record must still equal its
 * snapshot (nobody wrote it later, and its maker did not reuse it), and both keepers of a stream must have received
 * the same records (the real consumer between them did not write its input). Run with object reuse off, as the job
 * ships, and on: the events must be the same.
 */
class SharedRecordsITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension();

    /** Per run and keeper: the snapshots at receipt, and what differed at the end. */
    private static final Map<String, Kept> KEPT = new ConcurrentHashMap<>();

    @Test
    void chainedRecordsAreNotWrittenAfterTheyWereMade() throws Exception {
        Map<String, Kept> off = run(false);
        Map<String, Kept> on = run(true);
        for (Map<String, Kept> run : List.of(off, on)) {
            for (Map.Entry<String, Kept> e : run.entrySet()) {
                assertThat(e.getValue().snapshots).as(e.getKey()).isNotEmpty();
                assertThat(e.getValue().objectReuse).as(e.getKey()).isEqualTo(run == on);
                assertThat(e.getValue().writtenLater)
                        .as(e.getKey() + ": records written after receipt")
                        .isEmpty();
            }
            for (String stream : List.of("spool", "scrapes", "deltas")) {
                assertThat(run.get(stream + " after").snapshots)
                        .as(stream + ": what the keeper after the real consumer received")
                        .isEqualTo(run.get(stream + " before").snapshots);
            }
        }
        // object reuse changes nothing the job emits
        for (String emitted : List.of("events", "log events")) {
            assertThat(on.get(emitted + " before").snapshots)
                    .as(emitted)
                    .isEqualTo(off.get(emitted + " before").snapshots);
        }
        assertThat(off.get("events before").snapshots).hasSize(4);
        assertThat(off.get("log events before").snapshots)
                .as("3 application, 1 host")
                .hasSize(4);
    }

    private static Map<String, Kept> run(boolean objectReuse) throws Exception {
        String run = objectReuse ? "reuse on/" : "reuse off/";
        Configuration config = new Configuration();
        config.set(PipelineOptions.OBJECT_REUSE, objectReuse);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        if (objectReuse) {
            env.getConfig().enableObjectReuse();
        } else {
            env.getConfig().disableObjectReuse();
        }

        // metrics: scrapes ▶ router ▶ (network) ▶ deltas ▶ EMF
        DataStream<SeriesBatch> scrapes =
                env.fromData(scrapes(), TypeInformation.of(SeriesBatch.class)).uid("scrapes");
        keep(scrapes, run + "scrapes before");
        SingleOutputStreamOperator<SeriesGroup> deltas =
                DeltaStage.deltas(scrapes, new DeltaCalculator(Duration.ofMinutes(5)));
        keep(scrapes, run + "scrapes after");
        keep(deltas, run + "deltas before");
        DataStream<CloudWatchEventBundle> bundles = deltas.transform(
                        "emf",
                        CloudWatchEventBundleSerializer.of(),
                        new EmfBundleOperator(EmfEventBuilder.builder("prod")))
                .uid("emf");
        // a bundle is copied between chained operators (its serializer's copy is deep); its events are compared
        DataStream<CloudWatchEvent> events = bundles.flatMap(new Unbundle(), TypeInformation.of(CloudWatchEvent.class))
                .uid("unbundle");
        keep(deltas, run + "deltas after");
        keep(events, run + "events before");

        // logs: spool records ▶ node processor ▶ its events
        KeyedStream<SpoolRecord, String> spool = DataStreamUtils.reinterpretAsKeyedStream(
                env.fromData(spoolRecords(), SpoolSource.recordType()).uid("spool"), new LogPipelineJob.NodeKey());
        keep(spool, run + "spool before");
        SingleOutputStreamOperator<CloudWatchEvent> processed =
                spool.process(new NodeProcessor(JobOptions.defaults())).uid("node-processor");
        keep(spool, run + "spool after");
        DataStream<CloudWatchEvent> side = processed.getSideOutput(OutputTags.EVENTS);
        keep(side, run + "log events before");
        keep(side, run + "log events after");

        env.execute("shared records, " + run);
        Map<String, Kept> kept = new TreeMap<>();
        KEPT.forEach((name, k) -> {
            if (name.startsWith(run)) {
                kept.put(name.substring(run.length()), k);
            }
        });
        return kept;
    }

    private static final class Unbundle implements FlatMapFunction<CloudWatchEventBundle, CloudWatchEvent> {
        @Override
        public void flatMap(CloudWatchEventBundle bundle, Collector<CloudWatchEvent> out) {
            for (int i = 0; i < bundle.size(); i++) {
                out.collect(bundle.event(i));
            }
        }
    }

    private static <T> void keep(DataStream<T> stream, String name) {
        stream.flatMap(new Keeper<>(name, stream.getType()), TypeInformation.of(Void.class))
                .uid(name)
                .name(name);
    }

    /** Two scrapes of one target: a counter (primes, then a delta), a gauge and a histogram. */
    private static List<SeriesBatch> scrapes() {
        List<SeriesBatch> batches = new ArrayList<>();
        Labels target = Labels.of("job", "shop", "instance", "10.0.0.1:9100", "pod", "orders-1");
        for (int scrape = 0; scrape < 2; scrape++) {
            long t = 1_700_000_000_000L + 60_000L * scrape;
            batches.add(SeriesBatch.unrouted(List.of(
                    new SeriesGroup(
                            "shop",
                            target,
                            MetricType.COUNTER,
                            t,
                            new String[] {"http_requests_total"},
                            new double[] {100 + 10 * scrape},
                            null),
                    new SeriesGroup(
                            "shop",
                            target.with("pool", "heap"),
                            MetricType.GAUGE,
                            t,
                            new String[] {"memory_bytes"},
                            new double[] {4096 + scrape},
                            null),
                    new SeriesGroup(
                            "shop",
                            target,
                            MetricType.HISTOGRAM,
                            t,
                            new String[] {
                                "latency_seconds_bucket",
                                "latency_seconds_bucket",
                                "latency_seconds_sum",
                                "latency_seconds_count"
                            },
                            new double[] {3 + scrape, 5 + 2 * scrape, 1.5 + scrape, 5 + 2 * scrape},
                            new double[] {0.1, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN}))));
        }
        return batches;
    }

    /** One segment of a node: three container lines (two of them a Java stack trace) and a host line. */
    private static List<SpoolRecord> spoolRecords() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long t0 = 1_700_000_000_000L;
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader("prod", "node-1", 0, t0, Map.of("az", "az1")));
        int container = w.declareFile(
                new FileRef(
                        "/var/log/containers/orders-1_shop_app-0123456789abcdef0123456789abcdef0123456789abcdef01234567"
                                + "89abcdef.log",
                        1,
                        1000,
                        0,
                        SourceKind.CONTAINER),
                0);
        int host = w.declareFile(new FileRef("/var/log/messages", 1, 1001, 0, SourceKind.HOST_FILE), 0);
        w.readTime(t0);
        for (String line : List.of(
                "2023-11-14T22:13:20.000000001Z stdout F started",
                "2023-11-14T22:13:20.000000002Z stderr F Exception in thread \"main\" java.lang.IllegalStateException: x",
                "2023-11-14T22:13:20.000000003Z stderr F \tat com.shop.Orders.main(Orders.java:12)",
                "2023-11-14T22:13:20.000000004Z stdout F done")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            w.line(container, b, 0, b.length, 0);
        }
        byte[] h = "Nov 14 22:13:20 node-1 kernel: eth0 up".getBytes(StandardCharsets.UTF_8);
        w.line(host, h, 0, h.length, 0);
        w.finish();
        return SegmentBulkFormat.toRecords(SegmentReader.parse(bytes.toByteArray()), 0)
                .records();
    }

    /** A keeper's record: its snapshots at receipt, and the records that no longer equal theirs at the end. */
    private static final class Kept {
        final List<Object> snapshots = new ArrayList<>();
        boolean objectReuse;
        final List<String> writtenLater = new ArrayList<>();
    }

    /**
     * Keeps every record it receives and a snapshot of it (its serialized bytes, read back): a record that no longer
     * serializes as its snapshot did at the end of input was written after the keeper received it.
     */
    private static final class Keeper<T> extends RichFlatMapFunction<T, Void> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final TypeInformation<T> type;
        private transient TypeSerializer<T> serializer;
        private transient List<T> records;
        private transient Kept kept;

        Keeper(String name, TypeInformation<T> type) {
            this.name = name;
            this.type = type;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            serializer = type.createSerializer(new SerializerConfigImpl());
            records = new ArrayList<>();
            kept = new Kept();
            kept.objectReuse = getRuntimeContext().isObjectReuseEnabled();
            KEPT.put(name, kept);
        }

        @Override
        public void flatMap(T record, Collector<Void> out) throws Exception {
            records.add(record);
            kept.snapshots.add(snapshot(record));
        }

        @Override
        public void close() throws Exception {
            for (int i = 0; i < records.size(); i++) {
                Object now = snapshot(records.get(i));
                if (!now.equals(kept.snapshots.get(i))) {
                    kept.writtenLater.add(i + ": " + kept.snapshots.get(i) + " became " + now);
                }
            }
        }

        /**
         * A deep copy through the serializer, compared by the type's equality (a series group's leaves out its key,
         * the one field filled in later, derived from the others); a spool record, which has none, by its bytes.
         */
        private Object snapshot(T record) throws Exception {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(record, out);
            if (record instanceof SpoolRecord) {
                return new String(out.getCopyOfBuffer(), StandardCharsets.ISO_8859_1);
            }
            return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        }
    }
}
