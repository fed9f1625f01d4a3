package dev.kubelogs.flinkconf;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads flink-conf/config.yaml with Flink 2.3's own loader ({@link GlobalConfiguration}) and reads the settings the job
 * and the operator rely on through the typed {@link ConfigOption}s, so a misspelt key reads back as the default and fails
 * here rather than silently in production.
 */
class FlinkConfigYamlTest {

    private static final Path MODULE_DIR = Path.of(System.getProperty("basedir", "."));
    private static final String STATE_PREFIX = "s3://${KUBELOGS_BUCKET}/kubelogs/${CLUSTER_NAME}/flink/";

    /** Keys that belong to option classes outside flink-core (plugins, state backend module), with where they live. */
    private static final Map<String, String> KEYS_OUTSIDE_FLINK_CORE = Map.of(
            "state.backend.rocksdb.localdir", "RocksDBOptions.LOCAL_DIRECTORIES (flink-statebackend-rocksdb)",
            "state.backend.rocksdb.options-factory", "RocksDBOptions.OPTIONS_FACTORY (flink-statebackend-rocksdb)",
            "metrics.reporter.prom.factory.class", "MetricOptions.REPORTER_FACTORY_CLASS, reporter 'prom'",
            "metrics.reporter.prom.port", "PrometheusReporter's port option, reporter 'prom'",
            "s3.endpoint", "flink-s3-fs-presto plugin (mirrored to presto.s3.endpoint)");

    /** Pekko's timer wheel tick, for Flink's RPC and metrics actor systems. */
    private static final String PEKKO_TICK = "-Dpekko.scheduler.tick-duration=500ms";
    /** The idle check of classic remoting's system-message acknowledgements, which Flink never sends. */
    private static final String PEKKO_ACK_CHECK = "-Dpekko.remote.classic.system-message-ack-piggyback-timeout=10s";
    /** The VM's idle wake-ups: no guaranteed safepoint every second, monitor deflation every 5 s (the collector's). */
    private static final String[] VM_IDLE_WAKEUPS = {
        "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0", "-XX:AsyncDeflationInterval=5000"
    };

    private static Configuration conf;
    private static Map<String, String> raw;

    @BeforeAll
    static void load() {
        assertThat(MODULE_DIR.resolve(GlobalConfiguration.FLINK_CONF_FILENAME)).isRegularFile();
        conf = GlobalConfiguration.loadConfiguration(MODULE_DIR.toString());
        raw = conf.toMap();
    }

