package dev.kubelogs.launcher;

import dev.kubelogs.collector.CollectorConfig;
import dev.kubelogs.collector.HostLogsMode;
import dev.kubelogs.collector.NodeCollector;
import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobCommand;
import dev.kubelogs.job.OneLineParameterErrors;
import dev.kubelogs.job.sink.cloudwatch.DeliveryStatus;
import dev.kubelogs.launcher.cluster.ClusterJob;
import dev.kubelogs.launcher.cluster.FlinkRest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline demo}: generates realistic nodes (or takes a copied node's /var/log), runs one real
 * collector per node, the local CloudWatch-Logs-compatible endpoint and the Flink job on an embedded
 * MiniCluster, then reads everything back through the AWS SDK and prints what landed where.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the whole pipeline on generated (or your own) node logs into CloudWatch Logs groups; no AWS account needed.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "2", description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--rate",
            defaultValue = "2000",
            description = "Lines per second per node (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            converter = JobCommand.DurationConverter.class,
            description = "How long to generate (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--logs",
            paramLabel = "DIR",
            description = "Use an existing node log tree (the layout of a node's /var/log) instead of generated logs.")
    Path logs;

    @Option(
            names = "--journal-dir",
            paramLabel = "DIR",
            description = "The copied node's journal for --logs "
                    + "(default: DIR/journal or DIR/log/journal when there); its docker, containerd and kubelet units go to "
                    + "dataplane.")
    Path journalDir;

    @Option(
            names = "--node",
            defaultValue = "ip-10-0-1-10.us-west-2.compute.internal",
            description = "Node name for --logs (default: ${DEFAULT-VALUE}).")
    String nodeName;

    @Option(
            names = "--cluster",
            defaultValue = "demo",
            description = "Cluster name in the log group names (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(
            names = "--cloudwatch-endpoint",
            paramLabel = "URL",
            description =
                    "Send to this CloudWatch-Logs-compatible endpoint instead of the embedded one (AWS: https://logs.<region>.amazonaws.com).")
    String endpoint;

    @Option(
            names = "--region",
            defaultValue = "us-west-2",
            description = "Region for the endpoint and the SDK (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(
            names = "--work-dir",
            defaultValue = "./.pipeline/demo",
            description =
                    "Where logs, spool, state and the embedded endpoint's data go; "
                            + "a new or empty directory, or one an earlier demo made, which is emptied at start (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--multiline-rules",
            paramLabel = "FILE",
            description =
                    "User multiline rule sets (JSON) for the job, " + "as ./pipeline job --multiline-rules takes them.")
    Path multilineRules;

    @Option(
            names = "--give-up-after",
            defaultValue = "2min",
            converter = JobCommand.DurationConverter.class,
            description = "Stop waiting once no put has succeeded for this long (since the job started or since the "
                    + "last successful put); the spool and the last checkpoint are kept for --resume "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration giveUpAfter;

    @Option(
            names = "--resume",
            description = "Continue an earlier run in the same --work-dir instead of starting "
                    + "afresh: nothing is generated or collected again; the job restores from the last retained checkpoint and "
                    + "delivers what is left in the spool, without loss or duplicates.")
    boolean resume;

    @Option(
            names = "--flink-rest",
            paramLabel = "HOST:PORT",
            description =
                    "Run the job on this Flink cluster (e.g. ./pipeline cluster start) "
                            + "instead of an embedded MiniCluster: job/target/kubelogs-job.jar is uploaded and run over its REST API.")
    String flinkRest;

    @Option(
            names = "--prometheus-config",
            paramLabel = "DIR",
            description = "Metrics from the CloudWatch agent's "
                    + "cwagentconfig.json (or its directory, with the prometheus.yaml it names) instead of the demo's own "
                    + "targets (every collector's /metrics, and nginx with its exporter when installed); each target is "
                    + "scraped a bounded number of times so the run ends.")
    Path prometheusConfig;

    @Option(names = "--no-metrics", description = "Logs only: do not run the metrics pipeline.")
    boolean noMetrics;

    /** Exit code when delivery stopped (an error retrying cannot heal, or the --give-up-after bound). */
    static final int DELIVERY_STOPPED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The metrics part of this run, or null without one (--no-metrics). */
    private DemoMetrics metrics;
    /** The embedded MiniCluster's REST port (the demo watches the metrics source's progress there). */
    private int restPort;

    @Override
    public Integer call() throws Exception {
        validate();
        if (prometheusConfig != null && !resume && !noMetrics) {
            try {
                metrics = DemoMetrics.users(prometheusConfig.toAbsolutePath(), cluster, duration);
            } catch (IllegalArgumentException e) {
                System.err.println("demo: --prometheus-config: " + e.getMessage());
                return 2;
            }
        }
        Path work = resume
                ? DemoWorkDir.reuse(workDir, spec.commandLine())
                : DemoWorkDir.prepare(workDir, logs, spec.commandLine());
        DemoRunState.Saved earlier = resume ? DemoRunState.load(work, spec.commandLine()) : null;
        Path spool = Files.createDirectories(work.resolve("spool"));
        long started = System.nanoTime();

        try (LocalCloudWatchLogs local = endpoint == null
                ? LocalCloudWatchLogs.builder()
                        .port(0)
                        .dataDir(work.resolve("cloudwatch"))
                        .start()
                : null) {
            String target = local != null ? local.endpoint().toString() : endpoint;
            say(
                    "CloudWatch Logs endpoint: %s%s",
                    target, local != null ? "  (embedded, data in " + work.resolve("cloudwatch") + ")" : "");

            List<SampleNode> generated = new ArrayList<>();
            List<NodeCollector> collectors = new ArrayList<>();
            List<DemoKubelet> kubelets = new ArrayList<>();
            List<DemoMetricsConfig.Collector> scraped = new ArrayList<>();
            DemoDeliveryWatch.Outcome outcome;
            try {
                if (resume) {
                    metrics = resumedMetrics(work);
                    Optional<Path> checkpoint = DemoRunState.latestCheckpoint(work.resolve("checkpoints"));
                    if (earlier.delivered()) {
                        say("Resuming %s: the earlier run delivered everything already", work);
                        outcome = new DemoDeliveryWatch.Outcome(DemoDeliveryWatch.Result.DELIVERED, null);
                    } else {
                        say(
                                "Resuming %s: spool %s, restoring from %s",
                                work,
                                DemoRunState.describeSpool(spool),
                                checkpoint
                                        .map(Path::toString)
                                        .orElse("no checkpoint (nothing was committed): the start"));
                        outcome = awaitDelivery(startJob(spool, target, checkpoint.orElse(null)), local);
                    }
                } else {
                    if (logs != null) {
                        NodeLogSources sources;
                        try {
                            sources = NodeLogSources.of(
                                    logs.toAbsolutePath(), journalDir == null ? null : journalDir.toAbsolutePath());
                        } catch (IllegalArgumentException e) {
                            System.err.println("demo: " + e.getMessage());
                            return 2;
                        }
                        collectors.add(startCollector(
                                work,
                                spool,
                                logs.toAbsolutePath(),
                                nodeName,
                                null,
                                sources.journalDir(),
                                sources.hostLogs()));
                        scraped.add(scrapeTarget(collectors.get(0), nodeName));
                        say("Collector reading %s as node %s", logs.toAbsolutePath(), nodeName);
                        sources.summary().forEach(line -> say("  %s", line));
                    } else {
                        for (int i = 0; i < nodes; i++) {
                            String name = String.format(
                                    Locale.ROOT,
                                    "ip-10-0-%d-%d.%s.compute.internal",
                                    1 + i / 200,
                                    10 + i % 200,
                                    region);
                            Path logRoot = work.resolve("nodes").resolve(name).resolve("var/log");
                            SampleNode node = new SampleNode(logRoot, name, i + 1);
                            generated.add(node);
                            DemoKubelet kubelet = new DemoKubelet(work.resolve("kubelet"), node::kubeletPodList);
                            kubelets.add(kubelet);
                            collectors.add(startCollector(
                                    work, spool, logRoot, name, kubelet, node.journalDir(), HostLogsMode.FILES));
                            scraped.add(scrapeTarget(collectors.get(i), name));
                        }
                        say(
                                "Generating %d node(s) × %d lines/s for %s: pods orders (Docker json-file), frontend, coredns, aws-node, kube-proxy, fluentd (CRI), host messages/secure/dmesg",
                                nodes, rate, duration.toMillis() / 1000.0 + " s");
                        say(
                                generated.isEmpty() || generated.get(0).journalDir() != null
                                        ? "  Host logs from files; dataplane from the journal (kubelet.service, "
                                                + "containerd.service) and the aws-node, kube-proxy container logs"
                                        : "  No journal on the generated nodes: " + JournalWriter.missingTools()
                                                + "; dataplane has aws-node and kube-proxy only");
                    }
                    if (metrics == null && !noMetrics) {
                        metrics = DemoMetrics.own(work, cluster, duration, scraped);
                    }
                    if (metrics != null) {
                        say("%s", metrics.describe());
                    }
                    if (flinkRest != null) {
                        // on a cluster the delivery status lives in its TaskManagers: wait for the job to finish
                        startTraffic(); // before the job: its first scrape of nginx must come after the first look
                        ClusterJob job = startOnCluster(spool, target);
                        FlinkRest rest = new FlinkRest(URI.create("http://" + flinkRest));
                        generate(generated, collectors, local, null);
                        awaitScrapes(rest, job.id(), () -> ended(rest.jobStateOrNull(job.id())));
                        sealNodes(generated, collectors, work);
                        job.awaitFinished(Duration.ofMinutes(10));
                        outcome = new DemoDeliveryWatch.Outcome(DemoDeliveryWatch.Result.DELIVERED, null);
                    } else {
                        startTraffic(); // before the job: its first scrape of nginx must come after the first look
                        JobClient job = startJob(spool, target, null);
                        long jobStarted = System.currentTimeMillis(); // the bound counts from a submitted job
                        say(
                                "Flink job %s running on an embedded MiniCluster (parallelism %d, checkpoints every 1s)",
                                job.getJobID(), parallelism);
                        DemoDeliveryWatch watch = watch(job, jobStarted, local);
                        generate(generated, collectors, local, watch);
                        awaitScrapes(
                                new FlinkRest(URI.create("http://127.0.0.1:" + restPort)),
                                job.getJobID().toString(),
                                () -> watch.jobEnded()
                                        || DeliveryStatus.ofThisJvm().failing());
                        sealNodes(generated, collectors, work);
                        outcome = watch.await();
                    }
                }
            } finally {
                for (NodeCollector c : collectors) {
                    c.close();
                }
                for (SampleNode n : generated) {
                    n.close();
                }
                for (DemoKubelet k : kubelets) {
                    k.close();
                }
                if (metrics != null) {
                    metrics.finish(); // the job has ended: nginx's count now is the one its last scrape saw
                }
            }
            if (outcome.result() != DemoDeliveryWatch.Result.DELIVERED) {
                say("Delivery stopped: %s", outcome.reason());
                say(
                        "Nothing is lost: the spool %s (%s) keeps every collected line and %s what was in flight. Fix the "
                                + "cause, then run the same command with --resume (same --work-dir) to deliver the rest, "
                                + "without loss or duplicates.",
                        spool,
                        DemoRunState.describeSpool(spool),
                        DemoRunState.latestCheckpoint(work.resolve("checkpoints"))
                                .map(c -> "the last checkpoint " + c)
                                .orElse("the job's state (nothing was committed yet)"));
                return DELIVERY_STOPPED;
            }
            Map<SampleNode.Destination, Long> written = resume ? earlier.written() : DemoReport.written(generated);
            DemoRunState.save(work, written, true);
            double seconds = (System.nanoTime() - started) / 1e9;
            DemoReport report =
                    DemoReport.read(URI.create(target), region, cluster, metrics == null ? null : metrics.logGroup());
            report.print(System.out, written);
            boolean metricsDelivered = metrics == null || metrics.report(URI.create(target), region, System.out);
            long lines = generated.stream().mapToLong(SampleNode::lines).sum();
            long bytes = generated.stream().mapToLong(SampleNode::bytes).sum();
            if (logs == null) {
                say(
                        "Generated %,d lines (%,d bytes) on %d node(s); pipeline done after %.1f s (%,.0f lines/s end to end incl. start-up)",
                        lines, bytes, nodes, seconds, lines / seconds);
            } else {
                say("Pipeline done after %.1f s", seconds);
            }
            if (local != null) {
                say(
                        "Inspect: %s (one JSON-lines file per stream), or run ./pipeline endpoint --data %s and point the AWS CLI at it: "
                                + "aws logs get-log-events --endpoint-url http://127.0.0.1:4566 --region %s --log-group-name /aws/containerinsights/%s/application --log-stream-name <stream>",
                        work.resolve("cloudwatch"), work.resolve("cloudwatch"), region, cluster);
            }
            return report.matches(written) && metricsDelivered ? 0 : 1;
        }
    }

    private void validate() {
        CommandLine cmd = spec.commandLine();
        if (logs == null && nodes < 1) {
            throw OneLineParameterErrors.invalid(cmd, "--nodes", "must be at least 1", nodes);
        }
        if (rate < 1) {
            throw OneLineParameterErrors.invalid(cmd, "--rate", "must be at least 1 line/s", rate);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw OneLineParameterErrors.invalid(cmd, "--duration", "must be longer than 0", duration);
        }
        if (parallelism < 1) {
            throw OneLineParameterErrors.invalid(cmd, "--parallelism", "must be at least 1", parallelism);
        }
        if (giveUpAfter.isZero() || giveUpAfter.isNegative()) {
            throw OneLineParameterErrors.invalid(cmd, "--give-up-after", "must be longer than 0", giveUpAfter);
        }
        if (noMetrics && prometheusConfig != null) {
            throw new CommandLine.ParameterException(cmd, "--no-metrics and --prometheus-config exclude each other");
        }
    }

    /** One real collector per node; with a kubelet it polls its /pods like on EKS, without one it reads logs only. */
    private NodeCollector startCollector(
            Path work, Path spool, Path logRoot, String node, DemoKubelet kubelet, Path journal, HostLogsMode hostLogs)
            throws IOException {
        CollectorConfig.Builder config = CollectorConfig.builder()
                .logRoot(logRoot)
                .spoolDir(spool)
                .stateDir(work.resolve("state").resolve(node))
                .cluster(cluster)
                .node(node)
                .readFromHead(true)
                .hostLogs(hostLogs)
                .journalDir(journal)
                .journalReadFromTail(false)
                .httpServer(!noMetrics && prometheusConfig == null) // the demo's own targets: every /metrics
                .httpPort(0)
                .kubeletEnabled(kubelet != null)
                .nodeAttributes(Map.of(
                        "az",
                        region + "a",
                        "ec2_instance_id",
                        "i-0" + SampleNode.sha256(node).substring(0, 16)));
        if (kubelet != null) {
            config.kubeletHost("127.0.0.1")
                    .kubeletPort(kubelet.port())
                    .kubeletCaFile(kubelet.caFile())
                    .kubeletTokenFile(kubelet.tokenFile())
                    .kubeletTlsVerify(true)
                    .kubeletPollInterval(Duration.ofSeconds(2));
        }
        NodeCollector collector = new NodeCollector(config.build());
        collector.start();
        return collector;
    }

    private static DemoMetricsConfig.Collector scrapeTarget(NodeCollector collector, String node) {
        return new DemoMetricsConfig.Collector("127.0.0.1:" + collector.httpPort(), node);
    }

    /** --resume: the earlier run's metrics files (the job restores the metrics state), unless --no-metrics. */
    private DemoMetrics resumedMetrics(Path work) {
        Path own = work.resolve(DemoMetricsConfig.DIRECTORY);
        Path dir = noMetrics
                ? null
                : prometheusConfig != null ? prometheusConfig.toAbsolutePath() : Files.isDirectory(own) ? own : null;
        return dir == null ? null : DemoMetrics.resumed(dir, cluster);
    }

    private void startTraffic() throws IOException, InterruptedException {
        if (metrics != null) {
            metrics.startTraffic();
        }
    }

    /** Waits for the job's last scrapes: the collectors stop serving /metrics when they seal. */
    private void awaitScrapes(FlinkRest rest, String jobId, java.util.function.BooleanSupplier stopWaiting)
            throws InterruptedException {
        if (metrics != null) {
            metrics.awaitScrapes(rest, jobId, stopWaiting, System.out);
        }
    }

    private static boolean ended(String jobState) {
        return jobState != null && List.of("FINISHED", "FAILED", "CANCELED").contains(jobState);
    }

    private DemoDeliveryWatch watch(JobClient job, long jobStartedMillis, LocalCloudWatchLogs local) {
        say("Gives up after %s without a successful put (--give-up-after)", DemoDeliveryWatch.format(giveUpAfter));
        return new DemoDeliveryWatch(
                job, jobStartedMillis, giveUpAfter, local == null ? null : local::eventCount, System.out);
    }

    private DemoDeliveryWatch.Outcome awaitDelivery(JobClient job, LocalCloudWatchLogs local)
            throws InterruptedException {
        return watch(job, System.currentTimeMillis(), local).await();
    }

    /** Ends the generated nodes (their journals hold every entry), seals the collectors and records what was written. */
    private static void sealNodes(List<SampleNode> generated, List<NodeCollector> collectors, Path work)
            throws IOException, InterruptedException {
        for (SampleNode n : generated) {
            n.close(); // the journal holds every entry before the collectors read it to its end
        }
        for (NodeCollector c : collectors) {
            c.drainAndSeal();
        }
        DemoRunState.save(work, DemoReport.written(generated), false);
        say("Collectors drained and sealed their spools; waiting for the job to deliver everything…");
    }

    /** The shaded jar, uploaded and run over the cluster's REST API as a user would. */
    private ClusterJob startOnCluster(Path spool, String target) throws Exception {
        FlinkRest rest = new FlinkRest(URI.create("http://" + flinkRest));
        Path jar = BenchCommand.repoRoot().resolve("job/target/kubelogs-job.jar");
        ClusterJob job = ClusterJob.submit(rest, jar, jobArgs(spool, target), parallelism, Duration.ofMinutes(3));
        say(
                "Flink job %s running on the cluster at %s (jar uploaded and run over REST; parallelism %d, checkpoints "
                        + "every 1s)",
                job.id(), flinkRest, parallelism);
        return job;
    }

    /** Starts the job; from {@code checkpoint} if not null. Checkpoints are retained for a later --resume. */
    private JobClient startJob(Path spool, String target, Path checkpoint) throws Exception {
        JobCommand jobCommand = new JobCommand();
        new CommandLine(jobCommand).parseArgs(jobArgs(spool, target).toArray(new String[0]));
        Configuration conf = jobCommand.flinkConfiguration();
        // kept when the demo gives up (cancel) or the job fails, so that --resume restores from the newest one
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (checkpoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
        }
        restPort = LoopbackPorts.pick();
        conf.set(RestOptions.BIND_PORT, Integer.toString(restPort));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        jobCommand.newJob().build(env);
        return env.executeAsync("kubelogs-demo");
    }

    private List<String> jobArgs(Path spool, String target) {
        List<String> args = new ArrayList<>(List.of(
                "--spool",
                spool.toUri().toString(),
                "--cloudwatch-endpoint",
                target,
                "--region",
                region,
                "--until-sealed",
                // with --logs there is no kubelet, so no pod metadata will come: do not wait for it
                "--metadata-wait",
                logs == null ? "10s" : "0s",
                "--discovery-interval",
                "200ms",
                "--checkpoint-interval",
                "1s",
                "--checkpoint-dir",
                spool.resolveSibling("checkpoints").toString(),
                "--parallelism",
                Integer.toString(parallelism)));
        if (multilineRules != null) {
            args.addAll(
                    List.of("--multiline-rules", multilineRules.toAbsolutePath().toString()));
        }
        if (metrics != null) {
            args.addAll(metrics.jobArgs());
        }
        return args;
    }

    /** Writes lines for {@code --duration}, or until the job ends early (failed): what is written is then kept. */
    private void generate(
            List<SampleNode> generated,
            List<NodeCollector> collectors,
            LocalCloudWatchLogs local,
            DemoDeliveryWatch watch)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long nextReport = System.nanoTime() + 1_000_000_000L;
        int perTick = Math.max(1, rate / 10);
        long tick = System.nanoTime();
        while (!generated.isEmpty() && System.nanoTime() < end && (watch == null || !watch.jobEnded())) {
            for (SampleNode n : generated) {
                n.write(perTick);
            }
            tick += 100_000_000L;
            long sleep = tick - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
            if (System.nanoTime() >= nextReport) {
                nextReport += 1_000_000_000L;
                long written = generated.stream().mapToLong(SampleNode::lines).sum();
                long read = collectors.stream()
                        .mapToLong(c -> c.stats().linesRead())
                        .sum();
                DeliveryStatus status = DeliveryStatus.ofThisJvm();
                say(
                        "  written %,10d lines | collected %,10d | delivered %s events%s",
                        written,
                        read,
                        local != null ? String.format("%,10d", local.eventCount()) : "(remote)",
                        status.failing()
                                ? " | " + DemoDeliveryWatch.statusLine(status, System.currentTimeMillis(), -1)
                                : "");
            }
        }
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
