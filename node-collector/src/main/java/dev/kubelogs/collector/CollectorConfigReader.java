package dev.kubelogs.collector;

import dev.kubelogs.collector.CollectorConfig.Key;
import dev.kubelogs.collector.config.Settings;
import dev.kubelogs.collector.config.UnknownKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link CollectorConfig} the way the DaemonSet gives it: defaults, then the config file, then the
 * environment, each {@link Key} parsed into its builder setter; a key or variable of ours that is not a {@link Key}
 * is an error naming it.
 */
public final class CollectorConfigReader {
    /**
     * Environment variables with these prefixes are the collector's: one that is not a {@link Key} is a misspelt
     * setting. Others (HOSTNAME, PATH, AWS_ROLE_ARN, ...) belong to the container and are not checked.
     */
    static final List<String> OWN_ENV_PREFIXES = List.of(
            "READ_FROM_",
            "SPOOL_",
            "SEGMENT_",
            "KUBELET_",
            "JOURNAL",
            "ROTATE_",
            "POLL_",
            "INCLUDE_",
            "EXCLUDE_",
            "DISCOVERY_");

    private CollectorConfigReader() {}

    /**
     * The DaemonSet configuration: defaults, overridden by the config file (if any; .properties, flat .yaml, or a
     * ConfigMap directory, keys in {@code fluent-bit-cluster-info} spelling), overridden by environment variables.
     * Empty environment values count as unset.
     */
    public static CollectorConfig read(Map<String, String> env, Path configFileOrNull) {
        Map<Key, String> values = new HashMap<>();
        if (configFileOrNull != null) {
            Map<String, String> file;
            try {
                file = Settings.readFile(configFileOrNull);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read config file " + configFileOrNull + ": " + e.getMessage(), e);
            }
            rejectUnknownFileKeys(file.keySet(), configFileOrNull);
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
        rejectUnknownEnvironment(env);
        for (Key k : Key.values()) {
            String v = env.get(k.name());
            if (v != null && !v.isBlank()) {
                values.put(k, v.trim());
            }
        }
        CollectorConfig.Builder b = CollectorConfig.builder()
                .logRoot(Path.of("/var/log"))
                .spoolDir(Path.of("/var/kubelogs/spool"))
                .stateDir(Path.of("/var/kubelogs/state"))
                .journalDir(Path.of("/var/log/journal"))
                .httpServer(true)
                .kubeletEnabled(true);
        applyValues(b, values);
        return b.build();
    }

    /** A config file may spell a key either way: {@code read.head} or {@code READ_FROM_HEAD}. */
    private static void rejectUnknownFileKeys(Set<String> keys, Path file) {
        List<String> known = new ArrayList<>();
        for (Key k : Key.values()) {
            known.add(k.fileKey());
            known.add(k.name());
        }
        UnknownKeys.reject(keys, known, "config file " + file);
    }

    private static void rejectUnknownEnvironment(Map<String, String> env) {
        List<String> ours = new ArrayList<>();
        for (String name : env.keySet()) {
            if (OWN_ENV_PREFIXES.stream().anyMatch(name::startsWith)) {
                ours.add(name);
            }
        }
        List<String> known = new ArrayList<>();
        for (Key k : Key.values()) {
            known.add(k.name());
        }
        UnknownKeys.reject(ours, known, "the environment");
    }

    /** Applies settings by key to a builder (used by read and the command line). */
    static void applyValues(CollectorConfig.Builder b, Map<Key, String> values) {
        for (Map.Entry<Key, String> e : values.entrySet()) {
            String v = e.getValue();
            String name = e.getKey().name();
            switch (e.getKey()) {
                case CLUSTER_NAME:
                    b.cluster(v);
                    break;
                case HOST_NAME:
                    b.node(v);
                    break;
                case AWS_REGION:
                    b.region(v);
                    break;
                case READ_FROM_HEAD:
                    b.readFromHead(Settings.onOff(name, v));
                    break;
                case READ_FROM_TAIL:
                    b.journalReadFromTail(Settings.onOff(name, v));
                    break;
                case HTTP_SERVER:
                    b.httpServer(Settings.onOff(name, v));
                    break;
                case HTTP_PORT:
                    b.httpPort(parseInt(name, v));
                    break;
                case LOG_ROOT:
                    b.logRoot(Path.of(v));
                    break;
                case DOCKER_CONTAINERS_DIR:
                    b.dockerContainersDir(Path.of(v));
                    break;
                case SPOOL_DIR:
                    b.spoolDir(Path.of(v));
                    break;
                case STATE_DIR:
                    b.stateDir(Path.of(v));
                    break;
                case SPOOL_S3_URI:
                    b.s3Uri(v);
                    break;
                case SPOOL_S3_ENDPOINT:
                    b.s3Endpoint(v);
                    break;
                case SPOOL_KINESIS_STREAM:
                    b.kinesisStream(v);
                    break;
                case SPOOL_KINESIS_ENDPOINT:
                    b.kinesisEndpoint(v);
                    break;
                case SPOOL_MAX_BYTES:
                    b.maxSpoolBytes(Settings.size(name, v));
                    break;
                case SPOOL_RETENTION:
                    b.spoolRetention(Settings.duration(name, v));
                    break;
                case SEGMENT_MAX_BYTES:
                    b.maxSegmentBytes(Settings.size(name, v));
                    break;
                case SEGMENT_MAX_AGE:
                    b.maxSegmentAge(Settings.duration(name, v));
                    break;
                case SEGMENT_ROLL_LEAD:
                    b.segmentRollLead(Settings.duration(name, v));
                    break;
                case DISCOVERY_SCHEDULE_POLL:
                    b.discoverySchedulePoll(Settings.duration(name, v));
                    break;
                case POLL_INTERVAL:
                    b.pollInterval(Settings.duration(name, v));
                    break;
                case MAX_LINE_BYTES:
                    b.maxLineBytes(Math.toIntExact(Settings.size(name, v)));
                    break;
                case ROTATE_WAIT:
                    b.rotateWait(Settings.duration(name, v));
                    break;
                case INCLUDE_PATHS:
                    b.includeGlobs(Settings.list(v));
                    break;
                case EXCLUDE_PATHS:
                    b.excludeGlobs(Settings.list(v));
                    break;
                case HOST_LOGS:
                    b.hostLogs(HostLogsMode.parse(v));
                    break;
                case JOURNAL_DIR:
                    b.journalDir(Path.of(v));
                    break;
                case JOURNALCTL:
                    b.journalctl(v);
                    break;
                case USE_KUBELET:
                    b.kubeletEnabled(Settings.onOff(name, v));
                    break;
                case KUBELET_HOST:
                    b.kubeletHost(v);
                    break;
                case KUBELET_PORT:
                    b.kubeletPort(parseInt(name, v));
                    break;
                case KUBELET_POLL_INTERVAL:
                    b.kubeletPollInterval(Settings.duration(name, v));
                    break;
                case KUBELET_TIMEOUT:
                    b.kubeletTimeout(Settings.duration(name, v));
                    break;
                case KUBELET_DELETE_GRACE:
                    b.kubeletDeleteGrace(Settings.duration(name, v));
                    break;
                case KUBELET_TOKEN_FILE:
                    b.kubeletTokenFile(Path.of(v));
                    break;
                case KUBELET_CA_FILE:
                    b.kubeletCaFile(Path.of(v));
                    break;
                case KUBELET_TLS_VERIFY:
                    b.kubeletTlsVerify(Settings.onOff(name, v));
                    break;
                case NODE_ATTRIBUTES:
                    b.nodeAttributes(Settings.keyValues(name, v));
                    break;
                default:
                    throw new IllegalStateException("unhandled key " + e.getKey());
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
}
