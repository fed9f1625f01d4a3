package dev.kubelogs.collector;

import dev.kubelogs.collector.journal.JournalSettings;
import dev.kubelogs.collector.kubelet.KubeletSettings;
import dev.kubelogs.collector.metrics.HttpSettings;
import dev.kubelogs.collector.schedule.ScheduleSettings;
import dev.kubelogs.collector.spool.KinesisSettings;
import dev.kubelogs.collector.spool.S3Settings;
import dev.kubelogs.collector.spool.SpoolSettings;
import dev.kubelogs.collector.tail.TailSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable configuration of a {@link NodeCollector}: the node's identity and one settings record per subsystem
 * (tail, spool, S3, journal, kubelet, HTTP). Build it with {@link #builder()} (embedding, tests) or
 * {@link CollectorConfigReader#read(Map, Path)} (the DaemonSet). See {@link Key} for every environment variable and its
 * config-file spelling; every key is parsed by the reader, in one place.
 */
public final class CollectorConfig {

    /** Every setting: environment variable name, config-file key ({@code fluent-bit-cluster-info} spelling), meaning. */
    public enum Key {
        CLUSTER_NAME("cluster.name", "cluster name (required)"),
        HOST_NAME("host.name", "node name = spec.nodeName (required)"),
        AWS_REGION("logs.region", "AWS region (S3 spool, Kinesis stream)"),
        READ_FROM_HEAD("read.head", "On: files seen at the first start are read from their head (default Off)"),
        READ_FROM_TAIL("read.tail", "On: the journal is read from its tail at the first start (default On)"),
        HTTP_SERVER("http.server", "On: serve /metrics and /healthz (default On)"),
        HTTP_PORT("http.port", "port of the HTTP server (default 2020)"),
        LOG_ROOT("log.root", "the node's log directory (default /var/log)"),
        DOCKER_CONTAINERS_DIR(
                "docker.containers.dir",
                "Docker's container directory; symlinked logs are read only under it or the log root "
                        + "(default /var/lib/docker/containers)"),
        SPOOL_DIR("spool.dir", "spool root; segments go to <root>/<cluster>/<node>/ (default /var/kubelogs/spool)"),
        STATE_DIR("state.dir", "offsets and cursors (default /var/kubelogs/state)"),
        SPOOL_S3_URI("spool.s3.uri", "s3://bucket/prefix to upload closed segments to (optional)"),
        SPOOL_S3_ENDPOINT("spool.s3.endpoint", "S3-compatible endpoint URL (path-style; tests, MinIO); default: AWS"),
        SPOOL_KINESIS_STREAM(
                "spool.kinesis.stream",
                "Kinesis data stream (name or ARN) to put closed segments into instead of S3 (optional)"),
        SPOOL_KINESIS_ENDPOINT("spool.kinesis.endpoint", "Kinesis-compatible endpoint URL (tests); default: AWS"),
        SPOOL_MAX_BYTES("spool.max.bytes", "local spool size that pauses tailing (default 1G)"),
        SPOOL_RETENTION("spool.retention", "safety-net age after which local segments are deleted (default 24h)"),
        SEGMENT_MAX_BYTES("segment.max.bytes", "roll a segment at this size (default 4M)"),
        SEGMENT_MAX_AGE(
                "segment.max.age",
                "roll a segment at this age (default 1s); while the job publishes a discovery schedule, at the roll "
                        + "point nearest this age instead (SEGMENT_ROLL_LEAD, DISCOVERY_SCHEDULE_POLL)"),
        SEGMENT_ROLL_LEAD(
                "segment.roll.lead",
                "with the job's discovery schedule: roll this long before each of its aligned discoveries "
                        + "(default 300ms)"),
        DISCOVERY_SCHEDULE_POLL(
                "discovery.schedule.poll",
                "how often the job's discovery-schedule.json is read from the spool root (S3 or SPOOL_DIR; not with "
                        + "Kinesis); 0 = never, segments roll by age (default 30s)"),
        POLL_INTERVAL("poll.interval", "file poll interval (default 250ms)"),
        MAX_LINE_BYTES("max.line.bytes", "longer lines are split with the PARTIAL flag (default 1M)"),
        ROTATE_WAIT("rotate.wait", "a rotated (renamed) file at EOF is let go after this idle time (default 10s)"),
        INCLUDE_PATHS("include.paths", "container globs relative to the log root (default containers/*.log)"),
        EXCLUDE_PATHS("exclude.paths", "container globs to skip (default none)"),
        HOST_LOGS("host.logs", "where host logs come from: files | journald | none (default files)"),
        JOURNAL_DIR("journal.dir", "journal directory, always read for the dataplane units (default /var/log/journal)"),
        JOURNALCTL("journalctl.path", "journalctl binary (default journalctl)"),
        USE_KUBELET("kubelet.enabled", "On: poll the kubelet's /pods for pod metadata (default On)"),
        KUBELET_HOST("kubelet.host", "kubelet host (default 127.0.0.1)"),
        KUBELET_PORT("kubelet.port", "kubelet port (default 10250)"),
        KUBELET_POLL_INTERVAL("kubelet.poll.interval", "kubelet /pods poll interval (default 5s)"),
        KUBELET_TIMEOUT("kubelet.timeout", "kubelet request timeout (default 10s)"),
        KUBELET_DELETE_GRACE(
                "kubelet.delete.grace", "a pod gone from /pods is announced as deleted after this grace (default 60s)"),
        KUBELET_TOKEN_FILE("kubelet.token.file", "bearer token file (default the service-account token)"),
        KUBELET_CA_FILE(
                "kubelet.ca.file", "CA bundle for the kubelet's certificate (default the service-account ca.crt)"),
        KUBELET_TLS_VERIFY("kubelet.tls.verify", "On: verify the kubelet's certificate (default On)"),
        NODE_ATTRIBUTES(
                "node.attributes", "extra node attributes for segment headers, k=v,k2=v2 (az, ec2_instance_id)");

        private final String fileKey;
        private final String help;

        Key(String fileKey, String help) {
            this.fileKey = fileKey;
            this.help = help;
        }

        public String fileKey() {
            return fileKey;
        }

        public String help() {
            return help;
        }
    }

    public static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    private final String cluster;
    private final String node;
    private final Map<String, String> nodeAttributes;
    private final HostLogsMode hostLogs;
    private final TailSettings tail;
    private final SpoolSettings spool;
    private final ScheduleSettings schedule;
    private final S3Settings s3;
    private final KinesisSettings kinesis;
    private final JournalSettings journal;
    private final KubeletSettings kubelet;
    private final HttpSettings http;

    private CollectorConfig(Builder b) {
        this.cluster = requireName("cluster (CLUSTER_NAME)", b.cluster);
        this.node = requireName("node (HOST_NAME)", b.node);
        this.nodeAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.nodeAttributes));
        this.hostLogs = Objects.requireNonNull(b.hostLogs, "hostLogs");
        this.tail = new TailSettings(
                b.logRoot,
                b.dockerContainersDir,
                b.includeGlobs,
                b.excludeGlobs,
                b.hostFiles,
                b.readFromHead,
                b.pollInterval,
                b.maxLineBytes,
                b.rotateWait);
        this.spool = new SpoolSettings(
                b.spoolDir, b.stateDir, b.maxSegmentBytes, b.maxSegmentAge, b.maxSpoolBytes, b.spoolRetention);
        this.schedule = new ScheduleSettings(b.discoverySchedulePoll, b.segmentRollLead);
        this.s3 = new S3Settings(b.s3Uri, b.s3Endpoint, b.region);
        this.kinesis = kinesisSettings(b);
        this.journal = new JournalSettings(
                b.journalDir, b.journalctl, b.journalReadFromTail, hostLogs == HostLogsMode.JOURNALD);
        this.kubelet = new KubeletSettings(
                b.kubeletEnabled,
                b.kubeletHost,
                b.kubeletPort,
                b.kubeletPollInterval,
                b.kubeletTimeout,
                b.kubeletDeleteGrace,
                b.kubeletTokenFile,
                b.kubeletCaFile,
                b.kubeletTlsVerify);
        this.http = new HttpSettings(b.httpServer, b.httpPort);
    }

    /**
     * The Kinesis target, checked against the rest: one transport at a time, and segments that fit a record. A segment
     * rolls after the line that reaches its size, so it can exceed it by a line; pod records and framing get a margin.
     */
    private static KinesisSettings kinesisSettings(Builder b) {
        KinesisSettings kinesis = new KinesisSettings(b.kinesisStream, b.kinesisEndpoint, b.region);
        if (!kinesis.enabled()) {
            return kinesis;
        }
        if (b.s3Uri != null) {
            throw new IllegalArgumentException(Key.SPOOL_S3_URI + " and " + Key.SPOOL_KINESIS_STREAM
                    + " exclude each other: choose one transport");
        }
        long largest = b.maxSegmentBytes + b.maxLineBytes + KINESIS_SEGMENT_MARGIN;
        if (largest > KinesisSettings.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(Key.SPOOL_KINESIS_STREAM + " needs segments that fit a Kinesis record ("
                    + KinesisSettings.MAX_RECORD_BYTES + " bytes): " + Key.SEGMENT_MAX_BYTES + " (" + b.maxSegmentBytes
                    + ") + " + Key.MAX_LINE_BYTES + " (" + b.maxLineBytes + ") + " + KINESIS_SEGMENT_MARGIN
                    + " must not exceed it");
        }
        return kinesis;
    }

    /** Room a Kinesis segment keeps beyond its size and one line: pod records, file records, framing. */
    static final long KINESIS_SEGMENT_MARGIN = 64L << 10;

    private static String requireName(String what, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (v.contains("/") || v.equals(".") || v.equals("..")) {
            throw new IllegalArgumentException(what + " must not contain '/': " + v);
        }
        return v;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.cluster = cluster;
        b.node = node;
        b.nodeAttributes = new LinkedHashMap<>(nodeAttributes);
        b.hostLogs = hostLogs;
        b.logRoot = tail.logRoot();
        b.dockerContainersDir = tail.dockerContainersDir();
        b.includeGlobs = new ArrayList<>(tail.includeGlobs());
        b.excludeGlobs = new ArrayList<>(tail.excludeGlobs());
        b.hostFiles = new ArrayList<>(tail.hostFiles());
        b.readFromHead = tail.readFromHead();
        b.pollInterval = tail.pollInterval();
        b.maxLineBytes = tail.maxLineBytes();
        b.rotateWait = tail.rotateWait();
        b.spoolDir = spool.spoolDir();
        b.stateDir = spool.stateDir();
        b.maxSegmentBytes = spool.maxSegmentBytes();
        b.maxSegmentAge = spool.maxSegmentAge();
        b.maxSpoolBytes = spool.maxSpoolBytes();
        b.spoolRetention = spool.retention();
        b.discoverySchedulePoll = schedule.pollInterval();
        b.segmentRollLead = schedule.rollLead();
        b.s3Uri = s3.uri();
        b.s3Endpoint = s3.endpoint();
        b.kinesisStream = kinesis.stream();
        b.kinesisEndpoint = kinesis.endpoint();
        b.region = s3.region();
        b.journalDir = journal.dir();
        b.journalctl = journal.journalctl();
        b.journalReadFromTail = journal.readFromTail();
        b.kubeletEnabled = kubelet.enabled();
        b.kubeletHost = kubelet.host();
        b.kubeletPort = kubelet.port();
        b.kubeletPollInterval = kubelet.pollInterval();
        b.kubeletTimeout = kubelet.timeout();
        b.kubeletDeleteGrace = kubelet.deleteGrace();
        b.kubeletTokenFile = kubelet.tokenFile();
        b.kubeletCaFile = kubelet.caFile();
        b.kubeletTlsVerify = kubelet.tlsVerify();
        b.httpServer = http.enabled();
        b.httpPort = http.port();
        return b;
    }

    public String cluster() {
        return cluster;
    }

    public String node() {
        return node;
    }

    /** Extra node attributes for segment headers (az, ec2_instance_id). */
    public Map<String, String> nodeAttributes() {
        return nodeAttributes;
    }

    /** Where host logs come from: files (tailed), the journal, or nowhere. */
    public HostLogsMode hostLogs() {
        return hostLogs;
    }

    public TailSettings tail() {
        return tail;
    }

    public SpoolSettings spool() {
        return spool;
    }

    /** Reading the job's discovery schedule, and rolling segments by it. */
    public ScheduleSettings schedule() {
        return schedule;
    }

    public S3Settings s3() {
        return s3;
    }

    public KinesisSettings kinesis() {
        return kinesis;
    }

    public JournalSettings journal() {
        return journal;
    }

    public KubeletSettings kubelet() {
        return kubelet;
    }

    public HttpSettings http() {
        return http;
    }

    @Override
    public String toString() {
        return "CollectorConfig{cluster=" + cluster + ", node=" + node + ", logRoot=" + tail.logRoot()
                + ", dockerContainersDir=" + tail.dockerContainersDir() + ", spoolDir=" + spool.spoolDir()
                + ", stateDir=" + spool.stateDir() + ", readFromHead=" + tail.readFromHead()
                + ", journalReadFromTail=" + journal.readFromTail() + ", include=" + tail.includeGlobs()
                + ", exclude=" + tail.excludeGlobs() + ", hostLogs=" + hostLogs + ", hostFiles=" + tail.hostFiles()
                + ", journalDir=" + journal.dir() + ", maxSegmentBytes=" + spool.maxSegmentBytes()
                + ", maxSegmentAge=" + spool.maxSegmentAge() + ", segmentRollLead=" + schedule.rollLead()
                + ", discoverySchedulePoll=" + schedule.pollInterval() + ", pollInterval=" + tail.pollInterval()
                + ", maxLineBytes=" + tail.maxLineBytes() + ", maxSpoolBytes=" + spool.maxSpoolBytes()
                + ", spoolRetention=" + spool.retention() + ", rotateWait=" + tail.rotateWait()
                + ", http=" + (http.enabled() ? "On:" + http.port() : "Off")
                + ", kubelet="
                + (kubelet.enabled()
                        ? kubelet.host() + ":" + kubelet.port() + " every " + kubelet.pollInterval()
                                + (kubelet.tlsVerify() ? "" : " (tls.verify Off)")
                        : "Off")
                + ", s3=" + s3.uri() + (s3.endpoint() == null ? "" : " via " + s3.endpoint())
                + ", nodeAttributes=" + nodeAttributes + "}";
    }

    /** Mutable builder; defaults suit embedding (HTTP server, kubelet polling and the journal Off). */
    public static final class Builder {
        private Path logRoot = Path.of("/var/log");
        private Path dockerContainersDir = Path.of("/var/lib/docker/containers");
        private Path spoolDir = Path.of("/var/kubelogs/spool");
        private Path stateDir = Path.of("/var/kubelogs/state");
        private String cluster;
        private String node;
        private boolean readFromHead = false;
        private boolean journalReadFromTail = true;
        private long maxSegmentBytes = 4L << 20;
        private Duration maxSegmentAge = Duration.ofSeconds(1);
        private Duration discoverySchedulePoll = ScheduleSettings.DEFAULT_POLL_INTERVAL;
        private Duration segmentRollLead = ScheduleSettings.DEFAULT_ROLL_LEAD;
        private Duration pollInterval = Duration.ofMillis(250);
        private int maxLineBytes = 1 << 20;
        private Map<String, String> nodeAttributes = new LinkedHashMap<>();
        private List<String> includeGlobs = new ArrayList<>(List.of("containers/*.log"));
        private List<String> excludeGlobs = new ArrayList<>();
        private HostLogsMode hostLogs = HostLogsMode.FILES;
        private List<String> hostFiles = new ArrayList<>(List.of("messages", "dmesg", "secure"));
        /** Null: no journal is read (embedding); the DaemonSet's default is /var/log/journal. */
        private Path journalDir;

        private String journalctl = "journalctl";
        private boolean httpServer = false;
        private int httpPort = 2020;
        private boolean kubeletEnabled = false;
        private String kubeletHost = "127.0.0.1";
        private int kubeletPort = 10250;
        private Duration kubeletPollInterval = Duration.ofSeconds(5);
        private Duration kubeletTimeout = Duration.ofSeconds(10);
        private Duration kubeletDeleteGrace = Duration.ofSeconds(60);
        private Path kubeletTokenFile = Path.of(SA_DIR, "token");
        private Path kubeletCaFile = Path.of(SA_DIR, "ca.crt");
        private boolean kubeletTlsVerify = true;
        private long maxSpoolBytes = 1L << 30;
        private Duration spoolRetention = Duration.ofHours(24);
        private Duration rotateWait = Duration.ofSeconds(10);
        private String s3Uri;
        private String s3Endpoint;
        private String kinesisStream;
        private String kinesisEndpoint;
        private String region;

        private Builder() {}

        public Builder logRoot(Path v) {
            this.logRoot = v;
            return this;
        }
        /** Besides the log root, the one directory symlinked log files may lie in (Docker's json-file logs). */
        public Builder dockerContainersDir(Path v) {
            this.dockerContainersDir = v;
            return this;
        }
        /** The spool ROOT; the collector writes under {@code <root>/<cluster>/<node>/}. */
        public Builder spoolDir(Path v) {
            this.spoolDir = v;
            return this;
        }

        public Builder stateDir(Path v) {
            this.stateDir = v;
            return this;
        }

        public Builder cluster(String v) {
            this.cluster = v;
            return this;
        }

        public Builder node(String v) {
            this.node = v;
            return this;
        }

        public Builder readFromHead(boolean v) {
            this.readFromHead = v;
            return this;
        }

        public Builder journalReadFromTail(boolean v) {
            this.journalReadFromTail = v;
            return this;
        }

        public Builder maxSegmentBytes(long v) {
            this.maxSegmentBytes = v;
            return this;
        }

        public Builder maxSegmentAge(Duration v) {
            this.maxSegmentAge = v;
            return this;
        }

        /** How often the job's discovery schedule is read; zero: never (segments roll by age only). */
        public Builder discoverySchedulePoll(Duration v) {
            this.discoverySchedulePoll = v;
            return this;
        }

        /** With the job's discovery schedule: how long before each of its aligned discoveries a segment rolls. */
        public Builder segmentRollLead(Duration v) {
            this.segmentRollLead = v;
            return this;
        }

        public Builder pollInterval(Duration v) {
            this.pollInterval = v;
            return this;
        }
        /** Default 1 MiB; longer lines are split into PARTIAL pieces of this size. */
        public Builder maxLineBytes(int v) {
            this.maxLineBytes = v;
            return this;
        }

        public Builder nodeAttributes(Map<String, String> v) {
            this.nodeAttributes = new LinkedHashMap<>(v);
            return this;
        }

        public Builder includeGlobs(List<String> v) {
            this.includeGlobs = new ArrayList<>(v);
            return this;
        }

        public Builder excludeGlobs(List<String> v) {
            this.excludeGlobs = new ArrayList<>(v);
            return this;
        }

        public Builder hostLogs(HostLogsMode v) {
            this.hostLogs = v;
            return this;
        }
        /** Host file names relative to the log root (default messages, dmesg, secure); used when hostLogs is FILES. */
        public Builder hostFiles(List<String> v) {
            this.hostFiles = new ArrayList<>(v);
            return this;
        }
        /** The journal read for the dataplane units (and host logs with JOURNALD); null reads none. */
        public Builder journalDir(Path v) {
            this.journalDir = v;
            return this;
        }

        public Builder journalctl(String v) {
            this.journalctl = v;
            return this;
        }

        public Builder httpServer(boolean v) {
            this.httpServer = v;
            return this;
        }
        /** 0 picks a free port (tests). */
        public Builder httpPort(int v) {
            this.httpPort = v;
            return this;
        }

        public Builder kubeletEnabled(boolean v) {
            this.kubeletEnabled = v;
            return this;
        }

        public Builder kubeletHost(String v) {
            this.kubeletHost = v;
            return this;
        }

        public Builder kubeletPort(int v) {
            this.kubeletPort = v;
            return this;
        }

        public Builder kubeletPollInterval(Duration v) {
            this.kubeletPollInterval = v;
            return this;
        }

        public Builder kubeletTimeout(Duration v) {
            this.kubeletTimeout = v;
            return this;
        }
        /** How long a pod must be absent from /pods before its delete record is spooled (its last lines come first). */
        public Builder kubeletDeleteGrace(Duration v) {
            this.kubeletDeleteGrace = v;
            return this;
        }

        public Builder kubeletTokenFile(Path v) {
            this.kubeletTokenFile = v;
            return this;
        }

        public Builder kubeletCaFile(Path v) {
            this.kubeletCaFile = v;
            return this;
        }

        public Builder kubeletTlsVerify(boolean v) {
            this.kubeletTlsVerify = v;
            return this;
        }

        public Builder maxSpoolBytes(long v) {
            this.maxSpoolBytes = v;
            return this;
        }

        public Builder spoolRetention(Duration v) {
            this.spoolRetention = v;
            return this;
        }

        public Builder rotateWait(Duration v) {
            this.rotateWait = v;
            return this;
        }
        /** {@code s3://bucket/prefix}: closed segments are uploaded to {@code <prefix>/<cluster>/<node>/<seq>.seg}. */
        public Builder s3Uri(String v) {
            this.s3Uri = v;
            return this;
        }

        public Builder s3Endpoint(String v) {
            this.s3Endpoint = v;
            return this;
        }

        /** A Kinesis data stream (name or ARN): closed segments are put into it, one record each. */
        public Builder kinesisStream(String v) {
            this.kinesisStream = v;
            return this;
        }

        public Builder kinesisEndpoint(String v) {
            this.kinesisEndpoint = v;
            return this;
        }

        public Builder region(String v) {
            this.region = v;
            return this;
        }

        public CollectorConfig build() {
            return new CollectorConfig(this);
        }
    }
}
