package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.wire.MessageSlices;
import dev.kubelogs.job.sink.cloudwatch.wire.PreviousPutLogEventsBody;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The committer's body writing alone, old against new in one thread: the bodies of {@link CommitPathStageLoop}'s
 * committables ({@code ci}: ~1 KB Container Insights-like events sharing their kubernetes block; {@code emf}: ~560
 * byte EMF-like events) written from their arenas' slices into a reused array, by {@link PreviousPutLogEventsBody}
 * ({@code old}) and {@link PutLogEventsBody} ({@code new}), the arms alternating (and which goes first) round by
 * round. Checks both write the same bytes, then prints each round's thread CPU per event and each arm's best and
 * median after the first quarter. Not a test: run it by hand ({@code java -cp <test classpath>
 * dev.kubelogs.job.sink.cloudwatch.BodyWriterLoop [rounds] [ci|emf]}).
 */
public final class BodyWriterLoop {
    private static final int PASSES = 5;

    private BodyWriterLoop() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        boolean emf = args.length > 1 && args[1].equals("emf");
        long t0 = System.currentTimeMillis() - 60_000;
        List<CloudWatchLogsCommittable> committables =
                emf ? CommitPathStageLoop.emfCommittables(t0) : CommitPathStageLoop.committables(t0);
        List<MessageSlices> slices = new ArrayList<>();
        List<List<Integer>> pending = new ArrayList<>();
        int events = 0;
        for (CloudWatchLogsCommittable c : committables) {
            slices.add(c.arena().slices());
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < c.eventCount(); i++) {
                all.add(i);
            }
            pending.add(all);
            events += c.eventCount();
        }
        for (int k = 0; k < committables.size(); k++) {
            CloudWatchLogsCommittable c = committables.get(k);
            byte[] before = PreviousPutLogEventsBody.of(
                            c.logGroup(), c.logStream(), slices.get(k), pending.get(k), null)
                    .toByteArray();
            byte[] after = PutLogEventsBody.of(c.logGroup(), c.logStream(), slices.get(k), pending.get(k), null)
                    .toByteArray();
            if (!Arrays.equals(before, after)) {
                throw new IllegalStateException("the bodies of " + c + " differ");
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] ns = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int a = 0; a < 2; a++) {
                int arm = (r + a) % 2;
                byte[] spare = null;
                long sink = 0;
                long cpu = mx.getCurrentThreadCpuTime();
                for (int pass = 0; pass < PASSES; pass++) {
                    for (int k = 0; k < committables.size(); k++) {
                        CloudWatchLogsCommittable c = committables.get(k);
                        if (arm == 0) {
                            PreviousPutLogEventsBody b = PreviousPutLogEventsBody.of(
                                    c.logGroup(), c.logStream(), slices.get(k), pending.get(k), spare);
                            spare = b.buffer();
                            sink += b.length();
                        } else {
                            PutLogEventsBody b = PutLogEventsBody.of(
                                    c.logGroup(), c.logStream(), slices.get(k), pending.get(k), spare);
                            spare = b.buffer();
                            sink += b.length();
                        }
                    }
                }
                ns[arm][r] = (mx.getCurrentThreadCpuTime() - cpu) / (double) (PASSES * events);
                if (sink == 0) {
                    throw new IllegalStateException("no body written");
                }
            }
            System.out.printf(Locale.ROOT, "round %d: old %.0f ns, new %.0f ns per event%n", r, ns[0][r], ns[1][r]);
        }
        int from = rounds / 4;
        System.out.printf(
                Locale.ROOT,
                "%s, %d events in %d puts: old best %.0f median %.0f ns, new best %.0f median %.0f ns per event%n",
                emf ? "emf" : "ci",
                events,
                committables.size(),
                best(ns[0], from),
                median(ns[0], from),
                best(ns[1], from),
                median(ns[1], from));
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
