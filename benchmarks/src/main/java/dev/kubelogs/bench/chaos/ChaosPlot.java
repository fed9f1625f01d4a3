package dev.kubelogs.bench.chaos;

import dev.kubelogs.bench.Charts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The drill over time, with every fault marked where it hit: events stored per second (the endpoint's count, sampled
 * by the {@link Monitor}) and the highest write-to-ingestion latency per window (from the ledger).
 */
final class ChaosPlot {
    static final long WINDOW_MILLIS = 5_000;
    static final String THROUGHPUT_PNG = "chaos-throughput.png";
    static final String LATENCY_PNG = "chaos-latency.png";

    private ChaosPlot() {}

    /** Writes both charts into {@code dir}; nothing when the drill never started writing. */
    static List<Path> write(Path dir, ChaosRun.Options options, ChaosRun.Result r) throws IOException {
        if (r.startMillis() < 0 || r.samples().isEmpty()) {
            return List.of();
        }
        Files.createDirectories(dir);
        String note = String.format(
                Locale.ROOT,
                "%d nodes × %.0f lines/s for %d s, checkpoints every %s, seed %d; dotted lines: faults (#id kind)",
                options.nodes(),
                options.ratePerNode(),
                options.duration().toSeconds(),
                options.checkpointInterval(),
                options.schedule().seed());
        double[][] rate = throughput(r.samples(), r.startMillis());
        Charts.Chart throughput = marked(
                        new Charts.Chart("Chaos drill: events stored per second", "seconds since start", "events/s"), r)
                .note(note)
                .add(Charts.Series.line("events/s (5 s windows)", rate[0], rate[1]))
                .xFromZero();
        Path t = dir.resolve(THROUGHPUT_PNG);
        throughput.write(t);
        List<Path> written = new ArrayList<>(List.of(t));
        if (r.ledger() != null) {
            long last = r.samples().get(r.samples().size() - 1).millis();
            int windows = (int) ((last - r.startMillis()) / WINDOW_MILLIS) + 1;
            double[] max = r.ledger().maxLatencySecondsPerWindow(r.startMillis(), WINDOW_MILLIS, windows);
            double[] x = new double[windows];
            for (int i = 0; i < windows; i++) {
                x[i] = (i + 0.5) * WINDOW_MILLIS / 1000.0;
            }
            Charts.Chart latency = marked(
                            new Charts.Chart(
                                    "Chaos drill: write-to-ingestion latency", "seconds since start (ingestion)", "s"),
                            r)
                    .note(note)
                    .add(Charts.Series.line("highest latency per 5 s window", x, max))
                    .xFromZero();
            Path l = dir.resolve(LATENCY_PNG);
            latency.write(l);
            written.add(l);
        }
        return written;
    }

    /**
     * Events stored per second between samples at least one window apart: x in seconds since {@code startMillis}.
     * Samples the endpoint did not answer (-1) are skipped.
     */
    static double[][] throughput(List<Monitor.Sample> samples, long startMillis) {
        List<double[]> points = new ArrayList<>();
        Monitor.Sample previous = null;
        for (Monitor.Sample s : samples) {
            if (s.storedEvents() < 0) {
                continue;
            }
            if (previous == null) {
                previous = s;
            } else if (s.millis() - previous.millis() >= WINDOW_MILLIS) {
                double perSecond =
                        (s.storedEvents() - previous.storedEvents()) * 1000.0 / (s.millis() - previous.millis());
                points.add(new double[] {(s.millis() - startMillis) / 1000.0, perSecond});
                previous = s;
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new double[][] {x, y};
    }

    private static Charts.Chart marked(Charts.Chart chart, ChaosRun.Result r) {
        for (Outcome o : r.outcomes()) {
            chart.marker(
                    (o.injectedMillis() - r.startMillis()) / 1000.0,
                    "#" + o.fault().id() + " " + o.fault().kind().id());
        }
        return chart;
    }
}
