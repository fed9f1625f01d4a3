package dev.kubelogs.collector;

import dev.kubelogs.collector.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable configuration of a {@link NodeCollector}. Build it with {@link #builder()} (embedding, tests) or
 * {@link #fromEnvironment(Map, Path)} (the DaemonSet). See {@link Key} for every environment variable and its
 * config-file spelling.
 */
public final class CollectorConfig {

    /** Every setting: environment variable name, config-file key ({@code fluent-bit-cluster-info} spelling), meaning. */
    public enum Key {
        CLUSTER_NAME("cluster.name", "cluster name (required)"),
        HOST_NAME("host.name", "node name = spec.nodeName (required)"),
        AWS_REGION("logs.region", "AWS region (S3 spool)"),
        READ_FROM_HEAD("read.head", "On: files seen at the first start are read from their head (default Off)"),
        READ_FROM_TAIL("read.tail", "On: the journal is read from its tail at the first start (default On)"),
        HTTP_SERVER("http.server", "On: serve /metrics and /healthz (default On)"),
        HTTP_PORT("http.port", "port of the HTTP server (default 2020)"),
        LOG_ROOT("log.root", "the node's log directory (default /var/log)"),
        SPOOL_DIR("spool.dir", "spool root; segments go to <root>/<cluster>/<node>/ (default /var/kubelogs/spool)"),
        STATE_DIR("state.dir", "offsets and cursors (default /var/kubelogs/state)"),
        SPOOL_S3_URI("spool.s3.uri", "s3://bucket/prefix to upload closed segments to (optional)"),
        SPOOL_S3_ENDPOINT("spool.s3.endpoint", "S3-compatible endpoint URL (path-style; tests, MinIO); default: AWS"),
        SPOOL_MAX_BYTES("spool.max.bytes", "local spool size that pauses tailing (default 1G)"),
        SPOOL_RETENTION("spool.retention", "safety-net age after which local segments are deleted (default 24h)"),
        SEGMENT_MAX_BYTES("segment.max.bytes", "roll a segment at this size (default 4M)"),
        SEGMENT_MAX_AGE("segment.max.age", "roll a segment at this age (default 1s)"),
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
        KUBELET_DELETE_GRACE("kubelet.delete.grace", "a pod gone from /pods is announced as deleted after this grace (default 60s)"),
        KUBELET_TOKEN_FILE("kubelet.token.file", "bearer token file (default the service-account token)"),
        KUBELET_CA_FILE("kubelet.ca.file", "CA bundle for the kubelet's certificate (default the service-account ca.crt)"),
        KUBELET_TLS_VERIFY("kubelet.tls.verify", "On: verify the kubelet's certificate (default On)"),
        NODE_ATTRIBUTES("node.attributes", "extra node attributes for segment headers, k=v,k2=v2 (az, ec2_instance_id)");

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

    private final Path logRoot;
    private final Path spoolDir;
    private final Path stateDir;
    private final String cluster;
    private final String node;
    private final boolean readFromHead;
    private final boolean journalReadFromTail;
    private final long maxSegmentBytes;
    private final Duration maxSegmentAge;
    private final Duration pollInterval;
    private final int maxLineBytes;
    private final Map<String, String> nodeAttributes;
    private final List<String> includeGlobs;
    private final List<String> excludeGlobs;
    private final HostLogsMode hostLogs;
    private final List<String> hostFiles;
    private final Path journalDir;
    private final String journalctl;
    private final boolean httpServer;
    private final int httpPort;
    private final boolean kubeletEnabled;
    private final String kubeletHost;
    private final int kubeletPort;
    private final Duration kubeletPollInterval;
    private final Duration kubeletTimeout;
    private final Duration kubeletDeleteGrace;
    private final Path kubeletTokenFile;
    private final Path kubeletCaFile;
    private final boolean kubeletTlsVerify;
    private final long maxSpoolBytes;
    private final Duration spoolRetention;
    private final Duration rotateWait;
    private final String s3Uri;
    private final String s3Endpoint;
    private final String region;

    private CollectorConfig(Builder b) {
        this.logRoot = Objects.requireNonNull(b.logRoot, "logRoot");
        this.spoolDir = Objects.requireNonNull(b.spoolDir, "spoolDir");
        this.stateDir = Objects.requireNonNull(b.stateDir, "stateDir");
        this.cluster = requireName("cluster (CLUSTER_NAME)", b.cluster);
        this.node = requireName("node (HOST_NAME)", b.node);
        this.readFromHead = b.readFromHead;
        this.journalReadFromTail = b.journalReadFromTail;
        this.maxSegmentBytes = positive("maxSegmentBytes", b.maxSegmentBytes);
        this.maxSegmentAge = positive("maxSegmentAge", b.maxSegmentAge);
        this.pollInterval = positive("pollInterval", b.pollInterval);
        if (b.maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be >= 16: " + b.maxLineBytes);
        }
        this.maxLineBytes = b.maxLineBytes;
        this.nodeAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.nodeAttributes));
        this.includeGlobs = List.copyOf(b.includeGlobs);
        this.excludeGlobs = List.copyOf(b.excludeGlobs);
        this.hostLogs = Objects.requireNonNull(b.hostLogs, "hostLogs");
        this.hostFiles = List.copyOf(b.hostFiles);
        this.journalDir = b.journalDir;
        if (hostLogs == HostLogsMode.JOURNALD && journalDir == null) {
            throw new IllegalArgumentException("HOST_LOGS=journald needs a journal directory (JOURNAL_DIR)");
        }
        this.journalctl = b.journalctl;
        this.httpServer = b.httpServer;
        if (b.httpPort < 0 || b.httpPort > 65535) {
            throw new IllegalArgumentException("httpPort out of range: " + b.httpPort);
        }
        this.httpPort = b.httpPort;
        this.kubeletEnabled = b.kubeletEnabled;
        this.kubeletHost = b.kubeletHost;
        this.kubeletPort = b.kubeletPort;
        this.kubeletPollInterval = positive("kubeletPollInterval", b.kubeletPollInterval);
        this.kubeletTimeout = positive("kubeletTimeout", b.kubeletTimeout);
        this.kubeletDeleteGrace = java.util.Objects.requireNonNull(b.kubeletDeleteGrace, "kubeletDeleteGrace");
        if (kubeletDeleteGrace.isNegative()) {
            throw new IllegalArgumentException("kubeletDeleteGrace must not be negative: " + kubeletDeleteGrace);
        }
        this.kubeletTokenFile = b.kubeletTokenFile;
        this.kubeletCaFile = b.kubeletCaFile;
        this.kubeletTlsVerify = b.kubeletTlsVerify;
        this.maxSpoolBytes = positive("maxSpoolBytes", b.maxSpoolBytes);
        this.spoolRetention = positive("spoolRetention", b.spoolRetention);
        this.rotateWait = Objects.requireNonNull(b.rotateWait, "rotateWait");
        this.s3Uri = b.s3Uri;
        this.s3Endpoint = b.s3Endpoint;
        if (s3Uri != null) {
            dev.kubelogs.collector.spool.S3Uploader.Target.parse(s3Uri); // validates early
        }
        this.region = b.region;
    }

    private static String requireName(String what, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (v.contains("/") || v.equals(".") || v.equals("..")) {
            throw new IllegalArgumentException(what + " must not contain '/': " + v);
        }
        return v;
    }

    private static long positive(String what, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be > 0: " + v);
        }
        return v;
    }

    private static Duration positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration: " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.logRoot = logRoot; b.spoolDir = spoolDir; b.stateDir = stateDir; b.cluster = cluster; b.node = node;
        b.readFromHead = readFromHead; b.journalReadFromTail = journalReadFromTail; b.maxSegmentBytes = maxSegmentBytes;
        b.maxSegmentAge = maxSegmentAge; b.pollInterval = pollInterval; b.maxLineBytes = maxLineBytes;
        b.nodeAttributes = new LinkedHashMap<>(nodeAttributes); b.includeGlobs = new ArrayList<>(includeGlobs);
        b.excludeGlobs = new ArrayList<>(excludeGlobs); b.hostLogs = hostLogs; b.hostFiles = new ArrayList<>(hostFiles);
        b.journalDir = journalDir; b.journalctl = journalctl; b.httpServer = httpServer; b.httpPort = httpPort;
        b.kubeletEnabled = kubeletEnabled; b.kubeletHost = kubeletHost; b.kubeletPort = kubeletPort;
        b.kubeletPollInterval = kubeletPollInterval; b.kubeletTimeout = kubeletTimeout; b.kubeletDeleteGrace = kubeletDeleteGrace; b.kubeletTokenFile = kubeletTokenFile; b.kubeletCaFile = kubeletCaFile;
        b.kubeletTlsVerify = kubeletTlsVerify; b.maxSpoolBytes = maxSpoolBytes; b.spoolRetention = spoolRetention;
        b.rotateWait = rotateWait; b.s3Uri = s3Uri; b.s3Endpoint = s3Endpoint; b.region = region;
        return b;
    }

    /**
     * The DaemonSet configuration: defaults, overridden by the config file (if any; .properties, flat .yaml, or a
     * ConfigMap directory, keys in {@code fluent-bit-cluster-info} spelling), overridden by environment variables.
     * Empty environment values count as unset.
     */
    public static CollectorConfig fromEnvironment(Map<String, String> env, Path configFileOrNull) {
        Map<Key, String> values = new HashMap<>();
        if (configFileOrNull != null) {
            Map<String, String> file;
            try {
                file = Settings.readFile(configFileOrNull);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + configFileOrNull + ": " + e.getMessage(), e);
            }
            for (Key k : Key.values()) {
                String v = file.get(k.fileKey());
                if (v == null) {
                    v = file.get(k.name());
                }
                if (v != null && !v.isBlank()) {
                    values.put(k, v.trim());
                }
            }
        }
        for (Key k : Key.values()) {
            String v = env.get(k.name());
            if (v != null && !v.isBlank()) {
                values.put(k, v.trim());
            }
        }
        Builder b = builder()
                .logRoot(Path.of("/var/log"))
                .spoolDir(Path.of("/var/kubelogs/spool"))
                .stateDir(Path.of("/var/kubelogs/state"))
                .journalDir(Path.of("/var/log/journal"))
                .httpServer(true)
                .kubeletEnabled(true);
        applyValues(b, values);
        return b.build();
    }

    /** Applies settings by key to a builder (used by fromEnvironment and the command line). */
    static void applyValues(Builder b, Map<Key, String> values) {
        for (Map.Entry<Key, String> e : values.entrySet()) {
            String v = e.getValue();
            String name = e.getKey().name();
            switch (e.getKey()) {
                case CLUSTER_NAME: b.cluster(v); break;
                case HOST_NAME: b.node(v); break;
                case AWS_REGION: b.region(v); break;
                case READ_FROM_HEAD: b.readFromHead(Settings.onOff(name, v)); break;
                case READ_FROM_TAIL: b.journalReadFromTail(Settings.onOff(name, v)); break;
                case HTTP_SERVER: b.httpServer(Settings.onOff(name, v)); break;
                case HTTP_PORT: b.httpPort(parseInt(name, v)); break;
                case LOG_ROOT: b.logRoot(Path.of(v)); break;
                case SPOOL_DIR: b.spoolDir(Path.of(v)); break;
                case STATE_DIR: b.stateDir(Path.of(v)); break;
                case SPOOL_S3_URI: b.s3Uri(v); break;
                case SPOOL_S3_ENDPOINT: b.s3Endpoint(v); break;
                case SPOOL_MAX_BYTES: b.maxSpoolBytes(Settings.size(name, v)); break;
                case SPOOL_RETENTION: b.spoolRetention(Settings.duration(name, v)); break;
                case SEGMENT_MAX_BYTES: b.maxSegmentBytes(Settings.size(name, v)); break;
                case SEGMENT_MAX_AGE: b.maxSegmentAge(Settings.duration(name, v)); break;
                case POLL_INTERVAL: b.pollInterval(Settings.duration(name, v)); break;
                case MAX_LINE_BYTES: b.maxLineBytes(Math.toIntExact(Settings.size(name, v))); break;
                case ROTATE_WAIT: b.rotateWait(Settings.duration(name, v)); break;
                case INCLUDE_PATHS: b.includeGlobs(Settings.list(v)); break;
                case EXCLUDE_PATHS: b.excludeGlobs(Settings.list(v)); break;
                case HOST_LOGS: b.hostLogs(HostLogsMode.parse(v)); break;
                case JOURNAL_DIR: b.journalDir(Path.of(v)); break;
                case JOURNALCTL: b.journalctl(v); break;
                case USE_KUBELET: b.kubeletEnabled(Settings.onOff(name, v)); break;
                case KUBELET_HOST: b.kubeletHost(v); break;
                case KUBELET_PORT: b.kubeletPort(parseInt(name, v)); break;
                case KUBELET_POLL_INTERVAL: b.kubeletPollInterval(Settings.duration(name, v)); break;
                case KUBELET_TIMEOUT: b.kubeletTimeout(Settings.duration(name, v)); break;
                case KUBELET_DELETE_GRACE: b.kubeletDeleteGrace(Settings.duration(name, v)); break;
                case KUBELET_TOKEN_FILE: b.kubeletTokenFile(Path.of(v)); break;
                case KUBELET_CA_FILE: b.kubeletCaFile(Path.of(v)); break;
                case KUBELET_TLS_VERIFY: b.kubeletTlsVerify(Settings.onOff(name, v)); break;
                case NODE_ATTRIBUTES: b.nodeAttributes(Settings.keyValues(name, v)); break;
                default: throw new IllegalStateException("unhandled key " + e.getKey());
            }
        }
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + v + "'");
        }
    }

    public Path logRoot() { return logRoot; }
    public Path spoolDir() { return spoolDir; }
    public Path stateDir() { return stateDir; }
    public String cluster() { return cluster; }
    public String node() { return node; }
    public boolean readFromHead() { return readFromHead; }
    public boolean journalReadFromTail() { return journalReadFromTail; }
    public long maxSegmentBytes() { return maxSegmentBytes; }
    public Duration maxSegmentAge() { return maxSegmentAge; }
    public Duration pollInterval() { return pollInterval; }
    public int maxLineBytes() { return maxLineBytes; }
    public Map<String, String> nodeAttributes() { return nodeAttributes; }
    public List<String> includeGlobs() { return includeGlobs; }
    public List<String> excludeGlobs() { return excludeGlobs; }
    public HostLogsMode hostLogs() { return hostLogs; }
    public List<String> hostFiles() { return hostFiles; }
    public Path journalDir() { return journalDir; }
    public String journalctl() { return journalctl; }
    public boolean httpServer() { return httpServer; }
    public int httpPort() { return httpPort; }
    public boolean kubeletEnabled() { return kubeletEnabled; }
    public String kubeletHost() { return kubeletHost; }
    public int kubeletPort() { return kubeletPort; }
    public Duration kubeletPollInterval() { return kubeletPollInterval; }
    public Duration kubeletTimeout() { return kubeletTimeout; }
    public Duration kubeletDeleteGrace() { return kubeletDeleteGrace; }
    public Path kubeletTokenFile() { return kubeletTokenFile; }
    public Path kubeletCaFile() { return kubeletCaFile; }
    public boolean kubeletTlsVerify() { return kubeletTlsVerify; }
    public long maxSpoolBytes() { return maxSpoolBytes; }
    public Duration spoolRetention() { return spoolRetention; }
    public Duration rotateWait() { return rotateWait; }
    public String s3Uri() { return s3Uri; }
    public String s3Endpoint() { return s3Endpoint; }
    public String region() { return region; }

    @Override
    public String toString() {
        return "CollectorConfig{cluster=" + cluster + ", node=" + node + ", logRoot=" + logRoot + ", spoolDir=" + spoolDir
                + ", stateDir=" + stateDir + ", readFromHead=" + readFromHead + ", journalReadFromTail=" + journalReadFromTail
                + ", include=" + includeGlobs + ", exclude=" + excludeGlobs + ", hostLogs=" + hostLogs + ", hostFiles=" + hostFiles
                + ", journalDir=" + journalDir + ", maxSegmentBytes=" + maxSegmentBytes + ", maxSegmentAge=" + maxSegmentAge
                + ", pollInterval=" + pollInterval + ", maxLineBytes=" + maxLineBytes + ", maxSpoolBytes=" + maxSpoolBytes
                + ", spoolRetention=" + spoolRetention + ", rotateWait=" + rotateWait + ", http=" + (httpServer ? "On:" + httpPort : "Off")
                + ", kubelet=" + (kubeletEnabled ? kubeletHost + ":" + kubeletPort + " every " + kubeletPollInterval
                        + (kubeletTlsVerify ? "" : " (tls.verify Off)") : "Off")
                + ", s3=" + s3Uri + (s3Endpoint == null ? "" : " via " + s3Endpoint) + ", nodeAttributes=" + nodeAttributes + "}";
    }

    /** Mutable builder; defaults suit embedding (HTTP server, kubelet polling and the journal Off). */
    public static final class Builder {
        private Path logRoot = Path.of("/var/log");
        private Path spoolDir = Path.of("/var/kubelogs/spool");
        private Path stateDir = Path.of("/var/kubelogs/state");
        private String cluster;
        private String node;
        private boolean readFromHead = false;
        private boolean journalReadFromTail = true;
        private long maxSegmentBytes = 4L << 20;
        private Duration maxSegmentAge = Duration.ofSeconds(1);
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
        private String region;

        private Builder() {
        }

        public Builder logRoot(Path v) { this.logRoot = v; return this; }
        /** The spool ROOT; the collector writes under {@code <root>/<cluster>/<node>/}. */
        public Builder spoolDir(Path v) { this.spoolDir = v; return this; }
        public Builder stateDir(Path v) { this.stateDir = v; return this; }
        public Builder cluster(String v) { this.cluster = v; return this; }
        public Builder node(String v) { this.node = v; return this; }
        public Builder readFromHead(boolean v) { this.readFromHead = v; return this; }
        public Builder journalReadFromTail(boolean v) { this.journalReadFromTail = v; return this; }
        public Builder maxSegmentBytes(long v) { this.maxSegmentBytes = v; return this; }
        public Builder maxSegmentAge(Duration v) { this.maxSegmentAge = v; return this; }
        public Builder pollInterval(Duration v) { this.pollInterval = v; return this; }
        /** Default 1 MiB; longer lines are split into PARTIAL pieces of this size. */
        public Builder maxLineBytes(int v) { this.maxLineBytes = v; return this; }
        public Builder nodeAttributes(Map<String, String> v) { this.nodeAttributes = new LinkedHashMap<>(v); return this; }
        public Builder includeGlobs(List<String> v) { this.includeGlobs = new ArrayList<>(v); return this; }
        public Builder excludeGlobs(List<String> v) { this.excludeGlobs = new ArrayList<>(v); return this; }
        public Builder hostLogs(HostLogsMode v) { this.hostLogs = v; return this; }
        /** Host file names relative to the log root (default messages, dmesg, secure); used when hostLogs is FILES. */
        public Builder hostFiles(List<String> v) { this.hostFiles = new ArrayList<>(v); return this; }
        /** The journal read for the dataplane units (and host logs with JOURNALD); null reads none. */
        public Builder journalDir(Path v) { this.journalDir = v; return this; }
        public Builder journalctl(String v) { this.journalctl = v; return this; }
        public Builder httpServer(boolean v) { this.httpServer = v; return this; }
        /** 0 picks a free port (tests). */
        public Builder httpPort(int v) { this.httpPort = v; return this; }
        public Builder kubeletEnabled(boolean v) { this.kubeletEnabled = v; return this; }
        public Builder kubeletHost(String v) { this.kubeletHost = v; return this; }
        public Builder kubeletPort(int v) { this.kubeletPort = v; return this; }
        public Builder kubeletPollInterval(Duration v) { this.kubeletPollInterval = v; return this; }
        public Builder kubeletTimeout(Duration v) { this.kubeletTimeout = v; return this; }
        /** How long a pod must be absent from /pods before its delete record is spooled (its last lines come first). */
        public Builder kubeletDeleteGrace(Duration v) { this.kubeletDeleteGrace = v; return this; }
        public Builder kubeletTokenFile(Path v) { this.kubeletTokenFile = v; return this; }
        public Builder kubeletCaFile(Path v) { this.kubeletCaFile = v; return this; }
        public Builder kubeletTlsVerify(boolean v) { this.kubeletTlsVerify = v; return this; }
        public Builder maxSpoolBytes(long v) { this.maxSpoolBytes = v; return this; }
        public Builder spoolRetention(Duration v) { this.spoolRetention = v; return this; }
        public Builder rotateWait(Duration v) { this.rotateWait = v; return this; }
        /** {@code s3://bucket/prefix}: closed segments are uploaded to {@code <prefix>/<cluster>/<node>/<seq>.seg}. */
        public Builder s3Uri(String v) { this.s3Uri = v; return this; }
        public Builder s3Endpoint(String v) { this.s3Endpoint = v; return this; }
        public Builder region(String v) { this.region = v; return this; }

        public CollectorConfig build() {
            return new CollectorConfig(this);
        }
    }
}
