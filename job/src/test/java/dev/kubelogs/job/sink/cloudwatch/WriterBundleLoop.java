package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * The sink writer's task thread per event for the metrics half's bundles, two ways alternated in one JVM (each with a
 * writer of its own): {@code events} writes a bundle's events one by one through
 * {@link CloudWatchLogsSinkWriter#write(dev.kubelogs.job.model.CloudWatchEvent, SinkWriter.Context)} (an event object,
 * the target and buffer looked up and the held bytes counted per event, as the writer's input did before), {@code
 * bundle} through {@link CloudWatchLogsSinkWriter#write(CloudWatchEventBundle, SinkWriter.Context)}. The events are
 * {@link CommitPathStageLoop}'s EMF-like ones, {@value #PER_BUNDLE} to a bundle, the streams' bundles interleaved as
 * scrapes arrive; each pass is cut at a barrier after its last bundle. Prints each round's thread CPU and allocation
 * per event (write and cut together), then each arm's best and median; checks both cut the same committables. Not a
 * test: run it by hand ({@code java -cp <test classpath> dev.kubelogs.job.sink.cloudwatch.WriterBundleLoop [rounds]}).
 */
public final class WriterBundleLoop {
    static final int PER_BUNDLE = 40;
    private static final int PASSES = 4;
    private static final SinkWriter.Context NO_CONTEXT = NoWriterContext.INSTANCE;

    private WriterBundleLoop() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long t0 = System.currentTimeMillis() - 60_000;
        List<CloudWatchEventBundle> bundles = new ArrayList<>();
        int perStream = CommitPathStageLoop.EVENTS / CommitPathStageLoop.STREAMS;
        for (int from = 0; from < perStream; from += PER_BUNDLE) {
            for (int s = 0; s < CommitPathStageLoop.STREAMS; s++) {
                CloudWatchEventBundle b = new CloudWatchEventBundle(CommitPathStageLoop.GROUP, "stream-" + s);
                for (int i = from; i < Math.min(perStream, from + PER_BUNDLE); i++) {
                    long ts = t0 + i / 10;
                    b.add(ts, CommitPathStageLoop.emfMessage(s, i, ts).getBytes(StandardCharsets.UTF_8));
                }
                bundles.add(b);
            }
        }
        int events = bundles.stream().mapToInt(CloudWatchEventBundle::size).sum();
        Path deadLetters = Files.createTempDirectory("writer-bundle-loop");
        CloudWatchLogsSinkConfig config = CloudWatchLogsSink.builder()
                .region("us-east-1")
                .endpoint("http://127.0.0.1:1")
                .staticCredentials("bench", "bench")
                .deadLetterDirectory(deadLetters.toString())
                .build()
                .config();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (CloudWatchLogsSinkWriter byEvent = new CloudWatchLogsSinkWriter(
                        config,
                        CloudWatchLogsSinkWriterTest.context(0, 1, new CloudWatchLogsSinkWriterTest.ManualTime()));
                CloudWatchLogsSinkWriter byBundle = new CloudWatchLogsSinkWriter(
                        config,
                        CloudWatchLogsSinkWriterTest.context(0, 1, new CloudWatchLogsSinkWriterTest.ManualTime()))) {
            // the same committables both ways (created-at aside)
            List<CloudWatchLogsCommittable> a = pass(byEvent, bundles, false);
            List<CloudWatchLogsCommittable> b = pass(byBundle, bundles, true);
            if (a.size() != b.size()) {
                throw new IllegalStateException(a.size() + " committables by event, " + b.size() + " by bundle");
            }
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).events().equals(b.get(i).events())
                        || !a.get(i).logStream().equals(b.get(i).logStream())) {
                    throw new IllegalStateException("committable " + i + " differs");
                }
            }
            double[][] ns = new double[2][rounds];
            double[][] bytes = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int arm = (r + k) % 2; // the arms alternate which goes first
                    long cpu = mx.getCurrentThreadCpuTime();
                    long allocated = mx.getCurrentThreadAllocatedBytes();
                    for (int pass = 0; pass < PASSES; pass++) {
                        pass(arm == 0 ? byEvent : byBundle, bundles, arm == 1);
                    }
                    ns[arm][r] = (mx.getCurrentThreadCpuTime() - cpu) / (double) (PASSES * events);
                    bytes[arm][r] = (mx.getCurrentThreadAllocatedBytes() - allocated) / (double) (PASSES * events);
                }
                System.out.printf(
                        Locale.ROOT,
                        "round %d: events %.0f ns %.0f B, bundle %.0f ns %.0f B per event%n",
                        r,
                        ns[0][r],
                        bytes[0][r],
                        ns[1][r],
                        bytes[1][r]);
            }
            int from = rounds / 4; // the first quarter warms the JIT
            System.out.printf(
                    Locale.ROOT,
                    "%d events in %d bundles a pass; rounds %d-%d: events best %.0f median %.0f ns %.0f B, bundle best"
                            + " %.0f median %.0f ns %.0f B per event (write and cut)%n",
                    events,
                    bundles.size(),
                    from,
                    rounds - 1,
                    best(ns[0], from),
                    median(ns[0], from),
                    median(bytes[0], from),
                    best(ns[1], from),
                    median(ns[1], from),
                    median(bytes[1], from));
        }
    }

    /** Writes every bundle and cuts at a barrier. */
    private static List<CloudWatchLogsCommittable> pass(
            CloudWatchLogsSinkWriter writer, List<CloudWatchEventBundle> bundles, boolean asBundles) throws Exception {
        for (CloudWatchEventBundle b : bundles) {
            if (asBundles) {
                writer.write(b, NO_CONTEXT);
            } else {
                for (int i = 0; i < b.size(); i++) {
                    writer.write(b.event(i), NO_CONTEXT);
                }
            }
        }
        writer.flush(false);
        Collection<CloudWatchLogsCommittable> cut = writer.prepareCommit();
        return new ArrayList<>(cut);
    }

    private static double best(double[] values, int from) {
        return Arrays.stream(values, from, values.length).min().orElse(Double.NaN);
    }

    private static double median(double[] values, int from) {
        double[] v = Arrays.copyOfRange(values, from, values.length);
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
