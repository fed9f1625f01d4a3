package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration's sources (environment, config file in every spelling), precedence, defaults and unknown keys. */
class CollectorConfigReaderTest {
    @TempDir
    Path tmp;

    @Test
    void environmentDefaultsFollowContainerInsights() {
        CollectorConfig c = CollectorConfigReader.read(Map.of("CLUSTER_NAME", "prod", "HOST_NAME", "ip-1"), null);
        assertThat(c.cluster()).isEqualTo("prod");
        assertThat(c.node()).isEqualTo("ip-1");
        assertThat(c.tail().readFromHead()).isFalse();
        assertThat(c.journal().readFromTail()).isTrue();
        assertThat(c.http().enabled()).isTrue();
        assertThat(c.http().port()).isEqualTo(2020);
        assertThat(c.tail().logRoot()).isEqualTo(Path.of("/var/log"));
        assertThat(c.tail().dockerContainersDir()).isEqualTo(Path.of("/var/lib/docker/containers"));
        assertThat(c.spool().spoolDir()).isEqualTo(Path.of("/var/kubelogs/spool"));
        assertThat(c.spool().stateDir()).isEqualTo(Path.of("/var/kubelogs/state"));
        assertThat(c.kubelet().enabled()).isTrue();
        assertThat(c.kubelet().host()).isEqualTo("127.0.0.1");
        assertThat(c.kubelet().port()).isEqualTo(10250);
        assertThat(c.journal().dir()).isEqualTo(Path.of("/var/log/journal"));
        assertThat(c.hostLogs()).isEqualTo(HostLogsMode.FILES);
        assertThat(c.tail().includeGlobs()).containsExactly("containers/*.log");
        assertThat(c.tail().excludeGlobs()).isEmpty();
        assertThat(c.spool().maxSegmentBytes()).isEqualTo(4L << 20);
        assertThat(c.spool().maxSegmentAge()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.schedule().rollLead()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.schedule().pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.schedule().enabled()).isTrue();
        assertThat(c.tail().maxLineBytes()).isEqualTo(1 << 20);
    }

