package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.source.kinesis.KinesisSourceConfigOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** The manifests agree with each other: service accounts, ConfigMap keys, ports, images, paths, grace periods. */
class CrossReferenceTest {

    static final String NS = "kubelogs";
    static final String CLUSTER_INFO = "kubelogs-cluster-info";
    static final String COLLECTOR_IMAGE = "${IMAGE_REGISTRY}/kubelogs-collector:${KUBELOGS_VERSION}";
    static final String JOB_IMAGE = "${IMAGE_REGISTRY}/kubelogs-job:${KUBELOGS_VERSION}";

    /** The environment the collector reads (the team's contract with node-collector/). */
    static final Set<String> COLLECTOR_ENV = Set.of(
            "CLUSTER_NAME",
            "HOST_NAME",
            "READ_FROM_HEAD",
            "READ_FROM_TAIL",
            "HTTP_SERVER",
            "HTTP_PORT",
            "LOG_ROOT",
            "SPOOL_DIR",
            "STATE_DIR",
            "SPOOL_S3_URI",
            "AWS_REGION",
            "KUBELET_HOST",
            "KUBELET_PORT",
            "JOURNAL_DIR",
            "HOST_LOGS",
            "SEGMENT_MAX_AGE",
            "SEGMENT_MAX_BYTES",
            "SEGMENT_ROLL_LEAD");
    /**
     * Over Kinesis: the stream instead of the spool's URI, no roll lead (no discovery schedule), and the longest line,
     * which a segment that must fit one record needs to bound.
     */
    static final Set<String> KINESIS_COLLECTOR_ENV = kinesisCollectorEnv();

    /** A Kinesis record's limit (PutRecord's data blob), and what the collector keeps free in it beside two sizes. */
    static final long KINESIS_RECORD_BYTES = 1L << 20;

    static final long KINESIS_SEGMENT_HEADROOM_BYTES = 64L << 10;

    /** The fluent-bit-cluster-info knobs, by the env var Container Insights maps each one to. */
    static final Map<String, String> FLUENT_BIT_KNOBS = Map.of(
            "cluster.name",
            "CLUSTER_NAME",
            "logs.region",
            "AWS_REGION",
            "read.head",
            "READ_FROM_HEAD",
            "read.tail",
            "READ_FROM_TAIL",
            "http.server",
            "HTTP_SERVER",
            "http.port",
            "HTTP_PORT");

    /** Close the open segment, upload it (4 MiB with the SDK's retries), commit offsets: the budget SIGTERM gets. */
    static final long COLLECTOR_DRAIN_SECONDS = 30;

