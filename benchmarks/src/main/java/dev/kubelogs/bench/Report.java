package dev.kubelogs.bench;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects the parts' results and writes {@code report.md}, the PNG plots and {@code results.json} into the results
 * folder (rewritten after every part, so an interrupted suite still leaves what it measured).
 */
public final class Report {
    private final Path dir;
    private final PrintStream out;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> sections = new ArrayList<>();
    private final List<String[]> targets = new ArrayList<>();
    private Map<String, String> machine;
    private String loadStart;
    private String loadEnd;
    private String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    private CollectorProcess.JvmFlags flags;

    public Report(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    public void machine(Map<String, String> m, String load) {
        machine = m;
        loadStart = load;
        json.put("machine", m);
        json.put("started", started);
        json.put("loadAtStart", load);
    }

    public void collectorFlags(CollectorProcess.JvmFlags f) {
        flags = f;
        json.put("collectorJvmFlags", f.toString());
    }

    // ------------------------------------------------------------------ parts

    public void endToEnd(EndToEndResult r) throws IOException {
        json.put("e2e", r);
        EndToEnd.Spec s = r.spec;
        StringBuilder b = new StringBuilder();
        b.append("## End to end\n\n");
        b.append(String.format(
                Locale.ROOT,
                "%d node(s) × %,.0f lines/s for %s (first %s excluded as warm-up), line sizes `%s`, %.0f %% of lines in Java stack "
                        + "traces (%d–%d frames), container logs rotated by rename every %s, host files by copytruncate every %s, "
                        + "host logs: %s. Job: parallelism %d, checkpoints every %s, %s state backend, spool discovery every %s, "
                        + "metadata wait %s, %s. Collectors: one process per node. Node names are picked so the nodes spread evenly over the keyed "
                        + "subtasks (the keyed stage is single-threaded per node), as they do on average in a large cluster.\n\n",
                s.nodes(),
                s.ratePerNode(),
                fmt(s.duration()),
                fmt(s.warmup()),
                s.sizes(),
                s.multilineShare() * 100,
                s.minFrames(),
                s.maxFrames(),
                fmt(s.rotateEvery()),
                fmt(s.copytruncateEvery()),
                s.hostMode().name().toLowerCase(Locale.ROOT),
                s.parallelism(),
                fmt(s.checkpointInterval()),
                s.stateBackend(),
                fmt(s.discoveryInterval()),
                fmt(s.metadataWait()),
                s.kubelet()
                        ? "pod metadata from a local HTTPS kubelet stand-in per node (application lines enriched)"
                        : "no kubelet (kubernetes block from the file name)"));
        b.append("| measure | value |\n|---|---|\n");
        row(
                b,
                "lines written / records (events expected)",
                String.format(
                        Locale.ROOT, "%,d / %,d (%,d stack traces)", r.linesWritten, r.recordsExpected, r.traces));
        row(b, "rotations (rename) / copytruncates", r.rotations + " / " + r.copytruncates);
        row(b, "offered (written) in the window", String.format(Locale.ROOT, "%,.0f lines/s", r.offeredLinesPerSec));
        row(b, "read by the collectors", String.format(Locale.ROOT, "%,.0f lines/s", r.collectedLinesPerSec));
        row(
                b,
                "**delivered (sustained)**",
                String.format(
                        Locale.ROOT,
                        "**%,.0f lines/s, %.2f MB/s** (raw line bytes)",
                        r.deliveredLinesPerSec,
                        r.mbPerSec));
        row(
                b,
                "CPU used: job (MiniCluster JVM minus endpoint/generator/harness threads) + collectors",
                String.format(
                        Locale.ROOT,
                        "%.2f + %.2f = %.2f cores",
                        r.jobCores,
                        r.collectorCores,
                        r.jobCores + r.collectorCores));
        row(
                b,
                "stand-ins (not counted): local endpoint / generator",
                String.format(Locale.ROOT, "%.2f / %.2f cores", r.endpointCores, r.generatorCores));
        row(
                b,
                "**lines/s per core used** (job + collectors)",
                String.format(Locale.ROOT, "**%,.0f**", r.linesPerSecPerCore));
        for (Map.Entry<String, Double> t : r.jobThreadCores.entrySet()) {
            row(
                    b,
                    "of the job's CPU: thread(s) " + t.getKey().replace("|", "/"),
                    String.format(Locale.ROOT, "%.2f cores", t.getValue()));
        }
        row(
                b,
                "lines/s per core: job alone / collectors alone",
                String.format(Locale.ROOT, "%,.0f / %,.0f", r.jobLinesPerSecPerCore, r.collectorLinesPerSecPerCore));
        row(
                b,
                "**latency p50 / p95 / p99 / max** (write → endpoint ingestion, after warm-up)",
                String.format(Locale.ROOT, "**%s / %s / %s** / %s", ms(r.p50), ms(r.p95), ms(r.p99), ms(r.pMax)));
        row(b, "p99 in the last third of the run", ms(r.p99LastThird));
        row(b, "**lost / duplicated** (by content)", String.format(Locale.ROOT, "**%d / %d**", r.lost, r.duplicated));
        if (r.lost > 0) {
            row(b, "lost by source (first tokens)", r.lostBySource + " " + r.lostSamples);
        }
        row(
                b,
                "events without a token / stack traces broken / dead letters",
                r.unknown + " / " + r.brokenTraces + " of " + r.tracesChecked + " / " + r.deadLetters);
        row(b, "events per log group", r.eventsByGroup.toString());
        row(
                b,
                "collector RSS: peak (VmHWM) / mean in window",
                String.format(Locale.ROOT, "%.1f / %.1f MB", r.collectorPeakRssMb, r.collectorSteadyRssMb));
        row(
                b,
                "harness JVM peak RSS (job + endpoint holding every event + generator)",
                String.format(Locale.ROOT, "%.0f MB", r.harnessPeakRssMb));
        row(
                b,
                "generator max backlog / drain after generation",
                String.format(Locale.ROOT, "%,d lines / %.1f s", r.generatorMaxBacklog, r.drainSeconds));
        row(
                b,
                "load average before → after (mean 1-min during)",
                r.loadBefore + " → " + r.loadAfter + String.format(Locale.ROOT, " (%.2f)", r.loadAvgDuring));
        if (r.error != null) {
            row(b, "error", r.error);
        }
        if (!r.unknownSamples.isEmpty()) {
            row(b, "sample event without token", "`" + r.unknownSamples.get(0).replace("|", "\\|") + "`");
        }
        b.append('\n');
        b.append(checkpoints(r.checkpoints, r.checkpointsFailed));
        if (r.checkpointsFailed > 0) {
            b.append("Failed checkpoints: ")
                    .append(
                            r.checkpointFailures.isEmpty()
                                    ? "no failure message in the REST history (a checkpoint declined at trigger time, typically the first one "
                                            + "while tasks are still starting, or one cut short when the bounded job finishes)"
                                    : String.join("; ", r.checkpointFailures).replace("|", "/"))
                    .append(".\n\n");
        }

        String note = String.format(
                Locale.ROOT,
                "%d node(s) × %,.0f lines/s, checkpoints %s, %s; load %s → %s",
                s.nodes(),
                s.ratePerNode(),
                fmt(s.checkpointInterval()),
                s.stateBackend(),
                r.loadBefore,
                r.loadAfter);
        int n = r.latencyOverTime.size();
        double[] t = new double[n];
        double[] p50 = new double[n];
        double[] p95 = new double[n];
        double[] p99 = new double[n];
        for (int i = 0; i < n; i++) {
            double[] v = r.latencyOverTime.get(i);
            t[i] = v[0];
            p50[i] = v[1] / 1000;
            p95[i] = v[2] / 1000;
            p99[i] = v[3] / 1000;
        }
        new Charts.Chart(
                        "End-to-end latency percentiles over time",
                        "seconds since start (by write time)",
                        "latency (s)")
                .note(note)
                .add(Charts.Series.line("p50", t, p50))
                .add(Charts.Series.line("p95", t, p95))
                .add(Charts.Series.line("p99", t, p99))
                .xFromZero()
                .write(dir.resolve("e2e-latency-over-time.png"));
        int m = r.ticks.size();
        double[] tt = new double[m];
        double[] wr = new double[m];
        double[] co = new double[m];
        double[] de = new double[m];
        double[] cores = new double[m];
        double[] ccores = new double[m];
        for (int i = 0; i < m; i++) {
            EndToEndResult.Tick k = r.ticks.get(i);
            tt[i] = k.t();
            double dt = i == 0 ? k.t() : k.t() - r.ticks.get(i - 1).t();
            long pw = i == 0 ? 0 : r.ticks.get(i - 1).written();
            long pc = i == 0 ? 0 : r.ticks.get(i - 1).collected();
            long pd = i == 0 ? 0 : r.ticks.get(i - 1).delivered();
            wr[i] = (k.written() - pw) / dt;
            co[i] = (k.collected() - pc) / dt;
            de[i] = (k.delivered() - pd) / dt;
            cores[i] = k.jobCores();
            ccores[i] = k.collectorCores();
        }
        new Charts.Chart("Throughput over time", "seconds since start", "per second")
                .note(note
                        + "; stored events arrive in bursts at each checkpoint's commit: shown as a 6-s moving average "
                        + "(a stack trace is one event)")
                .add(Charts.Series.line("lines written", tt, wr))
                .add(Charts.Series.line("lines read by collectors", tt, co))
                .add(Charts.Series.line("events stored by the endpoint (6-s avg)", tt, movingAverage(de, 6)))
                .xFromZero()
                .write(dir.resolve("e2e-throughput-over-time.png"));
        new Charts.Chart("CPU over time", "seconds since start", "cores")
                .note(note)
                .add(Charts.Series.line("job (MiniCluster JVM minus endpoint, generator, harness threads)", tt, cores))
                .add(Charts.Series.line("collectors (all processes)", tt, ccores))
                .xFromZero()
                .write(dir.resolve("e2e-cpu-over-time.png"));
        if (!r.sampleEvents.isEmpty()) {
            b.append("<details><summary>One stored event per log group (as it landed)</summary>\n\n");
            r.sampleEvents.forEach((g, msg) ->
                    b.append("`").append(g).append("`\n```json\n").append(msg).append("\n```\n"));
            b.append("</details>\n\n");
        }
        b.append(
                "![latency](e2e-latency-over-time.png)\n\n![throughput](e2e-throughput-over-time.png)\n\n![cpu](e2e-cpu-over-time.png)\n\n");
        if (!r.checkpoints.isEmpty()) {
            long first = r.checkpoints.get(0).triggerMillis();
            int c = r.checkpoints.size();
            double[] ct = new double[c];
            double[] cd = new double[c];
            double[] cs = new double[c];
            for (int i = 0; i < c; i++) {
                ct[i] = (r.checkpoints.get(i).triggerMillis() - first) / 1000.0;
                cd[i] = r.checkpoints.get(i).durationMillis();
                cs[i] = r.checkpoints.get(i).stateSize() / 1e6;
            }
            new Charts.Chart("Checkpoint duration", "seconds since first checkpoint", "end-to-end duration (ms)")
                    .note(note)
                    .add(Charts.Series.points("duration", ct, cd))
                    .xFromZero()
                    .write(dir.resolve("e2e-checkpoint-duration.png"));
            new Charts.Chart("Checkpoint size", "seconds since first checkpoint", "state size (MB)")
                    .note(note)
                    .add(Charts.Series.points("full state size", ct, cs))
                    .xFromZero()
                    .write(dir.resolve("e2e-checkpoint-size.png"));
            b.append(
                    "![checkpoint duration](e2e-checkpoint-duration.png)\n\n![checkpoint size](e2e-checkpoint-size.png)\n\n");
        }
        section("e2e", b.toString());
        target(
                "End to end ≥ 100k lines/s per core used",
                String.format(
                        Locale.ROOT,
                        "%,.0f lines/s per core at %,.0f lines/s offered "
                                + "(not a saturation number: see the search)",
                        r.linesPerSecPerCore,
                        r.offeredLinesPerSec),
                r.linesPerSecPerCore >= 100_000);
        target(
                "p99 ≤ 5 s with 2 s checkpoints",
                ms(r.p99) + " (checkpoints " + fmt(s.checkpointInterval()) + ")",
                r.p99 <= 5000);
        target(
                "0 lost, 0 duplicated",
                r.lost + " lost, " + r.duplicated + " duplicated (e2e run)",
                r.lost == 0 && r.duplicated == 0 && r.error == null);
        write();
    }

    static double[] movingAverage(double[] v, int w) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - w + 1); j <= i; j++) {
                if (Double.isFinite(v[j])) {
                    sum += v[j];
                    n++;
                }
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    private String checkpoints(List<CheckpointMonitor.Checkpoint> cps, long failed) {
        StringBuilder b = new StringBuilder();
        if (cps.isEmpty()) {
            return "No completed checkpoint was seen through the REST API.\n\n";
        }
        Stats.LongList d = new Stats.LongList();
        Stats.LongList s = new Stats.LongList();
        Stats.LongList c = new Stats.LongList();
        for (CheckpointMonitor.Checkpoint cp : cps) {
            d.add(cp.durationMillis());
            s.add(cp.stateSize());
            c.add(cp.checkpointedSize());
        }
        long[] ds = d.sorted();
        long[] ss = s.sorted();
        long[] cs = c.sorted();
        b.append(String.format(
                Locale.ROOT,
                "Checkpoints (Flink REST): %d completed, %d failed. Duration p50 %s, max %s. Full state size p50 %s, max %s; "
                        + "checkpointed (incremental) size p50 %s, max %s.\n\n",
                cps.size(),
                failed,
                ms(Stats.percentile(ds, 50)),
                ms(Stats.max(ds)),
                bytes(Stats.percentile(ss, 50)),
                bytes(Stats.max(ss)),
                bytes(Stats.percentile(cs, 50)),
                bytes(Stats.max(cs))));
        CheckpointMonitor.Checkpoint mid = cps.get(cps.size() / 2);
        if (!mid.stateSizeByVertex().isEmpty()) {
            b.append("State per job vertex in checkpoint ").append(mid.id()).append(" (mid-run): ");
            List<String> parts = new ArrayList<>();
            mid.stateSizeByVertex()
                    .forEach((k, v) ->
                            parts.add("`" + (k.length() > 90 ? k.substring(0, 90) + "…" : k) + "` " + bytes(v)));
            b.append(String.join("; ", parts))
                    .append(". The sink's committables (the events of one checkpoint interval) are "
                            + "in the vertex that holds the sink's writer and committer; the source enumerator's state is in the "
                            + "checkpoint metadata, see the state-size table.\n\n");
        }
        return b.toString();
    }

    public void collectorRates(List<EndToEndResult> rs) throws IOException {
        json.put("collectorRates", rs);
        StringBuilder b = new StringBuilder("## Collector alone at fixed rates (own process)\n\n");
        b.append(
                        "One node's logs generated at the rate (same mix as end to end, rotations included); one collector process "
                                + "tails them into the spool; the harness deletes published segments like the job would. CPU = "
                                + "utime+stime from /proc/<pid>/stat over the window after warm-up; RSS from /proc/<pid>/status. JVM flags: `")
                .append(flags == null ? "?" : String.join(" ", flags.flags()))
                .append("` (")
                .append(flags == null ? "" : flags.source())
                .append(").\n\n");
        b.append(
                "| lines/s | read lines/s | vCPU (window) | lines/s per core | RSS mean | RSS peak (VmHWM) | load before → after |\n|---|---|---|---|---|---|---|\n");
        Charts.Chart rss = new Charts.Chart("Collector RSS over time", "seconds since start", "RSS (MB)");
        Charts.Chart cpu = new Charts.Chart("Collector CPU over time", "seconds since start", "vCPU");
        for (EndToEndResult r : rs) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %,.0f | %,.0f | %.3f | %,.0f | %.1f MB | %.1f MB | %s → %s |\n",
                    r.spec.ratePerNode(),
                    r.collectedLinesPerSec,
                    r.collectorCores,
                    r.collectorLinesPerSecPerCore,
                    r.collectorSteadyRssMb,
                    r.collectorPeakRssMb,
                    r.loadBefore,
                    r.loadAfter));
            int m = r.ticks.size();
            double[] t = new double[m];
            double[] y = new double[m];
            double[] c = new double[m];
            for (int i = 0; i < m; i++) {
                t[i] = r.ticks.get(i).t();
                y[i] = r.ticks.get(i).collectorRssMb().isEmpty()
                        ? Double.NaN
                        : r.ticks.get(i).collectorRssMb().get(0);
                c[i] = r.ticks.get(i).collectorCores();
            }
            String name = String.format(Locale.ROOT, "%,.0f lines/s", r.spec.ratePerNode());
            rss.add(Charts.Series.line(name, t, y));
            cpu.add(Charts.Series.line(name, t, c));
        }
        String note = "collector JVM: " + (flags == null ? "" : String.join(" ", flags.flags()));
        rss.note(note).xFromZero().write(dir.resolve("collector-rss-over-time.png"));
        cpu.note(note).xFromZero().write(dir.resolve("collector-cpu-over-time.png"));
        b.append("\n![rss](collector-rss-over-time.png)\n\n![cpu](collector-cpu-over-time.png)\n\n");
        section("collector", b.toString());
        for (EndToEndResult r : rs) {
            if (Math.abs(r.spec.ratePerNode() - 10_000) < 1) {
                target(
                        "Collector ≤ 0.05 vCPU and ≤ 64 MB RSS at 10k lines/s",
                        String.format(
                                Locale.ROOT, "%.3f vCPU, %.1f MB peak RSS", r.collectorCores, r.collectorPeakRssMb),
                        r.collectorCores <= 0.05 && r.collectorPeakRssMb <= 64);
            }
        }
        write();
    }

    public void tail(TailThroughput.Result r) throws IOException {
        json.put("tail", r);
        StringBuilder b = new StringBuilder("## Collector tail throughput (the incumbent's benchmark)\n\n");
        b.append(String.format(
                Locale.ROOT,
                "%,d Docker json-file lines (%.0f MB, %.0f B/line) read from the head by one collector "
                        + "process into the spool (page cache warm). JVM flags: `%s`.\n\n",
                r.lines,
                r.bytes / 1e6,
                (double) r.bytes / r.lines,
                r.flags));
        b.append(
                "| measure | whole process (incl. JVM start) | steady state (after the first 20 %) |\n|---|---|---|\n");
        b.append(String.format(
                Locale.ROOT,
                "| CPU seconds | %.2f | %.2f |\n| lines/s per CPU-second | %,.0f | %,.0f |\n| MB/s per CPU-second | %.1f | %.1f |\n",
                r.cpuSeconds,
                r.steadyCpuSeconds,
                r.linesPerCpuSecond(),
                r.steadyLinesPerCpuSecond(),
                r.mbPerCpuSecond(),
                r.steadyMbPerCpuSecond()));
        b.append(String.format(
                Locale.ROOT,
                "\nWall %.1f s, peak RSS %.1f MB, load %s → %s. Incumbent (Fluent Bit 5.1.1, docker/cri "
                        + "parsers, null output): 1,000,000 lines / 303 MB in 2.55 CPU-s = ~390k lines/s, 119 MB/s per core, 64 MB peak RSS.\n\n",
                r.wallSeconds,
                r.peakRssMb,
                r.loadBefore,
                r.loadAfter));
        section("tail", b.toString());
        target(
                "Collector ≥ 390k lines/s (≈119 MB/s) per core on Docker-JSON files",
                String.format(
                        Locale.ROOT,
                        "%,.0f lines/s, %.0f MB/s per CPU-s (whole process); %,.0f lines/s steady",
                        r.linesPerCpuSecond(),
                        r.mbPerCpuSecond(),
                        r.steadyLinesPerCpuSecond()),
                r.linesPerCpuSecond() >= 390_000);
        write();
    }

    public void state(List<EnumeratorStateBench.Row> rows) throws IOException {
        json.put("enumeratorState", rows);
        StringBuilder b = new StringBuilder("## Source enumerator state size\n\n");
        b.append(
                "`SpoolEnumeratorState` serialized with `SpoolEnumeratorStateSerializer`, from the real enumerator "
                        + "(`SpoolSource.createEnumerator`) driven by Flink's `MockSplitEnumeratorContext` with 2 readers over a spool "
                        + "of N node directories × M segment files: after listing, and after every segment was assigned and reported done.\n\n");
        b.append(
                "| nodes | segments/node | segments assigned | bytes after listing | bytes after consuming all | bytes per node |\n|---|---|---|---|---|---|\n");
        boolean independent = true;
        Map<Integer, Integer> byNodes = new LinkedHashMap<>();
        for (EnumeratorStateBench.Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,d | %,d | %,d | %,d | %.1f |\n",
                    r.nodes(),
                    r.segmentsPerNode(),
                    r.segmentsAssigned(),
                    r.bytesAfterListing(),
                    r.bytesAfterConsuming(),
                    (double) r.bytesAfterConsuming() / r.nodes()));
            Integer prev = byNodes.putIfAbsent(r.nodes(), r.bytesAfterConsuming());
            if (prev != null && prev != r.bytesAfterConsuming()) {
                independent = false;
            }
        }
        b.append('\n');
        section("state", b.toString());
        target(
                "Source state independent of the number of segments consumed",
                independent
                        ? "same bytes for every segment count at a given node count (grows with nodes only)"
                        : "varies with segments (see table)",
                independent);
        write();
    }

    public void saturation(Saturation.Result s, Duration bound) throws IOException {
        json.put("saturation", s);
        StringBuilder b = new StringBuilder("## Saturation search\n\n");
        b.append(String.format(
                Locale.ROOT,
                "Doubling the total rate until a step fails, then bisecting twice. A step passes with 0 lost/"
                        + "duplicated, the collectors and the generator keeping up, delivered ≥ 95 %% of offered, and p99 ≤ %s overall and in the "
                        + "last third. **Highest passing rate: %s lines/s** (all nodes together, %d nodes).\n\n",
                fmt(bound),
                Double.isFinite(s.maxPassingRate) ? String.format(Locale.ROOT, "%,.0f", s.maxPassingRate) : "none",
                s.steps.isEmpty() ? 0 : s.steps.get(0).result().spec.nodes()));
        b.append(
                "| offered lines/s | delivered lines/s | cores used | lines/s per core | p50 | p99 | lost/dup | verdict | load after |\n|---|---|---|---|---|---|---|---|---|\n");
        int n = s.steps.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] pc = new double[n];
        double[] p99 = new double[n];
        for (int i = 0; i < n; i++) {
            Saturation.Step st = s.steps.get(i);
            EndToEndResult r = st.result();
            b.append(String.format(
                    Locale.ROOT,
                    "| %,.0f | %,.0f | %.2f | %,.0f | %s | %s | %d/%d | %s | %s |\n",
                    st.totalRate(),
                    r.deliveredLinesPerSec,
                    r.jobCores + r.collectorCores,
                    r.linesPerSecPerCore,
                    ms(r.p50),
                    ms(r.p99),
                    r.lost,
                    r.duplicated,
                    st.pass() ? "pass" : "fail: " + st.why().replace("|", "/"),
                    r.loadAfter));
            x[i] = st.totalRate();
            y[i] = r.deliveredLinesPerSec;
            pc[i] = r.linesPerSecPerCore;
            p99[i] = r.p99 / 1000;
        }
        new Charts.Chart("Throughput vs offered rate", "offered lines/s (all nodes)", "lines/s")
                .note("saturation steps; the dashed line is delivered = offered")
                .add(Charts.Series.points("delivered lines/s", x, y))
                .add(Charts.Series.points("lines/s per core used", x, pc))
                .add(Charts.Series.dashed("ideal", x, x))
                .xFromZero()
                .write(dir.resolve("throughput-vs-rate.png"));
        new Charts.Chart("p99 latency vs offered rate", "offered lines/s (all nodes)", "p99 (s)")
                .add(Charts.Series.points("p99", x, p99))
                .xFromZero()
                .write(dir.resolve("latency-vs-rate.png"));
        b.append("\n![throughput vs rate](throughput-vs-rate.png)\n\n![p99 vs rate](latency-vs-rate.png)\n\n");
        section("saturation", b.toString());
        double bestPerCore = 0;
        for (Saturation.Step st : s.steps) {
            if (st.pass() && Double.isFinite(st.result().linesPerSecPerCore)) {
                bestPerCore = Math.max(bestPerCore, st.result().linesPerSecPerCore);
            }
        }
        target(
                "End to end ≥ 100k lines/s per core used (best passing step)",
                String.format(Locale.ROOT, "%,.0f lines/s per core", bestPerCore),
                bestPerCore >= 100_000);
        write();
    }

    public void sink(SinkBench.Result fast, SinkBench.Result paced) throws IOException {
        json.put("sink", Map.of("unpaced", fast, "paced", paced));
        StringBuilder b = new StringBuilder("## Sink alone (exactly-once) against the local endpoint\n\n");
        String events = fast.shape.equals("synthetic")
                ? "~250 B synthetic JSON events"
                : "~725 B Container Insights application events (one container, one `kubernetes` block, per stream)";
        String graph = fast.topology.equals("keyed")
                ? "`fromSequence` → " + events
                        + " over 8 streams → keyBy(stream) → `CloudWatchLogsSink` (topology `keyed`: a shuffle, "
                        + "as a user of the sink as a library who keys by stream would)"
                : "`fromSequence` → " + events
                        + " over 8 streams → `CloudWatchLogsSink`, one chain (topology `chained`: production "
                        + "chains each sink to the node processor's side output)";
        b.append(String.format(
                Locale.ROOT,
                "%s, EXACTLY_ONCE, parallelism 1, checkpoints every %s, the local endpoint in its own JVM "
                        + "(CloudWatch is remote in production). Two runs: unpaced (throughput: the source floods, so each "
                        + "checkpoint carries everything buffered since the last one) and paced at %,.0f events/s (the latency exactly-once "
                        + "adds at a steady rate: events wait for the checkpoint that commits them). The job's bill is the whole job JVM "
                        + "(its JIT and GC included) minus the harness's threads; the endpoint process is reported, not billed. Job JVM "
                        + "flags: `%s`.\n\n",
                graph,
                fast.checkpointInterval.replace("PT", "").toLowerCase(Locale.ROOT),
                paced.rate,
                String.join(" ", fast.jobJvmFlags)));
        if (fast.warmUp != null) {
            b.append("Warm-up in the same JVM before both runs (not a result): ")
                    .append(fast.warmUp)
                    .append(".\n\n");
        }
        b.append("| measure | unpaced | paced |\n|---|---|---|\n");
        b.append(String.format(
                Locale.ROOT,
                "| events / seconds | %,d / %.1f s | %,d / %.1f s |\n",
                fast.events,
                fast.seconds,
                paced.events,
                paced.seconds));
        b.append(String.format(
                Locale.ROOT, "| **events/s** | **%,.0f** | %,.0f |\n", fast.eventsPerSec, paced.eventsPerSec));
        b.append(String.format(
                Locale.ROOT,
                "| job CPU-s, cores (job JVM minus harness threads) | %.1f, %.2f | %.1f, %.2f |\n",
                fast.jobCpuSeconds,
                fast.jobCores,
                paced.jobCpuSeconds,
                paced.jobCores));
        b.append(String.format(
                Locale.ROOT,
                "| **events per CPU-second** (whole run) | **%,.0f** | %,.0f |\n",
                fast.eventsPerCpuSecond,
                paced.eventsPerCpuSecond));
        b.append(String.format(
                Locale.ROOT,
                "| events per CPU-second, steady state (from %.0f %% generated): by events generated … stored in "
                        + "the window | %,.0f … %,.0f | %,.0f … %,.0f |\n",
                SinkBench.STEADY_FROM * 100,
                fast.steadyEventsPerCpuSecond,
                fast.steadyStoredEventsPerCpuSecond,
                paced.steadyEventsPerCpuSecond,
                paced.steadyStoredEventsPerCpuSecond));
        b.append(String.format(
                Locale.ROOT,
                "| JIT / GC share of the bill, whole run | %.0f %% / %.0f %% | %.0f %% / %.0f %% |\n",
                SinkBench.share(fast.jitCpuSeconds, fast.jobCpuSeconds),
                SinkBench.share(fast.gcCpuSeconds, fast.jobCpuSeconds),
                SinkBench.share(paced.jitCpuSeconds, paced.jobCpuSeconds),
                SinkBench.share(paced.gcCpuSeconds, paced.jobCpuSeconds)));
        b.append(String.format(
                Locale.ROOT,
                "| endpoint process (not billed): CPU-s, RSS peak | %.1f, %.0f MB | %.1f, %.0f MB |\n",
                fast.endpointCpuSeconds,
                fast.endpointPeakRssMb,
                paced.endpointCpuSeconds,
                paced.endpointPeakRssMb));
        b.append("| latency creation → ingestion p50 / p99 / max | " + ms(fast.p50) + " / " + ms(fast.p99) + " / "
                + ms(fast.max) + " | **" + ms(paced.p50) + " / " + ms(paced.p99) + "** / " + ms(paced.max) + " |\n");
        b.append("| stored / missing / duplicated | " + fast.stored + " / " + fast.missing + " / " + fast.duplicated
                + " | " + paced.stored + " / " + paced.missing + " / " + paced.duplicated + " |\n");
        b.append(String.format(
                Locale.ROOT,
                "| checkpoints: count, largest full state | %d, %s | %d, %s |\n",
                fast.checkpoints.size(),
                bytes(fast.checkpoints.stream()
                        .mapToLong(CheckpointMonitor.Checkpoint::stateSize)
                        .max()
                        .orElse(0)),
                paced.checkpoints.size(),
                bytes(paced.checkpoints.stream()
                        .mapToLong(CheckpointMonitor.Checkpoint::stateSize)
                        .max()
                        .orElse(0))));
        b.append("| load before → after | " + fast.loadBefore + " → " + fast.loadAfter + " | " + paced.loadBefore
                + " → " + paced.loadAfter + " |\n\n");
        b.append(
                "The unpaced run's bill by thread group of the job JVM:\n\n| thread group | CPU-s | µs per event |\n|---|---|---|\n");
        fast.jobCpuSecondsByGroup.forEach((group, cpu) -> b.append(String.format(
                Locale.ROOT, "| %s | %.2f | %.2f |\n", group.replace("|", "\\|"), cpu, cpu * 1e6 / fast.events)));
        b.append('\n');
        b.append("Paced run: ").append(checkpoints(paced.checkpoints, 0));
        b.append("The committable state per checkpoint is the full state size above: the events of one interval "
                + "(~rate × interval × (event + overhead)).\n\n");
        section("sink", b.toString());
        target(
                "Sink ≥ 100k events/s per core with exactly-once",
                String.format(Locale.ROOT, "%,.0f events per CPU-second (unpaced)", fast.eventsPerCpuSecond),
                fast.eventsPerCpuSecond >= 100_000);
        write();
    }

    public void jmh(List<Jmh.Row> rows) throws IOException {
        json.put("jmh", rows);
        StringBuilder b = new StringBuilder("## JMH microbenchmarks\n\n");
        b.append(
                "Single-threaded, so ops/s is per core. One op is one line (or event / record) where the unit says ops/s; "
                        + "raw JSON in `jmh.json`.\n\n| benchmark | params | mode | score | error | unit |\n|---|---|---|---|---|---|\n");
        for (Jmh.Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %,.0f | ±%,.0f | %s |\n",
                    r.benchmark(),
                    r.params(),
                    r.mode(),
                    r.score(),
                    r.error(),
                    r.unit()));
            if (r.benchmark().contains("KeyedStage") && r.unit().equals("ops/s")) {
                target(
                        "Keyed stage ≥ 150k lines/s per core (" + r.params() + ")",
                        String.format(Locale.ROOT, "%,.0f lines/s", r.score()),
                        r.score() >= 150_000);
            }
        }
        b.append('\n');
        section("jmh", b.toString());
        write();
    }

    public void finish(String load) throws IOException {
        loadEnd = load;
        json.put("loadAtEnd", load);
        write();
    }

    // ------------------------------------------------------------------ output

    private void section(String key, String text) {
        sections.removeIf(s -> s.startsWith("<!-- " + key + " -->"));
        sections.add("<!-- " + key + " -->\n" + text);
    }

    private void target(String what, String measured, boolean met) {
        targets.removeIf(t -> t[0].equals(what));
        targets.add(new String[] {what, measured, met ? "met" : "**not met**"});
    }

    private void write() throws IOException {
        StringBuilder b = new StringBuilder("# kubelogs benchmark report\n\n");
        b.append("Started ")
                .append(started)
                .append(". Load average (1/5/15 min) at start: ")
                .append(loadStart)
                .append(loadEnd != null ? ", at end: " + loadEnd : "")
                .append(". ");
        b.append("Shared machines make numbers noisy: compare runs only at similar load.\n\n");
        if (machine != null) {
            b.append("| machine | |\n|---|---|\n");
            machine.forEach((k, v) -> row(b, k, v));
            if (flags != null) {
                row(b, "collector JVM flags", "`" + String.join(" ", flags.flags()) + "` (" + flags.source() + ")");
            }
            b.append('\n');
        }
        if (!targets.isEmpty()) {
            b.append("## Targets (issue 7)\n\n| target | measured | |\n|---|---|---|\n");
            for (String[] t : targets) {
                b.append("| ")
                        .append(t[0])
                        .append(" | ")
                        .append(t[1])
                        .append(" | ")
                        .append(t[2])
                        .append(" |\n");
            }
            b.append('\n');
        }
        for (String s : sections) {
            b.append(s).append('\n');
        }
        Files.writeString(dir.resolve("report.md"), b.toString());
        com.fasterxml.jackson.databind.module.SimpleModule asText =
                new com.fasterxml.jackson.databind.module.SimpleModule();
        for (Class<?> c : List.of(Duration.class, Path.class, LineSizes.class, CollectorProcess.JvmFlags.class)) {
            asText.addSerializer(c, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance);
        }
        ObjectMapper m = new ObjectMapper()
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .registerModule(asText);
        m.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
        try {
            m.writeValue(dir.resolve("results.json").toFile(), json);
        } catch (IOException | RuntimeException e) {
            out.println("  (results.json not written: " + e + ")");
        }
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static String ms(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return v >= 10_000 ? String.format(Locale.ROOT, "%.1f s", v / 1000) : String.format(Locale.ROOT, "%,.0f ms", v);
    }

    static String bytes(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1f MB", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1f kB", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f B", v);
    }

    static String fmt(Duration d) {
        if (d == null || d.isZero()) {
            return "never";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
