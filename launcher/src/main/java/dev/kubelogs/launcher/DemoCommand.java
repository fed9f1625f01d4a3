package dev.kubelogs.launcher;

import dev.kubelogs.collector.CollectorConfig;
import dev.kubelogs.collector.HostLogsMode;
import dev.kubelogs.collector.NodeCollector;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobCommand;
import dev.kubelogs.launcher.cluster.ClusterJob;
import dev.kubelogs.launcher.cluster.FlinkRest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
        description = "Run the whole pipeline on generated (or your own) node logs into CloudWatch Logs groups; no AWS account needed.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "2", description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--rate", defaultValue = "2000", description = "Lines per second per node (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "10s", converter = JobCommand.DurationConverter.class, description = "How long to generate (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--logs", paramLabel = "DIR", description = "Use an existing node log tree (the layout of a node's /var/log) instead of generated logs.")
    Path logs;

    @Option(names = "--node", defaultValue = "ip-10-0-1-10.us-west-2.compute.internal", description = "Node name for --logs (default: ${DEFAULT-VALUE}).")
    String nodeName;

    @Option(names = "--cluster", defaultValue = "demo", description = "Cluster name in the log group names (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--cloudwatch-endpoint", paramLabel = "URL", description = "Send to this CloudWatch-Logs-compatible endpoint instead of the embedded one (AWS: https://logs.<region>.amazonaws.com).")
    String endpoint;

    @Option(names = "--region", defaultValue = "us-west-2", description = "Region for the endpoint and the SDK (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--work-dir", defaultValue = "./.pipeline/demo", description = "Where logs, spool, state and the embedded endpoint's data go; emptied at start (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--flink-rest", paramLabel = "HOST:PORT",
            description = "Run the job on this Flink cluster (e.g. ./pipeline cluster start) "
            + "instead of an embedded MiniCluster: job/target/kubelogs-job.jar is uploaded and run over its REST API.")
    String flinkRest;

    @Override
    public Integer call() throws Exception {
        Path work = workDir.toAbsolutePath().normalize();
        deleteRecursively(work);
        Path spool = Files.createDirectories(work.resolve("spool"));
        long started = System.nanoTime();

        try (LocalCloudWatchLogs local = endpoint == null
                ? LocalCloudWatchLogs.builder().port(0).dataDir(work.resolve("cloudwatch")).start()
                : null) {
            String target = local != null ? local.endpoint().toString() : endpoint;
            say("CloudWatch Logs endpoint: %s%s", target, local != null ? "  (embedded, data in " + work.resolve("cloudwatch") + ")" : "");

            List<SampleNode> generated = new ArrayList<>();
            List<NodeCollector> collectors = new ArrayList<>();
            List<DemoKubelet> kubelets = new ArrayList<>();
            try {
                if (logs != null) {
                    collectors.add(startCollector(work, spool, logs.toAbsolutePath(), nodeName, null));
                    say("Collector reading %s as node %s", logs.toAbsolutePath(), nodeName);
                } else {
                    for (int i = 0; i < nodes; i++) {
                        String name = String.format(Locale.ROOT, "ip-10-0-%d-%d.%s.compute.internal", 1 + i / 200, 10 + i % 200, region);
                        Path logRoot = work.resolve("nodes").resolve(name).resolve("var/log");
                        SampleNode node = new SampleNode(logRoot, name, i + 1);
                        generated.add(node);
                        DemoKubelet kubelet = new DemoKubelet(work.resolve("kubelet"), node::kubeletPodList);
                        kubelets.add(kubelet);
                        collectors.add(startCollector(work, spool, logRoot, name, kubelet));
                    }
                    say("Generating %d node(s) × %d lines/s for %s: pods orders (Docker json-file), frontend, coredns, aws-node, kube-proxy, fluentd (CRI), host messages/secure/dmesg",
                            nodes, rate, duration.toMillis() / 1000.0 + " s");
                }

                StartedJob job = flinkRest == null ? startJob(spool, target) : startOnCluster(spool, target);

                generate(generated, collectors, local);
                for (NodeCollector c : collectors) {
                    c.drainAndSeal();
                }
                say("Collectors drained and sealed their spools; waiting for the job to deliver everything…");
                job.awaitFinished();
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
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            DemoReport report = DemoReport.read(URI.create(target), region, cluster);
            report.print(System.out, generated);
            long lines = generated.stream().mapToLong(SampleNode::lines).sum();
            long bytes = generated.stream().mapToLong(SampleNode::bytes).sum();
            if (logs == null) {
                say("Generated %,d lines (%,d bytes) on %d node(s); pipeline done after %.1f s (%,.0f lines/s end to end incl. start-up)",
                        lines, bytes, nodes, seconds, lines / seconds);
            } else {
                say("Pipeline done after %.1f s", seconds);
            }
            if (local != null) {
                say("Inspect: %s (one JSON-lines file per stream), or run ./pipeline endpoint --data %s and point the AWS CLI at it: "
                        + "aws logs get-log-events --endpoint-url http://127.0.0.1:4566 --region %s --log-group-name /aws/containerinsights/%s/application --log-stream-name <stream>",
                        work.resolve("cloudwatch"), work.resolve("cloudwatch"), region, cluster);
            }
            return report.matches(generated) ? 0 : 1;
        }
    }

    /** One real collector per node; with a kubelet it polls its /pods like on EKS, without one it reads logs only. */
    private NodeCollector startCollector(Path work, Path spool, Path logRoot, String node, DemoKubelet kubelet) throws IOException {
        CollectorConfig.Builder config = CollectorConfig.builder()
                .logRoot(logRoot)
                .spoolDir(spool)
                .stateDir(work.resolve("state").resolve(node))
                .cluster(cluster)
                .node(node)
                .readFromHead(true)
                .hostLogs(HostLogsMode.FILES)
                .httpServer(false)
                .kubeletEnabled(kubelet != null)
                .nodeAttributes(Map.of("az", region + "a", "ec2_instance_id", "i-0" + SampleNode.sha256(node).substring(0, 16)));
        if (kubelet != null) {
            config.kubeletHost("127.0.0.1").kubeletPort(kubelet.port()).kubeletCaFile(kubelet.caFile())
                    .kubeletTokenFile(kubelet.tokenFile()).kubeletTlsVerify(true).kubeletPollInterval(Duration.ofSeconds(2));
        }
        NodeCollector collector = new NodeCollector(config.build());
        collector.start();
        return collector;
    }

    /** The job, wherever it runs. */
    private interface StartedJob {
        void awaitFinished() throws Exception;
    }

    private StartedJob startJob(Path spool, String target) throws Exception {
        JobCommand jobCommand = new JobCommand();
        new CommandLine(jobCommand).parseArgs(jobArgs(spool, target).toArray(String[]::new));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                jobCommand.flinkConfiguration());
        jobCommand.newJob().build(env);
        JobClient job = env.executeAsync("kubelogs-demo");
        say("Flink job %s running on an embedded MiniCluster (parallelism %d, checkpoints every 1s)", job.getJobID(),
                parallelism);
        return () -> job.getJobExecutionResult().get(10, TimeUnit.MINUTES);
    }

    /** The shaded jar, uploaded and run over the cluster's REST API as a user would. */
    private StartedJob startOnCluster(Path spool, String target) throws Exception {
        FlinkRest rest = new FlinkRest(URI.create("http://" + flinkRest));
        Path jar = BenchCommand.repoRoot().resolve("job/target/kubelogs-job.jar");
        ClusterJob job = ClusterJob.submit(rest, jar, jobArgs(spool, target), parallelism, Duration.ofMinutes(3));
        say("Flink job %s running on the cluster at %s (jar uploaded and run over REST; parallelism %d, checkpoints "
                + "every 1s)",
                job.id(), flinkRest, parallelism);
        return () -> job.awaitFinished(Duration.ofMinutes(10));
    }

    private List<String> jobArgs(Path spool, String target) {
        return List.of(
                "--spool", spool.toUri().toString(),
                "--cloudwatch-endpoint", target,
                "--region", region,
                "--until-sealed",
                // with --logs there is no kubelet, so no pod metadata will come: do not wait for it
                "--metadata-wait", logs == null ? "10s" : "0s",
                "--discovery-interval", "200ms",
                "--checkpoint-interval", "1s",
                "--checkpoint-dir", spool.resolveSibling("checkpoints").toString(),
                "--parallelism", Integer.toString(parallelism));
    }

    private void generate(List<SampleNode> generated, List<NodeCollector> collectors, LocalCloudWatchLogs local)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long nextReport = System.nanoTime() + 1_000_000_000L;
        int perTick = Math.max(1, rate / 10);
        long tick = System.nanoTime();
        while (!generated.isEmpty() && System.nanoTime() < end) {
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
                long read = collectors.stream().mapToLong(c -> c.stats().linesRead()).sum();
                say("  written %,10d lines | collected %,10d | delivered %s events", written, read,
                        local != null ? String.format("%,10d", local.eventCount()) : "(remote)");
            }
        }
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