    /** The objects of one variant these tests cross-check. */
    private record Deployed(
            List<ManifestDoc> docs, DaemonSet ds, PodSpec collectorPod, Container collector, ConfigMap info) {
        static Deployed of(Variant variant) {
            List<ManifestDoc> docs = Manifests.load(variant);
            DaemonSet ds = Manifests.one(docs, DaemonSet.class, "kubelogs-collector");
            PodSpec pod = ds.getSpec().getTemplate().getSpec();
            assertThat(pod.getContainers()).hasSize(1);
            return new Deployed(
                    docs, ds, pod, pod.getContainers().get(0), Manifests.one(docs, ConfigMap.class, CLUSTER_INFO));
        }

        Map<String, EnvVar> env() {
            return collector.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void serviceAccountsExistWhereTheyAreUsed(Variant variant) {
        Deployed d = Deployed.of(variant);
        Set<String> accounts = Manifests.all(d.docs(), ServiceAccount.class).stream()
                .map(sa ->
                        sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(accounts).contains(NS + "/" + d.collectorPod().getServiceAccountName());
        String jobAccount = Manifests.flinkDeployment(d.docs())
                .tree()
                .at("/spec/serviceAccount")
                .asString();
        assertThat(accounts).contains(NS + "/" + jobAccount);

        Set<String> roleNames = d.docs().stream()
                .filter(doc -> doc.kind().equals("Role") || doc.kind().equals("ClusterRole"))
                .map(doc -> doc.kind() + "/" + doc.name())
                .collect(Collectors.toSet());
        for (ClusterRoleBinding b : Manifests.all(d.docs(), ClusterRoleBinding.class)) {
            assertThat(roleNames)
                    .contains(b.getRoleRef().getKind() + "/" + b.getRoleRef().getName());
            assertSubjectsExist(b.getSubjects(), accounts);
        }
        for (RoleBinding b : Manifests.all(d.docs(), RoleBinding.class)) {
            assertThat(roleNames)
                    .contains(b.getRoleRef().getKind() + "/" + b.getRoleRef().getName());
            assertSubjectsExist(b.getSubjects(), accounts);
        }
        // the collector's ClusterRole is bound to the collector, the job's Role to the job
        assertThat(Manifests.one(d.docs(), ClusterRoleBinding.class, "kubelogs-collector")
                        .getSubjects())
                .extracting(Subject::getName)
                .containsExactly(d.collectorPod().getServiceAccountName());
        assertThat(Manifests.one(d.docs(), RoleBinding.class, "kubelogs-job").getSubjects())
                .extracting(Subject::getName)
                .containsExactly(jobAccount);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void configMapHasTheFluentBitKnobsAndEveryKeyIsConsumed(Variant variant) {
        Deployed d = Deployed.of(variant);
        Map<String, String> data = d.info().getData();
        assertThat(data).containsKeys(FLUENT_BIT_KNOBS.keySet().toArray(String[]::new));
        assertThat(data.get("read.head")).isIn("On", "Off");
        assertThat(data.get("read.tail")).isIn("On", "Off");
        // probes need the HTTP server
        assertThat(data.get("http.server")).isEqualTo("On");

        Set<String> referenced = new HashSet<>();
        for (EnvVar e : d.collector().getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo(CLUSTER_INFO);
                String key = e.getValueFrom().getConfigMapKeyRef().getKey();
                assertThat(data)
                        .as("ConfigMap key referenced by %s", e.getName())
                        .containsKey(key);
                referenced.add(key);
                if (FLUENT_BIT_KNOBS.containsKey(key)) {
                    assertThat(e.getName()).as("env var for %s", key).isEqualTo(FLUENT_BIT_KNOBS.get(key));
                }
            }
        }
        assertThat(referenced).as("ConfigMap keys nobody reads").containsExactlyInAnyOrderElementsOf(data.keySet());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void collectorEnvironmentIsTheCollectorsContract(Variant variant) {
        Deployed d = Deployed.of(variant);
        Map<String, EnvVar> env = d.env();
        assertThat(env.keySet())
                .containsExactlyInAnyOrderElementsOf(variant == Variant.SPOOL ? COLLECTOR_ENV : KINESIS_COLLECTOR_ENV);
        assertThat(env.get("HOST_NAME").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("spec.nodeName");
        // not hostNetwork, so the kubelet is reached on the node's IP
        assertThat(d.collectorPod().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(env.get("KUBELET_HOST").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("status.hostIP");
        assertThat(env.get("KUBELET_PORT").getValue()).isEqualTo("10250");
        assertThat(env.get("HOST_LOGS").getValue()).isIn("files", "journald");
    }

    /**
     * Fluent Bit flushes a pending multiline record 4 s after it read the last line. Here a node's lines reach the job
     * a segment at a time, the next segment up to the segment age plus the time to the next discovery later (the
     * discovery interval, or the quiet checkpoint interval while the spool is quiet: discovery then runs only before
     * its checkpoints); a flush timeout shorter than that gap emits a stack trace split by a segment roll as a head and
     * orphan frames (seen in the production-topology bench at the shipped settings with 4 s).
     */
    @Test
    void theMultilineFlushTimeoutOutlastsTheGapBetweenTwoSegmentsOfANode() {
        Map<String, EnvVar> env = Deployed.of(Variant.SPOOL).env();
        Map<String, String> args = FlinkDeploymentSpecTest.jobArgs();
        Configuration job = Configuration.fromMap(FlinkDeploymentSpecTest.flinkConfiguration(Variant.SPOOL));
        Duration segmentAge = TimeUtils.parseDuration(env.get("SEGMENT_MAX_AGE").getValue());
        Duration discovery = TimeUtils.parseDuration(args.get("--discovery-interval"));
        Duration flush = TimeUtils.parseDuration(args.get("--multiline-flush-timeout"));
        // rolling at the job's discovery schedule, the segment a roll opened (the trace's tail was being written) rolls
        // at the next roll point, one period later, the period being at most the checkpoint interval during backlog,
        // and is found the roll lead after it
        Duration period = job.get(CheckpointingOptions.CHECKPOINTING_INTERVAL_DURING_BACKLOG);
        Duration rollLead = TimeUtils.parseDuration(env.get("SEGMENT_ROLL_LEAD").getValue());
        // discovery runs every interval while the spool is busy, only before each quiet checkpoint while it is quiet
        Duration longestUntilDiscovery = discovery.compareTo(period) > 0 ? discovery : period;
        Duration byAge = segmentAge.plus(longestUntilDiscovery);
        Duration bySchedule = period.plus(rollLead);

        assertThat(flush).isGreaterThanOrEqualTo(byAge.plusSeconds(4));
        assertThat(flush).isGreaterThanOrEqualTo(bySchedule.plusSeconds(4));
    }

    /**
     * Discovery runs a lead before each checkpoint trigger, and the job publishes when for the collectors to roll just
     * before it, only while one of the two intervals is a whole multiple of the other: otherwise discovery keeps its own
     * timer, no schedule is published, and collectors roll by age, a line waiting for a roll and then for a checkpoint
     * (measured at a 3-s discovery with 10-s quiet checkpoints: p50 10.6 s instead of 6.5 s). Both checkpoint intervals,
     * busy and quiet, must therefore be multiples of the discovery interval.
     */
    @Test
    void bothCheckpointIntervalsAreMultiplesOfTheDiscoveryInterval() {
        Map<String, String> args = FlinkDeploymentSpecTest.jobArgs();
        Configuration job = Configuration.fromMap(FlinkDeploymentSpecTest.flinkConfiguration(Variant.SPOOL));
        long discovery =
                TimeUtils.parseDuration(args.get("--discovery-interval")).toMillis();
        long busy = job.get(CheckpointingOptions.CHECKPOINTING_INTERVAL).toMillis();
        long quiet = job.get(CheckpointingOptions.CHECKPOINTING_INTERVAL_DURING_BACKLOG)
                .toMillis();

        assertThat(busy % discovery)
                .as("checkpoint interval %d ms, discovery %d ms", busy, discovery)
                .isZero();
        assertThat(quiet % discovery)
                .as("quiet checkpoint interval %d ms, discovery %d ms", quiet, discovery)
                .isZero();
    }

    /**
     * Over Kinesis a node's next segment reaches the job the segment age plus at most one idle poll of its shard later
     * (a shard that returned nothing waits the poll interval before it asks again), so the Kinesis variant's flush
     * timeout is Fluent Bit's 4 s after that gap, rounded up to whole seconds: shorter splits traces at segment rolls,
     * longer holds the last record of a stream back for nothing. Neither setting can change without the other.
     */
    @Test
    void overKinesisTheMultilineFlushTimeoutIsTheGapBetweenTwoSegmentsOfANodePlusFourSeconds() {
        Map<String, EnvVar> env = Deployed.of(Variant.KINESIS).env();
        Map<String, String> args = FlinkDeploymentSpecTest.jobArgs(Variant.KINESIS);
        Configuration job = Configuration.fromMap(FlinkDeploymentSpecTest.flinkConfiguration(Variant.KINESIS));
        Duration segmentAge = TimeUtils.parseDuration(env.get("SEGMENT_MAX_AGE").getValue());
        Duration poll = job.get(KinesisSourceConfigOptions.IDLE_POLL_INTERVAL);
        Duration flush = TimeUtils.parseDuration(args.get("--multiline-flush-timeout"));

        long gapMillis = segmentAge.plus(poll).plusSeconds(4).toMillis();
        assertThat(flush).isEqualTo(Duration.ofSeconds((gapMillis + 999) / 1000));
    }

    /**
     * A segment is one record over Kinesis, and it rolls after the line that reaches its size: the collector refuses to
     * start unless the segment size, the longest line and its headroom fit a record (node-collector/README.md).
     */
    @Test
    void overKinesisASegmentFitsARecord() {
        Map<String, EnvVar> env = Deployed.of(Variant.KINESIS).env();
        long segment = MemorySize.parse(env.get("SEGMENT_MAX_BYTES").getValue()).getBytes();
        long line = MemorySize.parse(env.get("MAX_LINE_BYTES").getValue()).getBytes();

        assertThat(segment + line + KINESIS_SEGMENT_HEADROOM_BYTES).isLessThanOrEqualTo(KINESIS_RECORD_BYTES);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theReadmeNamesTheShippedHostAndJournalSources(Variant variant) {
        Deployed d = Deployed.of(variant);
        Map<String, EnvVar> env = d.env();
        assertThat(Repo.read(Repo.README))
                .contains("Shipped: `HOST_LOGS=" + env.get("HOST_LOGS").getValue() + "`, `JOURNAL_DIR="
                        + env.get("JOURNAL_DIR").getValue() + "`");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void collectorPathsAreMountedAndOnlyTheStateDirIsWritable(Variant variant) {
        Deployed d = Deployed.of(variant);
        Map<String, EnvVar> env = d.env();
        Map<String, Volume> volumes =
                d.collectorPod().getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        for (VolumeMount m : d.collector().getVolumeMounts()) {
            assertThat(volumes).as("volume of mount %s", m.getMountPath()).containsKey(m.getName());
            Volume v = volumes.get(m.getName());
            if (v.getHostPath() != null) {
                // hostPath mounted at the same path, so /var/log/containers symlinks resolve inside the container
                assertThat(m.getMountPath()).isEqualTo(v.getHostPath().getPath());
                boolean writable = m.getMountPath().equals("/var/kubelogs");
                assertThat(Boolean.TRUE.equals(m.getReadOnly()))
                        .as("readOnly of %s", m.getMountPath())
                        .isEqualTo(!writable);
            }
        }
        Set<String> mounted = d.collector().getVolumeMounts().stream()
                .map(VolumeMount::getMountPath)
                .collect(Collectors.toSet());
        assertThat(mounted)
                .contains(
                        "/var/log",
                        "/var/lib/docker/containers",
                        "/run/log/journal",
                        "/etc/machine-id",
                        "/var/kubelogs",
                        "/tmp");
        for (String var : List.of("LOG_ROOT", "SPOOL_DIR", "STATE_DIR", "JOURNAL_DIR")) {
            String path = env.get(var).getValue();
            assertThat(mounted.stream().anyMatch(mp -> path.equals(mp) || path.startsWith(mp + "/")))
                    .as("%s=%s is under a mounted volume", var, path)
                    .isTrue();
        }
        assertThat(env.get("SPOOL_DIR").getValue()).startsWith("/var/kubelogs/");
        assertThat(env.get("STATE_DIR").getValue()).startsWith("/var/kubelogs/");
        assertThat(volumes.get("kubelogs-data").getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        // the init container hands exactly these two directories to the runtime user
        Container init = d.collectorPod().getInitContainers().get(0);
        String script = String.join(" ", init.getCommand());
        long uid = d.collectorPod().getSecurityContext().getRunAsUser();
        assertThat(script)
                .contains(
                        "-o " + uid,
                        "-g " + d.collectorPod().getSecurityContext().getRunAsGroup(),
                        env.get("SPOOL_DIR").getValue(),
                        env.get("STATE_DIR").getValue());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void metricsPortAgreesEverywhereForTheCollector(Variant variant) {
        Deployed d = Deployed.of(variant);
        int port = Integer.parseInt(d.info().getData().get("http.port"));
        assertThat(d.collector().getPorts()).hasSize(1);
        ContainerPort cp = d.collector().getPorts().get(0);
        assertThat(cp.getContainerPort()).isEqualTo(port);
        for (Probe p : List.of(
                d.collector().getStartupProbe(),
                d.collector().getLivenessProbe(),
                d.collector().getReadinessProbe())) {
            assertThat(p.getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(resolve(p.getHttpGet().getPort(), d.collector())).isEqualTo(port);
        }
        Map<String, String> ann = d.ds().getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(ann)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", String.valueOf(port))
                .containsEntry("prometheus.io/path", "/metrics");
        NetworkPolicy np = Manifests.one(d.docs(), NetworkPolicy.class, "kubelogs-collector-ingress");
        assertThat(np.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(d.ds().getSpec().getSelector().getMatchLabels());
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(np.getSpec().getIngress()).hasSize(1);
        assertPrometheusOnly(np.getSpec().getIngress().get(0), port);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void metricsPortAgreesEverywhereForTheJob(Variant variant) {
        Deployed d = Deployed.of(variant);
        Map<String, String> conf = FlinkDeploymentSpecTest.flinkConfiguration(variant);
        int port = Integer.parseInt(conf.get("metrics.reporter.prom.port"));
        JsonNode template = Manifests.flinkDeployment(d.docs()).tree().at("/spec/podTemplate");
        Pod pod = Manifests.strict(template, Pod.class);
        Container main = pod.getSpec().getContainers().get(0);
        assertThat(main.getPorts()).extracting(ContainerPort::getContainerPort).contains(port);
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", String.valueOf(port))
                .containsEntry("prometheus.io/scrape", "true");

        NetworkPolicy np = Manifests.one(d.docs(), NetworkPolicy.class, "kubelogs-job-ingress");
        assertThat(pod.getMetadata().getLabels())
                .containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<NetworkPolicyIngressRule> rules = np.getSpec().getIngress();
        assertThat(rules).hasSize(3);
        assertPrometheusOnly(rules.get(0), port);
        // the job's own pods among themselves (JM <-> TM)
        assertThat(rules.get(1).getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector()).isNull();
            assertThat(peer.getPodSelector().getMatchLabels())
                    .isEqualTo(np.getSpec().getPodSelector().getMatchLabels());
        });
        // the operator: the REST port only (Flink's default rest.port, which the configuration does not change)
        assertThat(conf).doesNotContainKey("rest.port");
        assertThat(rules.get(2).getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8081));
        assertThat(rules.get(2).getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector()).isNull();
            assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "${FLINK_OPERATOR_NAMESPACE}");
        });
        // RocksDB's working directory is on the pod's emptyDir
        String localdir = conf.get("state.backend.rocksdb.localdir");
        assertThat(main.getVolumeMounts()).anySatisfy(m -> assertThat(localdir).startsWith(m.getMountPath() + "/"));
    }

    /**
     * The agent's two ConfigMaps are mounted, read-only and at the agent's paths, in every job pod: the top-level pod
     * template is merged into the JobManager (which reads both files when it builds the job) and the TaskManagers
     * (which read the scrape configs' TLS and token files). --prometheus-config names the directory of
     * cwagentconfig.json, whose prometheus_config_path names prometheus.yaml where the other ConfigMap puts it.
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void agentConfigMapsAreMountedWhereTheJobArgumentsPoint(Variant variant) {
        Deployed d = Deployed.of(variant);
        JsonNode spec = Manifests.flinkDeployment(d.docs()).tree().get("spec");
        assertThat(spec.at("/jobManager/podTemplate").isMissingNode()
                        && spec.at("/taskManager/podTemplate").isMissingNode())
                .as("no role-specific pod template: both roles get the shared one's volumes")
                .isTrue();
        Pod pod = Manifests.strict(spec.get("podTemplate"), Pod.class);
        Container main = pod.getSpec().getContainers().get(0);
        Map<String, String> mountByConfigMap = new HashMap<>();
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getConfigMap() != null) {
                VolumeMount m = main.getVolumeMounts().stream()
                        .filter(vm -> vm.getName().equals(v.getName()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("volume " + v.getName() + " not mounted"));
                assertThat(m.getReadOnly())
                        .as("readOnly of %s", m.getMountPath())
                        .isTrue();
                assertThat(m.getSubPath())
                        .as("whole ConfigMap, so updates reach the pod")
                        .isNull();
                mountByConfigMap.put(v.getConfigMap().getName(), m.getMountPath());
            }
        }
        assertThat(mountByConfigMap)
                .containsEntry(AgentConfigMaps.CWAGENT_CONFIG_MAP, "/etc/cwagentconfig")
                .containsEntry(AgentConfigMaps.PROMETHEUS_CONFIG_MAP, "/etc/prometheusconfig");

        Map<String, String> args = FlinkDeploymentSpecTest.jobArgs(variant);
        Path cwagentDir = Path.of(mountByConfigMap.get(AgentConfigMaps.CWAGENT_CONFIG_MAP));
        assertThat(Path.of(args.get("--prometheus-config")))
                .isIn(cwagentDir, cwagentDir.resolve(AgentConfigMaps.CWAGENT_KEY));
        AgentConfigMaps agent = AgentConfigMaps.load(d.docs());
        String prometheusPath =
                agent.prometheusSection().get("prometheus_config_path").asString();
        assertThat(cwagentDir.resolve(prometheusPath))
                .isEqualTo(Path.of(
                        mountByConfigMap.get(AgentConfigMaps.PROMETHEUS_CONFIG_MAP), AgentConfigMaps.PROMETHEUS_KEY));

        // one cluster name for everything: the argument, the file's (which wins), the logs' log groups
        assertThat(args.get("--cluster")).isEqualTo("${CLUSTER_NAME}");
        JsonNode fileCluster = agent.prometheusSection().get("cluster_name");
        assertThat(fileCluster == null ? args.get("--cluster") : fileCluster.asString())
                .isEqualTo(args.get("--cluster"));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void imagesAreTheTwoKubelogsImagesWithOneTag(Variant variant) {
        Deployed d = Deployed.of(variant);
        assertThat(d.collector().getImage()).isEqualTo(COLLECTOR_IMAGE);
        assertThat(d.collectorPod().getInitContainers())
                .extracting(Container::getImage)
                .containsOnly(COLLECTOR_IMAGE);
        assertThat(Manifests.flinkDeployment(d.docs()).tree().at("/spec/image").asString())
                .isEqualTo(JOB_IMAGE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void collectorRunsEverywhereAndShutsDownCleanly(Variant variant) {
        Deployed d = Deployed.of(variant);
        assertThat(d.collectorPod().getTolerations()).anySatisfy(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
            assertThat(t.getEffect()).isNull();
        });
        assertThat(d.collectorPod().getPriorityClassName()).isEqualTo("system-node-critical");
        long preStop = preStopSleepSeconds(d.collector());
        assertThat(d.collectorPod().getTerminationGracePeriodSeconds())
                .as("grace period covers the preStop sleep plus the collector's drain")
                .isGreaterThanOrEqualTo(preStop + COLLECTOR_DRAIN_SECONDS);
        // two collectors on one node would share the offsets store: never surge
        IntOrString surge =
                d.ds().getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge();
        assertThat(surge == null || (surge.getIntVal() != null && surge.getIntVal() == 0))
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void collectorIsSmallNonRootAndReadOnly(Variant variant) {
        Deployed d = Deployed.of(variant);
        Map<String, Quantity> req = d.collector().getResources().getRequests();
        Map<String, Quantity> lim = d.collector().getResources().getLimits();
        assertThat(Quantity.getAmountInBytes(req.get("cpu")).doubleValue()).isLessThanOrEqualTo(0.1);
        assertThat(Quantity.getAmountInBytes(lim.get("memory")))
                .isEqualByComparingTo(Quantity.getAmountInBytes(new Quantity("128Mi")));
        assertThat(Quantity.getAmountInBytes(req.get("memory")))
                .isLessThanOrEqualTo(Quantity.getAmountInBytes(lim.get("memory")));
        assertThat(d.collectorPod().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(d.collectorPod().getSecurityContext().getRunAsUser()).isNotZero();
        assertThat(d.collector().getSecurityContext().getReadOnlyRootFilesystem())
                .isTrue();
        assertThat(d.collector().getSecurityContext().getAllowPrivilegeEscalation())
                .isFalse();
        assertThat(d.collector().getSecurityContext().getCapabilities().getDrop())
                .containsExactly("ALL");
        assertThat(d.collector().getSecurityContext().getCapabilities().getAdd())
                .isNullOrEmpty();
        assertThat(d.collector().getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    }

    private static Set<String> kinesisCollectorEnv() {
        Set<String> env = new HashSet<>(COLLECTOR_ENV);
        env.remove("SPOOL_S3_URI");
        env.remove("SEGMENT_ROLL_LEAD"); // the job's discovery schedule is the S3 spool's
        env.add("SPOOL_KINESIS_STREAM");
        env.add("MAX_LINE_BYTES");
        return Set.copyOf(env);
    }

    private static void assertPrometheusOnly(NetworkPolicyIngressRule rule, int port) {
        assertThat(rule.getPorts()).singleElement().satisfies((NetworkPolicyPort p) -> {
            assertThat(p.getProtocol()).isEqualTo("TCP");
            assertThat(p.getPort().getIntVal()).isEqualTo(port);
        });
        assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
            // namespace AND pod selector in one peer: Prometheus pods in the monitoring namespace, not either
            assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "${PROMETHEUS_NAMESPACE}");
            assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "prometheus");
            assertThat(peer.getIpBlock()).isNull();
        });
    }

    private static void assertSubjectsExist(List<Subject> subjects, Set<String> accounts) {
        for (Subject s : subjects) {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(accounts).contains(s.getNamespace() + "/" + s.getName());
        }
    }

    private static int resolve(IntOrString port, Container c) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()))
                .getContainerPort();
    }

    private static long preStopSleepSeconds(Container c) {
        if (c.getLifecycle() == null || c.getLifecycle().getPreStop() == null) {
            return 0;
        }
        var preStop = c.getLifecycle().getPreStop();
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        throw new AssertionError("a preStop hook other than sleep cannot be budgeted here: " + preStop);
    }
}
