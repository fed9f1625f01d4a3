package dev.kubelogs.collector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code collector}: runs the node collector until SIGTERM/SIGINT, then closes the open segment durably and
 * commits offsets (or seals, with --seal-on-exit). Settings come from defaults, then the config file, then the
 * environment (see {@link CollectorConfig.Key}), then these options.
 */
@Command(
        name = "collector",
        mixinStandardHelpOptions = true,
        description = {
            "Tails the node's container and host logs (and optionally journald and the kubelet's pod list) "
                    + "into a spool of immutable segments for the kubelogs Flink job.",
            "Environment: CLUSTER_NAME, HOST_NAME, READ_FROM_HEAD, READ_FROM_TAIL, HTTP_SERVER, HTTP_PORT, LOG_ROOT, SPOOL_DIR, "
                    + "STATE_DIR, HOST_LOGS, JOURNAL_DIR, KUBELET_HOST, KUBELET_PORT, USE_KUBELET, ... (options override them)."
        })
public class CollectorCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            description =
                    "config file (.properties, flat .yaml, or a ConfigMap directory) with keys like cluster.name, read.head")
    Path configFile;

    @Option(names = "--cluster", description = "cluster name (CLUSTER_NAME)")
    String cluster;

    @Option(names = "--node", description = "node name = spec.nodeName (HOST_NAME)")
    String node;

    @Option(names = "--log-root", description = "the node's log directory (LOG_ROOT, default /var/log)")
    Path logRoot;

    @Option(
            names = "--docker-containers-dir",
            description = "Docker's container logs (DOCKER_CONTAINERS_DIR, " + "default /var/lib/docker/containers)")
    Path dockerContainersDir;

    @Option(names = "--spool-dir", description = "spool root (SPOOL_DIR)")
    Path spoolDir;

    @Option(names = "--state-dir", description = "state directory (STATE_DIR)")
    Path stateDir;

    @Option(
            names = "--read-from-head",
            arity = "0..1",
            fallbackValue = "true",
            converter = OnOff.class,
            description = "files present at the first start are read from the head (READ_FROM_HEAD)")
    Boolean readFromHead;

    @Option(
            names = "--journal-read-from-tail",
            arity = "0..1",
            fallbackValue = "true",
            converter = OnOff.class,
            description = "READ_FROM_TAIL")
    Boolean journalReadFromTail;

    @Option(names = "--max-segment-bytes", description = "roll segments at this size (SEGMENT_MAX_BYTES, default 4M)")
    String maxSegmentBytes;

    @Option(
            names = "--max-segment-age",
            description =
                    "roll segments at this age (SEGMENT_MAX_AGE, default 1s); while the job publishes a discovery "
                            + "schedule, at the roll point nearest this age instead")
    String maxSegmentAge;

    @Option(
            names = "--segment-roll-lead",
            description = "with the job's discovery schedule: roll this long before each of its aligned discoveries "
                    + "(SEGMENT_ROLL_LEAD, default 300ms)")
    String segmentRollLead;

    @Option(
            names = "--discovery-schedule-poll",
            description = "how often the job's discovery-schedule.json is read from the spool root; 0 = never, "
                    + "segments roll by age (DISCOVERY_SCHEDULE_POLL, default 30s)")
    String discoverySchedulePoll;

    @Option(names = "--poll-interval", description = "POLL_INTERVAL (default 250ms)")
    String pollInterval;

    @Option(names = "--max-line-bytes", description = "MAX_LINE_BYTES (default 1M)")
    String maxLineBytes;

    @Option(names = "--include", split = ",", description = "container globs relative to the log root (INCLUDE_PATHS)")
    List<String> include;

    @Option(names = "--exclude", split = ",", description = "container globs to skip (EXCLUDE_PATHS)")
    List<String> exclude;

    @Option(
            names = "--host-logs",
            description = "where host logs come from: files | journald | none (HOST_LOGS); "
                    + "the dataplane units always come from the journal")
    String hostLogs;

    @Option(names = "--journal-dir", description = "the journal, read for the dataplane units (JOURNAL_DIR)")
    Path journalDir;

    @Option(
            names = "--http-server",
            arity = "0..1",
            fallbackValue = "true",
            converter = OnOff.class,
            description = "HTTP_SERVER")
    Boolean httpServer;

    @Option(names = "--http-port", description = "HTTP_PORT (default 2020)")
    Integer httpPort;

    @Option(
            names = "--kubelet",
            arity = "0..1",
            fallbackValue = "true",
            converter = OnOff.class,
            description = "poll the kubelet /pods (USE_KUBELET)")
    Boolean kubelet;

    @Option(names = "--kubelet-host", description = "KUBELET_HOST")
    String kubeletHost;

    @Option(names = "--kubelet-port", description = "KUBELET_PORT")
    Integer kubeletPort;

    @Option(names = "--max-spool-bytes", description = "SPOOL_MAX_BYTES (default 1G)")
    String maxSpoolBytes;

    @Option(names = "--spool-retention", description = "SPOOL_RETENTION (default 24h)")
    String spoolRetention;

    @Option(names = "--node-attribute", description = "node attribute for segment headers, k=v (repeatable)")
    Map<String, String> nodeAttributes;

    @Option(
            names = "--seal-on-exit",
            description = "on SIGTERM/SIGINT drain and write the 'sealed' marker instead of a plain stop")
    boolean sealOnExit;

    public CollectorCommand() {}

    /** The configuration these options describe on top of {@code env} and the config file. */
    public CollectorConfig buildConfig(Map<String, String> env) {
        Map<String, String> merged = new java.util.HashMap<>(env);
        // options that are names of required settings may be missing from the environment: satisfy the builder first
        if (cluster != null) {
            merged.put("CLUSTER_NAME", cluster);
        }
        if (node != null) {
            merged.put("HOST_NAME", node);
        }
        CollectorConfig.Builder b = CollectorConfigReader.read(merged, configFile).toBuilder();
        if (logRoot != null) b.logRoot(logRoot);
        if (dockerContainersDir != null) b.dockerContainersDir(dockerContainersDir);
        if (spoolDir != null) b.spoolDir(spoolDir);
        if (stateDir != null) b.stateDir(stateDir);
        if (readFromHead != null) b.readFromHead(readFromHead);
        if (journalReadFromTail != null) b.journalReadFromTail(journalReadFromTail);
        if (maxSegmentBytes != null)
            b.maxSegmentBytes(dev.kubelogs.collector.config.Settings.size("--max-segment-bytes", maxSegmentBytes));
        if (maxSegmentAge != null)
            b.maxSegmentAge(dev.kubelogs.collector.config.Settings.duration("--max-segment-age", maxSegmentAge));
        if (segmentRollLead != null)
            b.segmentRollLead(dev.kubelogs.collector.config.Settings.duration("--segment-roll-lead", segmentRollLead));
        if (discoverySchedulePoll != null)
            b.discoverySchedulePoll(dev.kubelogs.collector.config.Settings.duration(
                    "--discovery-schedule-poll", discoverySchedulePoll));
        if (pollInterval != null)
            b.pollInterval(dev.kubelogs.collector.config.Settings.duration("--poll-interval", pollInterval));
        if (maxLineBytes != null)
            b.maxLineBytes(
                    Math.toIntExact(dev.kubelogs.collector.config.Settings.size("--max-line-bytes", maxLineBytes)));
        if (include != null) b.includeGlobs(include);
        if (exclude != null) b.excludeGlobs(exclude);
        if (hostLogs != null) b.hostLogs(HostLogsMode.parse(hostLogs));
        if (journalDir != null) b.journalDir(journalDir);
        if (httpServer != null) b.httpServer(httpServer);
        if (httpPort != null) b.httpPort(httpPort);
        if (kubelet != null) b.kubeletEnabled(kubelet);
        if (kubeletHost != null) b.kubeletHost(kubeletHost);
        if (kubeletPort != null) b.kubeletPort(kubeletPort);
        if (maxSpoolBytes != null)
            b.maxSpoolBytes(dev.kubelogs.collector.config.Settings.size("--max-spool-bytes", maxSpoolBytes));
        if (spoolRetention != null)
            b.spoolRetention(dev.kubelogs.collector.config.Settings.duration("--spool-retention", spoolRetention));
        if (nodeAttributes != null) {
            Map<String, String> attrs = new java.util.LinkedHashMap<>(
                    CollectorConfigReader.read(merged, configFile).nodeAttributes());
            attrs.putAll(nodeAttributes);
            b.nodeAttributes(attrs);
        }
        return b.build();
    }

    /** Switches on the command line take what the environment and the config file take: On/Off, true/false, ... */
    static final class OnOff implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            try {
                return dev.kubelogs.collector.config.Settings.onOff("value", value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not On or Off (nor true, false, yes, no, 1, 0)");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Logger log = LoggerFactory.getLogger(CollectorCommand.class);
        CollectorConfig config;
        try {
            config = buildConfig(System.getenv());
        } catch (RuntimeException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.err.println("collector: invalid configuration: " + e.getMessage());
            return 2;
        }
        NodeCollector collector = new NodeCollector(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    long t0 = System.nanoTime();
                    log.info(
                            "shutdown signal: {}",
                            sealOnExit ? "draining and sealing" : "closing the open segment and committing offsets");
                    try {
                        if (sealOnExit) {
                            collector.drainAndSeal();
                        } else {
                            collector.close();
                        }
                        log.info(
                                "shutdown complete in {} ms",
                                Duration.ofNanos(System.nanoTime() - t0).toMillis());
                    } catch (Exception e) {
                        log.error(
                                "shutdown did not complete cleanly; uncommitted lines are re-read on the next start",
                                e);
                    } finally {
                        stopped.countDown();
                        stopLog4j();
                    }
                },
                "kubelogs-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        collector.start();
        stopped.await();
        return 0;
    }

    /** Container image entry point. */
    public static void main(String[] args) {
        useImageLogging(System.getenv("LOG_LEVEL"));
        int code = args.length == 0 ? runWithoutOptions() : new CommandLine(new CollectorCommand()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * The DaemonSet starts the collector without arguments (the environment configures it): then no option can be
     * set, and picocli, whose model of this command is ~170 classes that the CDS archive cannot hold (Java 5 class
     * files), is not needed. Same as {@code execute()} with no arguments: {@link #call()}, an exception printed and
     * exit code 1.
     */
    static int runWithoutOptions() {
        try {
            return new CollectorCommand().call();
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    /**
     * One line per event on stdout at {@code LOG_LEVEL} (default info), for {@code kubectl logs}. The image's jar logs
     * through slf4j-simple: it has no log4j, whose start-up (~830 classes with its XML configuration) was most of the
     * collector's start-up CPU. On a classpath without slf4j-simple (tests, the launcher) log4j is configured with
     * {@code kubelogs-collector-log4j2.xml} as before. Settings given as system properties win.
     */
    static void useImageLogging(String level) {
        ClassLoader cl = CollectorCommand.class.getClassLoader();
        if (System.getProperty("slf4j.provider") == null
                && cl.getResource("org/slf4j/simple/SimpleServiceProvider.class") != null) {
            System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
            setIfAbsent("slf4j.internal.verbosity", "WARN"); // no "Attempting to load provider" line on every start
            String p = "org.slf4j.simpleLogger.";
            setIfAbsent(p + "logFile", "System.out");
            setIfAbsent(
                    p + "defaultLogLevel",
                    level == null || level.isBlank() ? "info" : level.trim().toLowerCase(java.util.Locale.ROOT));
            setIfAbsent(p + "showDateTime", "true");
            setIfAbsent(p + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss,SSS");
            setIfAbsent(p + "showShortLogName", "true");
        } else if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:kubelogs-collector-log4j2.xml");
            // the shutdown hook logs; keep log4j alive until it is done (its console appender flushes every event)
            System.setProperty("log4j2.shutdownHookEnabled", "false");
        }
    }

    /** Flushes and stops log4j where it is the backend (its own shutdown hook is off, see above); no-op in the image. */
    private static void stopLog4j() {
        try {
            Class.forName("org.apache.logging.log4j.LogManager")
                    .getMethod("shutdown")
                    .invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            // no log4j on this classpath
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
