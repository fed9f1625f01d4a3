package dev.kubelogs.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.util.TimeUtils;

/**
 * {@code ./pipeline bench --parts spool-cost}: the S3 spool's request bill and the latency at the settings the
 * deployment ships. Collectors (generated nodes at a steady rate, plus idle ones) upload to an S3-compatible endpoint
 * that counts every request it serves; the job reads, deletes and checkpoints through Flink's S3 file system there.
 * Requests of the measured window are attributed by key: a node's own prefix, the spool above the nodes (discovery of
 * the cluster), the checkpoints, the HA store (when the deployment runs HA: {@link HaStandIn}), and scaled to a day; the
 * report prices them at S3's list prices next to CloudWatch's ingestion price for the same bytes.
 */
public final class SpoolCost {
    /** CloudWatch Logs standard ingestion, us-east-1 list price, dollars per GB. */
    static final double CLOUDWATCH_INGESTION_PER_GB = 0.50;

    static final double DAY_SECONDS = 86_400;

    /** Requests per day by kind, per area of the bucket. */
    record Bill(
            Map<CountingS3.Kind, Double> busyNode,
            Map<CountingS3.Kind, Double> idleNode,
            Map<CountingS3.Kind, Double> clusterSpool,
            Map<CountingS3.Kind, Double> checkpoints,
            Map<CountingS3.Kind, Double> haStore,
            Map<CountingS3.Kind, Double> other) {

        /** Per cluster-day, whatever the number of nodes: discovery above the nodes, checkpoints, HA, anything else. */
        Map<CountingS3.Kind, Double> perCluster() {
            Map<CountingS3.Kind, Double> m = empty();
            for (Map<CountingS3.Kind, Double> part : List.of(clusterSpool, checkpoints, haStore, other)) {
                part.forEach((k, v) -> m.merge(k, v, Double::sum));
            }
            return m;
        }

        /** Per node-day in a cluster of {@code nodes} busy nodes: a node's own requests and its share of the rest. */
        Map<CountingS3.Kind, Double> perNodeIn(int nodes) {
            Map<CountingS3.Kind, Double> m = empty();
            busyNode.forEach((k, v) -> m.merge(k, v, Double::sum));
            perCluster().forEach((k, v) -> m.merge(k, v / nodes, Double::sum));
            return m;
        }
    }

    private SpoolCost() {}

    static Map<CountingS3.Kind, Double> empty() {
        Map<CountingS3.Kind, Double> m = new EnumMap<>(CountingS3.Kind.class);
        for (CountingS3.Kind k : CountingS3.Kind.values()) {
            m.put(k, 0.0);
        }
        return m;
    }

    static double dollars(Map<CountingS3.Kind, Double> perDay) {
        double d = 0;
        for (Map.Entry<CountingS3.Kind, Double> e : perDay.entrySet()) {
            d += e.getValue() * e.getKey().dollarsPer1000 / 1000;
        }
        return d;
    }

    /**
     * Attributes requests to areas by key: {@code <spool key>/<cluster>/<node>/…} is that node's, the rest of the spool
     * the cluster's discovery, {@code <checkpoint key>…} the checkpoints', {@code <HA key>…} the HA store's (none
     * when {@code haKey} is null).
     */
    static Bill bill(
            List<CountingS3.Served> served,
            double seconds,
            String spoolKey,
            String checkpointKey,
            String haKey,
            String cluster,
            List<String> busyNodes,
            List<String> idleNodes) {
        double perDay = DAY_SECONDS / seconds;
        Map<CountingS3.Kind, Double> busy = empty();
        Map<CountingS3.Kind, Double> idle = empty();
        Map<CountingS3.Kind, Double> clusterSpool = empty();
        Map<CountingS3.Kind, Double> checkpoints = empty();
        Map<CountingS3.Kind, Double> haStore = empty();
        Map<CountingS3.Kind, Double> other = empty();
        String nodesKey = spoolKey + "/" + cluster + "/";
        String scheduleKey = spoolKey + "/discovery-schedule.json";
        int nodes = busyNodes.size() + idleNodes.size();
        for (CountingS3.Served s : served) {
            String key = s.key();
            Map<CountingS3.Kind, Double> into;
            double weight = perDay;
            if (key.equals(scheduleKey) && s.kind() == CountingS3.Kind.GET && nodes > 0) {
                // every collector reads the job's discovery schedule at the same pace: a node's request, not the
                // cluster's, though the key does not name the node
                busy.merge(s.kind(), perDay / nodes, Double::sum);
                if (!idleNodes.isEmpty()) {
                    idle.merge(s.kind(), perDay / nodes, Double::sum);
                }
                continue;
            }
            if (key.startsWith(nodesKey) && key.length() > nodesKey.length()) {
                String rest = key.substring(nodesKey.length());
                int slash = rest.indexOf('/');
                String node = slash < 0 ? rest : rest.substring(0, slash);
                if (busyNodes.contains(node)) {
                    into = busy;
                    weight /= busyNodes.size();
                } else if (idleNodes.contains(node)) {
                    into = idle;
                    weight /= Math.max(1, idleNodes.size());
                } else {
                    into = clusterSpool;
                }
            } else if (key.startsWith(spoolKey)) {
                into = clusterSpool;
            } else if (key.startsWith(checkpointKey)) {
                into = checkpoints;
            } else if (haKey != null && key.startsWith(haKey)) {
                into = haStore;
            } else {
                into = other;
            }
            into.merge(s.kind(), weight, Double::sum);
        }
        return new Bill(busy, idle, clusterSpool, checkpoints, haStore, other);
    }