    @Test
    void checkpointingIsExactlyOnceWithALatencyFriendlyInterval() {
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        Duration interval = conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        // the sink commits per checkpoint: the interval is the latency the pipeline adds to every line
        assertThat(interval).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isGreaterThan(interval);
        assertThat(conf.get(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS)).isEqualTo(1);
        assertThat(conf.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isPositive();
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void rocksDbWithIncrementalCheckpoints() {
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(raw.get("state.backend.rocksdb.localdir")).startsWith("/");
    }

    @Test
    void checkpointAndSavepointDirectoriesAreDurableUnderBothTheNewAndTheDeprecatedKeys() {
        String checkpoints = conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        String savepoints = conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY);
        assertThat(checkpoints).isEqualTo(STATE_PREFIX + "checkpoints");
        assertThat(savepoints).isEqualTo(STATE_PREFIX + "savepoints");

        // both spellings are literally present: operator 1.15 resolves the option with Flink 1.20's key set
        assertThat(raw)
                .containsEntry("execution.checkpointing.dir", checkpoints)
                .containsEntry("state.checkpoints.dir", checkpoints)
                .containsEntry("execution.checkpointing.savepoint-dir", savepoints)
                .containsEntry("state.savepoints.dir", savepoints);
        // ...and the old keys really are the deprecated aliases of the same 2.3 options, not two unrelated settings
        assertThat(deprecatedKeysOf(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).contains("state.checkpoints.dir");
        assertThat(deprecatedKeysOf(CheckpointingOptions.SAVEPOINT_DIRECTORY)).contains("state.savepoints.dir");

        // a restore must never take ownership of (and later delete) a rollback savepoint's files
        assertThat(conf.get(StateRecoveryOptions.RESTORE_MODE)).isEqualTo(RecoveryClaimMode.NO_CLAIM);
        // the operator sets the restore path itself; a fixed one here would pin every deployment to one snapshot
        assertThat(conf.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
    }

    @Test
    void exponentialDelayRestartStrategy() {
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        Duration initial = conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF);
        Duration max = conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);
        assertThat(initial).isEqualTo(Duration.ofSeconds(1));
        assertThat(max).isEqualTo(Duration.ofMinutes(1));
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER))
                .isEqualTo(2.0);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD))
                .isGreaterThan(max);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR))
                .isBetween(0.0, 1.0);
        // bounded: a persistent failure must end FAILED (visible) instead of restarting forever (looks alive), but
        // only after riding out an outage of the order of an hour (the sink retries each batch for minutes first)
        assertThat(conf.getOptional(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isPresent();
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isBetween(5, 30);
        long worstCaseBackoffMs = 0;
        double delay = initial.toMillis();
        for (int i = 0; i < conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS); i++) {
            worstCaseBackoffMs += (long) Math.min(delay, max.toMillis());
            delay *= conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER);
        }
        Duration resetThreshold =
                conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD);
        assertThat(Duration.ofMillis(worstCaseBackoffMs))
                .as("restart delays alone stay short of the reset threshold")
                .isLessThan(resetThreshold);
    }

    @Test
    void uidsAreMandatoryAndMaxParallelismIsFixed() {
        assertThat(conf.get(PipelineOptions.AUTO_GENERATE_UIDS)).isFalse();
        assertThat(conf.getOptional(PipelineOptions.MAX_PARALLELISM)).contains(128);
        assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
        assertThat(conf.get(TaskManagerOptions.RPC_PORT)).isEqualTo("6122");
        assertThat(conf.get(NettyShuffleEnvironmentOptions.DATA_PORT)).isEqualTo(6121);
    }

    @Test
    void prometheusReporterOnPort9249() {
        assertThat(raw)
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(raw).containsEntry("metrics.reporter.prom.port", "9249");
        // exactly one reporter: a second one on the same port would fail the TaskManagers at start
        assertThat(raw.keySet().stream()
                        .filter(k -> k.startsWith("metrics.reporter."))
                        .map(k -> k.split("\\.")[2]))
                .containsOnly("prom");
    }

    @Test
    void theJvmOptionsArePerRoleSoTheImagesOwnStay() {
        // env.java.opts.all would replace the image's Java 17 --add-opens, without which the DataStream runtime fails
        assertThat(raw).doesNotContainKey(CoreOptions.FLINK_JVM_OPTIONS.key());
        assertThat(conf.get(CoreOptions.FLINK_TM_JVM_OPTIONS).split(" "))
                .contains("-XX:+UseSerialGC", "-XX:-UsePerfData", PEKKO_TICK, PEKKO_ACK_CHECK)
                .containsSubsequence(VM_IDLE_WAKEUPS);
        assertThat(conf.get(CoreOptions.FLINK_JM_JVM_OPTIONS).split(" "))
                .contains(
                        "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", PEKKO_TICK, PEKKO_ACK_CHECK)
                .containsSubsequence(VM_IDLE_WAKEUPS);
    }

    @Test
    void everyPekkoSystemPropertyIsAKeyOfPekkosReferenceConf() throws IOException {
        Config reference = pekkoReference();
        assertThat(reference.hasPath("pekko.scheduler.tick-duration")).isTrue(); // the reader works
        for (String role :
                new String[] {CoreOptions.FLINK_TM_JVM_OPTIONS.key(), CoreOptions.FLINK_JM_JVM_OPTIONS.key()}) {
            for (String option : raw.get(role).split(" ")) {
                if (option.startsWith("-Dpekko.")) {
                    String key = option.substring(2, option.indexOf('='));
                    assertThat(reference.hasPath(key))
                            .as("%s in %s", option, role)
                            .isTrue();
                }
            }
        }
    }

    /**
     * The reference.conf inside the RPC system's nested jar (flink-rpc-akka.jar in flink-rpc-akka-loader), parsed as
     * Pekko parses it.
     */
    private static Config pekkoReference() throws IOException {
        try (var outer = FlinkConfigYamlTest.class.getClassLoader().getResourceAsStream("flink-rpc-akka.jar")) {
            assertThat(outer).as("flink-rpc-akka.jar on the test classpath").isNotNull();
            var jar = new JarInputStream(outer);
            for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                if (entry.getName().equals("reference.conf")) {
                    return ConfigFactory.parseString(new String(jar.readAllBytes(), StandardCharsets.UTF_8))
                            .resolve();
                }
            }
        }
        throw new AssertionError("no reference.conf in flink-rpc-akka.jar");
    }

    @Test
    void noPeriodicWatermarksForSourcesThatHaveNone() {
        assertThat(raw).containsKey(PipelineOptions.AUTO_WATERMARK_INTERVAL.key());
        assertThat(conf.get(PipelineOptions.AUTO_WATERMARK_INTERVAL)).isZero();
    }

    @Test
    void s3IsRegionalAndCarriesNoStaticCredentials() {
        assertThat(raw).containsEntry("s3.endpoint", "s3.${AWS_REGION}.amazonaws.com");
        // credentials come from IRSA; a key here would end up in a ConfigMap and in logs
        assertThat(raw.keySet())
                .noneMatch(k -> k.contains("access-key")
                        || k.contains("secret-key")
                        || k.contains("access.key")
                        || k.contains("secret.key"));
    }

    /** Every key is a real 2.3 option (primary key of a flink-core ConfigOption) or one of the documented plugin keys. */
    @Test
    void everyKeyIsAKnownFlinkOption() throws Exception {
        Map<String, ConfigOption<?>> known = flinkCoreOptionsByKey();
        Set<String> deprecatedOnly = new TreeSet<>(Set.of("state.checkpoints.dir", "state.savepoints.dir"));
        for (String key : raw.keySet()) {
            if (KEYS_OUTSIDE_FLINK_CORE.containsKey(key) || deprecatedOnly.contains(key)) {
                continue;
            }
            assertThat(known)
                    .as("'%s' is not the key of any ConfigOption in flink-core 2.3.0", key)
                    .containsKey(key);
        }
        assertThat(raw.keySet()).containsAll(KEYS_OUTSIDE_FLINK_CORE.keySet());
    }

    /** The only ${...} in the file are the deploy tokens that k8s/README.md's envsubst command fills. */
    @Test
    void onlyDocumentedPlaceholders() throws IOException {
        Matcher m = Pattern.compile("\\$\\{([^}]*)}").matcher(Files.readString(MODULE_DIR.resolve("config.yaml")));
        Set<String> tokens = new TreeSet<>();
        while (m.find()) {
            tokens.add(m.group(1));
        }
        assertThat(tokens).containsExactlyInAnyOrder("KUBELOGS_BUCKET", "CLUSTER_NAME", "AWS_REGION");
    }

    private static Set<String> deprecatedKeysOf(ConfigOption<?> option) {
        Set<String> keys = new TreeSet<>();
        for (FallbackKey k : option.fallbackKeys()) {
            if (k.isDeprecated()) {
                keys.add(k.getKey());
            }
        }
        return keys;
    }

    /** Primary keys of every public static ConfigOption in flink-core's org.apache.flink.configuration.*Options. */
    private static Map<String, ConfigOption<?>> flinkCoreOptionsByKey() throws IOException, IllegalAccessException {
        Path jar = Path.of(CheckpointingOptions.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath());
        Map<String, ConfigOption<?>> byKey = new HashMap<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(jf.entries())) {
                String name = e.getName();
                if (!name.startsWith("org/apache/flink/configuration/")
                        || !name.endsWith("Options.class")
                        || name.indexOf('/', "org/apache/flink/configuration/".length()) >= 0
                        || name.contains("$")) {
                    continue;
                }
                Class<?> c;
                try {
                    c = Class.forName(
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                } catch (ClassNotFoundException | LinkageError ex) {
                    continue;
                }
                for (Field f : c.getFields()) {
                    if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                        ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                        byKey.put(o.key(), o);
                    }
                }
            }
        }
        assertThat(byKey).as("option scan found nothing: jar layout changed?").hasSizeGreaterThan(100);
        return byKey;
    }
}