    @Test
    void theDiscoveryScheduleSettings() throws Exception {
        CollectorConfig c = CollectorConfigReader.read(
                Map.of(
                        "CLUSTER_NAME",
                        "c",
                        "HOST_NAME",
                        "n",
                        "SEGMENT_ROLL_LEAD",
                        "500ms",
                        "DISCOVERY_SCHEDULE_POLL",
                        "0"),
                null);
        assertThat(c.schedule().rollLead()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.schedule().enabled()).as("0 = never read").isFalse();

        Path props = tmp.resolve("cluster-info.properties");
        Files.writeString(props, "cluster.name=c\nsegment.roll.lead=1s\ndiscovery.schedule.poll=10s\n");
        CollectorConfig f = CollectorConfigReader.read(Map.of("HOST_NAME", "n"), props);
        assertThat(f.schedule().rollLead()).isEqualTo(Duration.ofSeconds(1));
        assertThat(f.schedule().pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(f.toBuilder().build().schedule()).isEqualTo(f.schedule());

        assertThatThrownBy(() -> CollectorConfigReader.read(
                        Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n", "SEGMENT_ROLL_LEAD", "-1s"), null))
                .hasMessageContaining("SEGMENT_ROLL_LEAD");
        assertThatThrownBy(() -> CollectorConfigReader.read(
                        Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n", "DISCOVERY_SCHEDULE_POLE", "5s"), null))
                .as("a misspelt DISCOVERY_ variable is ours")
                .hasMessageContaining("(did you mean 'DISCOVERY_SCHEDULE_POLL'?)");
    }

    @Test
    void environmentOverridesEverything() {
        Map<String, String> env = new HashMap<>();
        env.put("CLUSTER_NAME", "prod");
        env.put("HOST_NAME", "ip-1");
        env.put("READ_FROM_HEAD", "On");
        env.put("READ_FROM_TAIL", "Off");
        env.put("HTTP_SERVER", "Off");
        env.put("HTTP_PORT", "2021");
        env.put("LOG_ROOT", "/host/var/log");
        env.put("DOCKER_CONTAINERS_DIR", "/host/docker/containers");
        env.put("SPOOL_DIR", "/s");
        env.put("STATE_DIR", "/st");
        env.put("SPOOL_S3_URI", "s3://bucket/prefix");
        env.put("AWS_REGION", "us-west-2");
        env.put("KUBELET_HOST", "10.0.0.1");
        env.put("KUBELET_PORT", "10255");
        env.put("JOURNAL_DIR", "/run/log/journal");
        env.put("HOST_LOGS", "journald");
        env.put("SEGMENT_MAX_BYTES", "8M");
        env.put("SEGMENT_MAX_AGE", "500ms");
        env.put("MAX_LINE_BYTES", "256K");
        env.put("EXCLUDE_PATHS", "containers/fluentd*, containers/cloudwatch-agent*");
        env.put("NODE_ATTRIBUTES", "az=us-west-2a,ec2_instance_id=i-0abc");
        env.put("SPOOL_RETENTION", "6h");
        env.put("EMPTY_IS_IGNORED", "");
        env.put("POLL_INTERVAL", "");
        CollectorConfig c = CollectorConfigReader.read(env, null);
        assertThat(c.tail().readFromHead()).isTrue();
        assertThat(c.journal().readFromTail()).isFalse();
        assertThat(c.http().enabled()).isFalse();
        assertThat(c.http().port()).isEqualTo(2021);
        assertThat(c.tail().logRoot()).isEqualTo(Path.of("/host/var/log"));
        assertThat(c.tail().dockerContainersDir()).isEqualTo(Path.of("/host/docker/containers"));
        assertThat(c.s3().uri()).isEqualTo("s3://bucket/prefix");
        assertThat(c.s3().region()).isEqualTo("us-west-2");
        assertThat(c.kubelet().host()).isEqualTo("10.0.0.1");
        assertThat(c.kubelet().port()).isEqualTo(10255);
        assertThat(c.hostLogs()).isEqualTo(HostLogsMode.JOURNALD);
        assertThat(c.journal().dir()).isEqualTo(Path.of("/run/log/journal"));
        assertThat(c.spool().maxSegmentBytes()).isEqualTo(8L << 20);
        assertThat(c.spool().maxSegmentAge()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.tail().maxLineBytes()).isEqualTo(256 * 1024);
        assertThat(c.tail().excludeGlobs()).containsExactly("containers/fluentd*", "containers/cloudwatch-agent*");
        assertThat(c.nodeAttributes())
                .containsExactly(Map.entry("az", "us-west-2a"), Map.entry("ec2_instance_id", "i-0abc"));
        assertThat(c.spool().retention()).isEqualTo(Duration.ofHours(6));
        assertThat(c.tail().pollInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void clusterInfoFilesInEverySpelling() throws Exception {
        Path props = tmp.resolve("cluster-info.properties");
        Files.writeString(
                props,
                "cluster.name=prod\nlogs.region=eu-west-1\nread.head=On\nread.tail=Off\nhttp.server=Off\nhttp.port=\"2022\"\n");
        CollectorConfig p = CollectorConfigReader.read(Map.of("HOST_NAME", "n"), props);
        assertThat(p.cluster()).isEqualTo("prod");
        assertThat(p.s3().region()).isEqualTo("eu-west-1");
        assertThat(p.tail().readFromHead()).isTrue();
        assertThat(p.journal().readFromTail()).isFalse();
        assertThat(p.http().enabled()).isFalse();
        assertThat(p.http().port()).isEqualTo(2022);

        Path yaml = tmp.resolve("cluster-info.yaml");
        Files.writeString(
                yaml, "# fluent-bit-cluster-info\ncluster.name: prod\nhttp.port: \"2023\"\nread.head: \"On\"\n");
        CollectorConfig y = CollectorConfigReader.read(Map.of("HOST_NAME", "n", "HTTP_PORT", "2024"), yaml);
        assertThat(y.cluster()).isEqualTo("prod");
        assertThat(y.tail().readFromHead()).isTrue();
        assertThat(y.http().port()).as("the environment wins over the file").isEqualTo(2024);

        Path manifest = tmp.resolve("configmap.yml");
        Files.writeString(
                manifest,
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fluent-bit-cluster-info\n"
                        + "data:\n  cluster.name: demo\n  logs.region: us-east-1\n  read.tail: \"On\"\n");
        assertThat(CollectorConfigReader.read(Map.of("HOST_NAME", "n"), manifest)
                        .cluster())
                .isEqualTo("demo");

        Path dir = Files.createDirectories(tmp.resolve("configmap-volume"));
        Files.writeString(dir.resolve("cluster.name"), "vol\n");
        Files.writeString(dir.resolve("http.server"), "On");
        Files.createDirectories(dir.resolve("..data"));
        CollectorConfig v = CollectorConfigReader.read(Map.of("HOST_NAME", "n"), dir);
        assertThat(v.cluster()).isEqualTo("vol");
        assertThat(v.http().enabled()).isTrue();
    }

    @Test
    void badValuesFailWithAClearMessage() {
        assertThatThrownBy(() -> CollectorConfigReader.read(Map.of("HOST_NAME", "n"), null))
                .hasMessageContaining("CLUSTER_NAME");
        assertThatThrownBy(() -> CollectorConfigReader.read(
                        Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n", "READ_FROM_HEAD", "maybe"), null))
                .hasMessage("READ_FROM_HEAD must be On or Off, not 'maybe'");
        assertThatThrownBy(() -> CollectorConfigReader.read(
                        Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n", "SEGMENT_MAX_AGE", "soon"), null))
                .hasMessageContaining("SEGMENT_MAX_AGE must be a duration");
        assertThatThrownBy(() -> CollectorConfigReader.read(
                        Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n", "HOST_LOGS", "syslog"), null))
                .hasMessageContaining("HOST_LOGS must be files, journald or none");
        assertThatThrownBy(() -> CollectorConfigReader.read(Map.of("CLUSTER_NAME", "c/d", "HOST_NAME", "n"), null))
                .hasMessageContaining("must not contain '/'");
        assertThatThrownBy(() -> CollectorConfigReader.read(
                        Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n"), tmp.resolve("missing.properties")))
                .hasMessageContaining("cannot read config file");
    }

    @Test
    void theKinesisTransportExcludesS3AndNeedsSegmentsThatFitARecord() {
        Map<String, String> kinesis = Map.of(
                "CLUSTER_NAME", "c",
                "HOST_NAME", "n",
                "SPOOL_KINESIS_STREAM", "segments",
                "SPOOL_KINESIS_ENDPOINT", "http://127.0.0.1:4568",
                "SEGMENT_MAX_BYTES", "512K",
                "MAX_LINE_BYTES", "256K");
        CollectorConfig c = CollectorConfigReader.read(kinesis, null);
        assertThat(c.kinesis().stream()).isEqualTo("segments");
        assertThat(c.kinesis().endpoint()).isEqualTo("http://127.0.0.1:4568");
        assertThat(c.s3().enabled()).isFalse();
        assertThat(c.toBuilder().build().kinesis()).isEqualTo(c.kinesis());

        Map<String, String> both = new java.util.HashMap<>(kinesis);
        both.put("SPOOL_S3_URI", "s3://b/p");
        assertThatThrownBy(() -> CollectorConfigReader.read(both, null))
                .hasMessageContaining("SPOOL_S3_URI and SPOOL_KINESIS_STREAM exclude each other");
        // the defaults (4 MiB segments, 1 MiB lines) do not fit Kinesis's 1 MiB records
        assertThatThrownBy(() -> CollectorConfigReader.read(
                        Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n", "SPOOL_KINESIS_STREAM", "segments"), null))
                .hasMessageContaining("SEGMENT_MAX_BYTES")
                .hasMessageContaining("MAX_LINE_BYTES");
    }

    @Test
    void unknownFileKeysAreRejectedNamingTheKeyAndTheNearestKnownOne() throws Exception {
        Path props = tmp.resolve("cluster-info.properties");
        Files.writeString(props, "cluster.name=prod\nread.haed=On\n");
        assertThatThrownBy(() -> CollectorConfigReader.read(Map.of("HOST_NAME", "n"), props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown setting 'read.haed' (did you mean 'read.head'?) in config file " + props);

        Path yaml = tmp.resolve("cluster-info.yaml");
        Files.writeString(yaml, "cluster.name: prod\nhttp:\n  prot: 2020\ncolour: blue\n");
        assertThatThrownBy(() -> CollectorConfigReader.read(Map.of("HOST_NAME", "n"), yaml))
                .hasMessage(
                        "unknown settings 'http.prot' (did you mean 'http.port'?), 'colour' in config file " + yaml);

        Path dir = Files.createDirectories(tmp.resolve("configmap-volume"));
        Files.writeString(dir.resolve("cluster.name"), "vol");
        Files.writeString(dir.resolve("READ_FROM_HAED"), "On");
        Files.createDirectories(dir.resolve("..data"));
        assertThatThrownBy(() -> CollectorConfigReader.read(Map.of("HOST_NAME", "n"), dir))
                .hasMessageContaining("'READ_FROM_HAED' (did you mean 'READ_FROM_HEAD'?)");

        Files.writeString(props, "cluster.name=prod\nREAD_FROM_HEAD=On\n");
        assertThat(CollectorConfigReader.read(Map.of("HOST_NAME", "n"), props)
                        .tail()
                        .readFromHead())
                .as("the environment spelling of a key is a known key in a file too")
                .isTrue();
    }

    @Test
    void misspeltCollectorVariablesAreRejectedOtherVariablesAreNot() {
        Map<String, String> env = new HashMap<>(Map.of(
                "CLUSTER_NAME",
                "c",
                "HOST_NAME",
                "n",
                "HOSTNAME",
                "pod-x",
                "PATH",
                "/usr/bin",
                "AWS_ROLE_ARN",
                "arn:aws:iam::1:role/r",
                "LOG_LEVEL",
                "debug",
                "JAVA_TOOL_OPTIONS",
                ""));
        assertThat(CollectorConfigReader.read(env, null).cluster()).isEqualTo("c");
        env.put("READ_FROM_HAED", "On");
        assertThatThrownBy(() -> CollectorConfigReader.read(env, null))
                .hasMessage("unknown setting 'READ_FROM_HAED' (did you mean 'READ_FROM_HEAD'?) in the environment");
        env.remove("READ_FROM_HAED");
        env.put("KUBELET_TOKEN_FIEL", "/t");
        assertThatThrownBy(() -> CollectorConfigReader.read(env, null))
                .hasMessageContaining("'KUBELET_TOKEN_FIEL' (did you mean 'KUBELET_TOKEN_FILE'?)");
    }
}