    /** Runs the part; returns the end-to-end result (lost/duplicated are checked like every run). */
    public static EndToEndResult run(
            EndToEnd.Spec base,
            Map<String, String> overrides,
            int idleNodes,
            Path repo,
            Path resultsDir,
            PrintStream out)
            throws Exception {
        ShippedSettings shipped = ShippedSettings.read(repo, ShippedSettings.BENCH_PLACEHOLDERS);
        ShippedSettings used = shipped.with(overrides);
        String spoolUri = used.jobArg("--spool");
        String checkpointUri = used.flinkConfig().get("execution.checkpointing.dir");
        URI spool = URI.create(spoolUri);
        String spoolKey = spool.getPath().replaceAll("^/|/$", "");
        String checkpointKey = URI.create(checkpointUri).getPath().replaceAll("^/|/$", "");
        Map<String, String> flinkConfig = new java.util.LinkedHashMap<>(used.checkpointingAndStateBackend());
        String haDir = highAvailabilityDir(used);
        String haKey = haDir == null ? null : URI.create(haDir).getPath().replaceAll("^/|/$", "");
        try (CountingS3 s3 = new CountingS3(spool.getHost());
                HaStandIn ha = haDir == null ? null : HaStandIn.start()) {
            if (ha != null) {
                flinkConfig.putAll(ha.flinkConfig(haDir));
            }
            EndToEnd.S3Run s3Run = new EndToEnd.S3Run(
                    s3.endpoint(),
                    spoolUri,
                    checkpointUri,
                    flinkConfig,
                    used.jobArgsForBench(),
                    used.collectorEnv(),
                    idleNodes,
                    fileSystemPlugin(repo));
            Duration checkpointInterval =
                    TimeUtils.parseDuration(flinkConfig.getOrDefault("execution.checkpointing.interval", "0s"));
            String discovery = used.jobArg("--discovery-interval");
            EndToEnd.Spec spec = new EndToEnd.Spec(
                    "spool-cost",
                    base.nodes(),
                    base.ratePerNode(),
                    base.duration(),
                    base.warmup(),
                    base.sizes(),
                    base.multilineShare(),
                    base.minFrames(),
                    base.maxFrames(),
                    base.rotateEvery(),
                    base.copytruncateEvery(),
                    base.hostMode(),
                    checkpointInterval,
                    discovery == null ? base.discoveryInterval() : TimeUtils.parseDuration(discovery),
                    used.parallelism(),
                    flinkConfig.getOrDefault("state.backend.type", base.stateBackend()),
                    base.collectorFlags(),
                    true,
                    base.workDir(),
                    base.seed(),
                    Duration.ofSeconds(10),
                    true,
                    s3Run);
            say(
                    out,
                    "  settings: %s and %s (%s), job args %s, collector env %s%s",
                    ShippedSettings.FLINK_DEPLOYMENT,
                    ShippedSettings.COLLECTOR_DAEMONSET,
                    flinkConfig,
                    used.jobArgsForBench(),
                    used.collectorEnv().isEmpty() ? "(none: the collector's defaults)" : used.collectorEnv(),
                    overrides.isEmpty() ? "" : "; OVERRIDDEN (not the shipped settings): " + overrides);
            EndToEndResult r = EndToEnd.run(spec, repo, out);
            double seconds = (r.windowEndMillis - r.windowStartMillis) / 1000.0;
            List<String> busy = NodeNames.balanced(spec.nodes(), spec.parallelism());
            List<String> idle = new ArrayList<>();
            for (int i = 0; i < idleNodes; i++) {
                idle.add("idle-" + i);
            }
            List<CountingS3.Served> window = s3.served(r.windowStartMillis, r.windowEndMillis);
            Bill bill = bill(window, seconds, spoolKey, checkpointKey, haKey, "bench", busy, idle);
            Map<String, Long> errors = new java.util.TreeMap<>();
            for (CountingS3.Served s : window) {
                if (s.status() >= 300) {
                    errors.merge(s.kind() + " " + s.status(), 1L, Long::sum);
                }
            }
            String table = table(spec, used, overrides, r, bill, seconds)
                    + String.format(
                            Locale.ROOT,
                            "Requests in the window: %,d; answered with an error status (counted above too, S3 bills "
                                    + "them): %s.%n",
                            window.size(),
                            errors.isEmpty() ? "none" : errors);
            Files.writeString(resultsDir.resolve("spool-cost.md"), table);
            Files.write(resultsDir.resolve("requests.tsv"), requestLog(window));
            out.println(table);
            return r;
        }
    }

