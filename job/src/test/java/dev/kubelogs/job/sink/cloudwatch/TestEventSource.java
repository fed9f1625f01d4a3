package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.model.CloudWatchEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * A bounded, checkpointed source (Flink's DataGeneratorSource) of N distinct events spread over several
 * log groups and streams, released a fixed number per checkpoint so every run spans several checkpoints;
 * plus the exact-once check by content.
 */
final class TestEventSource {
    private TestEventSource() {}

    /** Event {@code i} of a run: distinct message, timestamps slightly out of order, sourceOffset = i. */
    static final class Generator implements GeneratorFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        final String run;
        final long base;
        final int groups;
        final int streams;
        final int pods;

        /** {@code groups} groups of {@code streams} × 2 streams (two pods per node). */
        Generator(String run, long base, int groups, int streams) {
            this(run, base, groups, streams, 2);
        }

        /** {@code groups} groups of {@code streams} × {@code pods} streams. */
        Generator(String run, long base, int groups, int streams, int pods) {
            this.run = run;
            this.base = base;
            this.groups = groups;
            this.streams = streams;
            this.pods = pods;
        }

        @Override
        public CloudWatchEvent map(Long index) {
            long i = index;
            String group = "/kubelogs/it/" + run + "/g" + (i % groups);
            String stream = "ip-10-0-0-" + ((i / groups) % streams) + ".app_default_web-" + (i % pods);
            long ts = base + i * 3 - (i % 7 == 3 ? 10 : 0); // some events arrive out of timestamp order
            String message = "{\"log\":\"line " + i
                    + " héllo wörld 世界 😀\",\"kubernetes\":{\"pod_name\":\"web\"},\"seq\":" + i + "}";
            return new CloudWatchEvent(group, stream, ts, message, "gen:" + run, i);
        }
    }

    static DataStream<CloudWatchEvent> events(
            StreamExecutionEnvironment env,
            LongFunction<CloudWatchEvent> unused,
            GeneratorFunction<Long, CloudWatchEvent> gen,
            long count,
            int perCheckpoint) {
        DataGeneratorSource<CloudWatchEvent> source = new DataGeneratorSource<>(
                gen,
                count,
                RateLimiterStrategy.perCheckpoint(perCheckpoint),
                TypeInformation.of(CloudWatchEvent.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "test-events")
                .uid("test-events");
    }

    /** Throws once (per test key), when it sees the event with {@code sourceOffset == failAt}. */
    static final class FailOnce implements MapFunction<CloudWatchEvent, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        static final Set<String> FAILED = ConcurrentHashMap.newKeySet();
        final String key;
        final long failAt;

        FailOnce(String key, long failAt) {
            this.key = key;
            this.failAt = failAt;
        }

        @Override
        public CloudWatchEvent map(CloudWatchEvent e) {
            if (e.sourceOffset == failAt && FAILED.add(key)) {
                throw new IllegalStateException("injected failure at event " + failAt + " (" + key + ")");
            }
            return e;
        }
    }

    /** All events the generator makes for indexes [0, count). */
    static List<CloudWatchEvent> expected(GeneratorFunction<Long, CloudWatchEvent> gen, long count) {
        List<CloudWatchEvent> out = new ArrayList<>();
        try {
            for (long i = 0; i < count; i++) {
                out.add(gen.map(i));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Reads every expected stream back with GetLogEvents and checks: each expected (timestamp, message) exactly
     * once, nothing else, timestamps in order, and no unexpected streams in the groups. {@code transform} maps an
     * expected event to what should have landed (null = must not land).
     */
    static void assertLandedExactlyOnce(
            LocalCloudWatchLogs cw,
            CloudWatchLogsClient sdk,
            List<CloudWatchEvent> expected,
            java.util.function.Function<CloudWatchEvent, String> transform) {
        Map<String, List<CloudWatchEvent>> byStream = new LinkedHashMap<>();
        Set<String> groups = new TreeSet<>();
        for (CloudWatchEvent e : expected) {
            groups.add(e.logGroup);
            if (transform.apply(e) != null) {
                byStream.computeIfAbsent(e.logGroup + "\n" + e.logStream, k -> new ArrayList<>())
                        .add(e);
            }
        }
        long total = 0;
        for (Map.Entry<String, List<CloudWatchEvent>> s : byStream.entrySet()) {
            String[] gs = s.getKey().split("\n", 2);
            List<OutputLogEvent> landed = SinkTestSupport.readAll(sdk, gs[0], gs[1]);
            List<String> want = s.getValue().stream()
                    .sorted(Comparator.comparingLong(e -> e.timestamp))
                    .map(e -> e.timestamp + " " + transform.apply(e))
                    .collect(Collectors.toList());
            List<String> got =
                    landed.stream().map(e -> e.timestamp() + " " + e.message()).collect(Collectors.toList());
            assertThat(got).as("stream %s", s.getKey().replace('\n', '/')).containsExactlyInAnyOrderElementsOf(want);
            assertThat(landed)
                    .extracting(OutputLogEvent::timestamp)
                    .as("timestamp order in %s", s.getKey())
                    .isSorted();
            total += landed.size();
        }
        for (String g : groups) {
            Set<String> expectedStreams = byStream.keySet().stream()
                    .filter(k -> k.startsWith(g + "\n"))
                    .map(k -> k.substring(g.length() + 1))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> actual = new TreeSet<>();
            try {
                cw.logStreams(g).forEach(i -> actual.add(i.name()));
            } catch (java.util.NoSuchElementException e) {
                // group never created: fine only if nothing was expected there
            }
            assertThat(actual).as("streams of %s", g).isEqualTo(expectedStreams);
        }
        long expectedTotal =
                expected.stream().filter(e -> transform.apply(e) != null).count();
        assertThat(total).isEqualTo(expectedTotal);
    }
}