    /** The deployment's HA storage directory, or null when it runs without HA. */
    static String highAvailabilityDir(ShippedSettings used) {
        String type = used.flinkConfig().getOrDefault("high-availability.type", "NONE");
        if (type.equalsIgnoreCase("NONE")) {
            return null;
        }
        String dir = used.flinkConfig().get("high-availability.storageDir");
        if (dir == null) {
            throw new IllegalArgumentException(
                    "high-availability.type is " + type + " but no high-availability.storageDir is set");
        }
        return dir;
    }

    /**
     * The window's requests, one a line (millis, kind, status, key or LIST prefix, a PUT's bytes), to read what each one
     * was for.
     */
    static List<String> requestLog(List<CountingS3.Served> window) {
        List<String> lines = new ArrayList<>(window.size() + 1);
        lines.add("millis\tkind\tstatus\tkey\tbytes");
        for (CountingS3.Served s : window) {
            lines.add(s.millis() + "\t" + s.kind() + "\t" + s.status() + "\t" + s.key() + "\t"
                    + (s.bytes() < 0 ? "" : Long.toString(s.bytes())));
        }
        return lines;
    }

    /** The S3 file system plugin the benchmarks build copies to {@code target/plugins/s3-fs-presto}. */
    static Path fileSystemPlugin(Path repo) throws java.io.IOException {
        Path dir = repo.resolve("benchmarks/target/plugins/s3-fs-presto");
        try (java.util.stream.Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no S3 file system plugin in " + dir));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException(dir + " is missing: build the benchmarks module first", e);
        }
    }

    static String table(
            EndToEnd.Spec spec,
            ShippedSettings used,
            Map<String, String> overrides,
            EndToEndResult r,
            Bill bill,
            double seconds) {
        StringBuilder b = new StringBuilder();
        double bytesPerNodeDay = r.genSeconds == 0 ? 0 : r.bytesWritten / r.genSeconds / spec.nodes() * DAY_SECONDS;
        double cloudwatch = bytesPerNodeDay / 1e9 * CLOUDWATCH_INGESTION_PER_GB;
        b.append(String.format(
                Locale.ROOT,
                "## Spool cost at %s%n%n",
                overrides.isEmpty() ? "the shipped settings" : "the shipped settings with " + overrides));
        b.append(String.format(
                Locale.ROOT,
                "%d node(s) × %.0f lines/s (%.0f B/line, %.2f GB/node-day) + %d idle node(s); window %.0f s after "
                        + "%s warm-up; checkpoints every %s (%s), discovery every %s, collector %s, parallelism %d; "
                        + "load average during the run %.2f.%n%n",
                spec.nodes(),
                spec.ratePerNode(),
                r.linesWritten == 0 ? 0 : (double) r.bytesWritten / r.linesWritten,
                bytesPerNodeDay / 1e9,
                spec.s3().idleNodes(),
                seconds,
                spec.warmup(),
                spec.checkpointInterval(),
                used.flinkConfig().getOrDefault("execution.checkpointing.min-pause", "no min-pause"),
                spec.discoveryInterval(),
                used.collectorEnv().isEmpty() ? "defaults" : used.collectorEnv().toString(),
                spec.parallelism(),
                r.loadAvgDuring));
        b.append("S3 requests per day, counted at the endpoint (S3Proxy) in the window and scaled to a day; $ at S3 "
                + "Standard list prices (us-east-1 = eu-west-1: PUT/POST/LIST $0.005 per 1,000, GET/HEAD $0.0004 per "
                + "1,000, DELETE free).");
        String haDir = highAvailabilityDir(used);
        b.append(
                haDir == null
                        ? " The deployment runs without HA.\n\n"
                        : " HA store: " + haDir
                                + " (ZooKeeper HA standing in for the deployment's Kubernetes HA: the same "
                                + "files in the same directory).\n\n");
        b.append("| requests per day | busy node | idle node | cluster: discovery above the nodes | cluster: "
                + "checkpoints | cluster: HA store | cluster: other | 10-node cluster, per node | 100-node cluster, "
                + "per node |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        Map<CountingS3.Kind, Double> per10 = bill.perNodeIn(10);
        Map<CountingS3.Kind, Double> per100 = bill.perNodeIn(100);
        for (CountingS3.Kind k : CountingS3.Kind.values()) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
                    k,
                    bill.busyNode().get(k),
                    bill.idleNode().get(k),
                    bill.clusterSpool().get(k),
                    bill.checkpoints().get(k),
                    bill.haStore().get(k),
                    bill.other().get(k),
                    per10.get(k),
                    per100.get(k)));
        }
        b.append(String.format(
                Locale.ROOT,
                "| **$ per day** | **%.4f** | **%.4f** | **%.4f** | **%.4f** | **%.4f** | **%.4f** | **%.4f** | **%.4f** |%n",
                dollars(bill.busyNode()),
                dollars(bill.idleNode()),
                dollars(bill.clusterSpool()),
                dollars(bill.checkpoints()),
                dollars(bill.haStore()),
                dollars(bill.other()),
                dollars(per10),
                dollars(per100)));
        b.append(String.format(
                Locale.ROOT,
                "| share of CloudWatch ingestion ($%.2f/GB × %.2f GB = $%.3f per node-day) | %.1f %% | | | | | | %.1f %% | "
                        + "%.1f %% |%n%n",
                CLOUDWATCH_INGESTION_PER_GB,
                bytesPerNodeDay / 1e9,
                cloudwatch,
                100 * dollars(bill.busyNode()) / cloudwatch,
                100 * dollars(per10) / cloudwatch,
                100 * dollars(per100) / cloudwatch));
        b.append(String.format(
                Locale.ROOT,
                "The per-node columns add a busy node's own requests to a tenth (a hundredth) of this run's cluster "
                        + "requests (%d busy node(s)): measured for a cluster of that size and rate, an estimate for "
                        + "another (its checkpoints may come at the other interval: the job's --quiet-below).%n%n",
                spec.nodes()));
        int n = spec.nodes();
        double busyCores = 0;
        for (int i = 0; i < n && i < r.collectorCoresEach.size(); i++) {
            busyCores += r.collectorCoresEach.get(i);
        }
        double idleCores = 0;
        for (int i = n; i < r.collectorCoresEach.size(); i++) {
            idleCores += r.collectorCoresEach.get(i);
        }
        b.append(
                "| | kubelogs (this run) | Fluent Bit 5.1.1, Container Insights config (fixed reference, issue 16) |\n");
        b.append("|---|---|---|\n");
        b.append(String.format(
                Locale.ROOT,
                "| collector cores per node | %.4f busy, %.4f idle | 0.12–0.16 at 5,000 lines/s |%n",
                busyCores / n,
                idleCores / Math.max(1, r.collectorCoresEach.size() - n)));
        b.append(String.format(
                Locale.ROOT, "| collector RSS (peak, any node) | %.1f MB | 60–66 MB |%n", r.collectorPeakRssMb));
        b.append(String.format(
                Locale.ROOT,
                "| job cores (all nodes, MiniCluster in the harness JVM, endpoints excluded) | %.3f | — |%n",
                r.jobCores));
        b.append(String.format(
                Locale.ROOT,
                "| S3 $ per node-day (10 / 100 nodes) | %.4f / %.4f | none |%n",
                dollars(per10),
                dollars(per100)));
        b.append(String.format(
                Locale.ROOT,
                "| latency line written → accepted, p50 / p95 / p99 / max | %.1f / %.1f / %.1f / %.1f s | flush every 5 s"
                        + " |%n",
                r.p50 / 1000,
                r.p95 / 1000,
                r.p99 / 1000,
                r.pMax / 1000));
        b.append(String.format(
                Locale.ROOT,
                "| lost / duplicated | %d / %d of %,d lines | — |%n%n",
                r.lost,
                r.duplicated,
                r.linesWritten));
        b.append(String.format(
                Locale.ROOT, "Checkpoints: %d completed, %d failed.%n", r.checkpoints.size(), r.checkpointsFailed));
        return b.toString();
    }

    private static void say(PrintStream out, String f, Object... args) {
        out.println(String.format(Locale.ROOT, f, args));
        out.flush();
    }
}
