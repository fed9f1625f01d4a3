package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobCommand;
import dev.kubelogs.job.metrics.MetricsSetup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The FlinkDeployment, checked against the Flink Kubernetes operator's API. No typed model of the operator API
 * resolves from the project's registry, so the field names of its spec classes (flink-kubernetes-operator-api
 * {@code org.apache.flink.kubernetes.operator.api.spec}, release 1.15.0; flink-2x-reference.md §4.2) are written down
 * here and every field of the manifest must be one of them. Pod templates are real Pods and parse strictly.
 */
class FlinkDeploymentSpecTest {

    /** FlinkDeploymentSpec + AbstractFlinkSpec. */
    static final Set<String> FLINK_DEPLOYMENT_SPEC = Set.of(
            "job",
            "restartNonce",
            "flinkConfiguration", // AbstractFlinkSpec
            "image",
            "imagePullPolicy",
            "serviceAccount",
            "flinkVersion",
            "ingress",
            "podTemplate",
            "jobManager",
            "taskManager",
            "logConfiguration",
            "mode");

    static final Set<String> JOB_SPEC = Set.of(
            "jarURI",
            "parallelism",
            "entryClass",
            "args",
            "state",
            "savepointTriggerNonce",
            "initialSavepointPath",
            "initialStateReference",
            "checkpointTriggerNonce",
            "upgradeMode",
            "allowNonRestoredState",
            "savepointRedeployNonce");
    static final Set<String> JOB_MANAGER_SPEC = Set.of("resource", "replicas", "podTemplate");
    static final Set<String> TASK_MANAGER_SPEC = Set.of("resource", "replicas", "podTemplate");
    static final Set<String> RESOURCE = Set.of("cpu", "memory", "ephemeralStorage");
    /** FlinkVersion @release-1.15.0 (v1_13..v1_18 are deprecated; v2_3 needs operator >= 1.15). */
    static final Set<String> FLINK_VERSIONS = Set.of(
            "v1_13", "v1_14", "v1_15", "v1_16", "v1_17", "v1_18", "v1_19", "v1_20", "v2_0", "v2_1", "v2_2", "v2_3",
            "v2_4");

    static final Set<String> UPGRADE_MODES = Set.of("stateless", "last-state", "savepoint");
    static final Set<String> JOB_STATES = Set.of("running", "suspended");
    static final Set<String> DEPLOYMENT_MODES = Set.of("native", "standalone");

    private static JsonNode spec(Variant variant) {
        return Manifests.flinkDeployment(Manifests.load(variant)).tree().get("spec");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void isAGenericKubernetesResourceOfTheOperatorsApi(Variant variant) {
        ManifestDoc doc = Manifests.flinkDeployment(Manifests.load(variant));
        JsonNode fd = doc.tree();
        GenericKubernetesResource r = Manifests.generic(doc);
        assertThat(r.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(r.getKind()).isEqualTo("FlinkDeployment");
        assertThat(r.getMetadata().getNamespace()).isEqualTo("kubelogs");
        assertThat(r.getAdditionalProperties()).containsOnlyKeys("spec");
        assertThat(fd.propertyNames()).containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "spec");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyFieldIsAFieldOfTheOperatorSpecClasses(Variant variant) {
        JsonNode spec = spec(variant);
        assertThat(spec.propertyNames()).isSubsetOf(FLINK_DEPLOYMENT_SPEC);
        assertThat(spec.get("job").propertyNames()).isSubsetOf(JOB_SPEC);
        assertThat(spec.get("jobManager").propertyNames()).isSubsetOf(JOB_MANAGER_SPEC);
        assertThat(spec.get("taskManager").propertyNames()).isSubsetOf(TASK_MANAGER_SPEC);
        assertThat(spec.at("/jobManager/resource").propertyNames()).isSubsetOf(RESOURCE);
        assertThat(spec.at("/taskManager/resource").propertyNames()).isSubsetOf(RESOURCE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void applicationModeWithSavepointUpgradesOnFlink23(Variant variant) {
        JsonNode spec = spec(variant);
        assertThat(spec.get("flinkVersion").asString()).isIn(FLINK_VERSIONS).isEqualTo("v2_3");
        assertThat(spec.get("mode").asString()).isIn(DEPLOYMENT_MODES).isEqualTo("native");
        JsonNode job = spec.get("job");
        // application mode = a job section with the jar inside the image
        assertThat(job.get("jarURI").asString()).isEqualTo("local:///opt/flink/usrlib/kubelogs-job.jar");
        assertThat(job.get("entryClass").asString()).isEqualTo("dev.kubelogs.job.LogPipelineJob");
        assertThat(job.get("upgradeMode").asString()).isIn(UPGRADE_MODES).isEqualTo("savepoint");
        assertThat(job.get("state").asString()).isIn(JOB_STATES).isEqualTo("running");
        assertThat(job.get("allowNonRestoredState").isBoolean()).isTrue();
        assertThat(job.get("allowNonRestoredState").booleanValue()).isFalse();
        // one-off restore knobs are set by hand during a rollback, never committed
        assertThat(job.has("initialSavepointPath")).isFalse();
        assertThat(job.has("initialStateReference")).isFalse();
        assertThat(job.has("savepointRedeployNonce")).isFalse();
        assertThat(job.get("parallelism").isInt()).isTrue();
        int parallelism = job.get("parallelism").intValue();
        assertThat(parallelism).isPositive();
        Map<String, String> conf = flinkConfiguration(variant);
        assertThat(parallelism).isLessThanOrEqualTo(Integer.parseInt(conf.get("pipeline.max-parallelism")));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void savepointUpgradesHaveWhatTheOperatorRequires(Variant variant) {
        JsonNode spec = spec(variant);
        Map<String, String> conf = flinkConfiguration(variant);
        // DefaultValidator: upgradeMode savepoint and periodic savepoints need a savepoint directory; both spellings
        assertThat(conf.get("execution.checkpointing.savepoint-dir"))
                .startsWith("s3://")
                .isEqualTo(conf.get("state.savepoints.dir"));
        assertThat(conf.get("execution.checkpointing.dir"))
                .startsWith("s3://")
                .isEqualTo(conf.get("state.checkpoints.dir"));
        assertThat(conf).containsEntry("high-availability.type", "kubernetes");
        assertThat(conf.get("high-availability.storageDir")).startsWith("s3://");
        assertThat(conf)
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        assertThat(conf).containsEntry("pipeline.auto-generate-uids", "false");
        assertThat(conf).containsEntry("kubernetes.operator.job.upgrade.last-state-fallback.enabled", "true");
        assertThat(conf).containsKey("kubernetes.operator.periodic.savepoint.interval");
    }

    /**
     * A persistent failure ends the job FAILED after a bounded number of restarts, and the operator leaves it
     * FAILED (its restart-failed switch would turn the bound back into an endless loop that hides the failure).
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void persistentFailuresEndTheJobInsteadOfRestartingForever(Variant variant) {
        JsonNode spec = spec(variant);
        Map<String, String> conf = flinkConfiguration(variant);
        assertThat(conf).containsEntry("restart-strategy.type", "exponential-delay");
        assertThat(Integer.parseInt(conf.get("restart-strategy.exponential-delay.attempts-before-reset-backoff")))
                .isBetween(5, 30);
        assertThat(conf.getOrDefault("kubernetes.operator.job.restart.failed", "false"))
                .isEqualTo("false");
    }

    /** The CRD declares flinkConfiguration as map<string,string>: a bare YAML number or boolean is rejected by kubectl. */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void flinkConfigurationValuesAreStrings(Variant variant) {
        JsonNode spec = spec(variant);
        for (var e : spec.get("flinkConfiguration").properties()) {
            assertThat(e.getValue().isString())
                    .as("flinkConfiguration %s must be a quoted string", e.getKey())
                    .isTrue();
        }
        assertThat(spec.get("logConfiguration").propertyNames()).containsExactly("log4j-console.properties");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void resourcesAreFlinkMemorySizesAndCpuNumbers(Variant variant) {
        JsonNode spec = spec(variant);
        for (String role : List.of("jobManager", "taskManager")) {
            JsonNode res = spec.get(role).get("resource");
            assertThat(res.get("cpu").isNumber()).as("%s cpu", role).isTrue();
            assertThat(res.get("cpu").doubleValue()).isPositive();
            assertThat(res.get("memory").asString()).as("%s memory", role).matches("\\d+(m|g|mb|gb)");
        }
        assertThat(spec.at("/jobManager/replicas").intValue()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void podTemplatesAreStrictPods(Variant variant) {
        JsonNode spec = spec(variant);
        List<JsonNode> templates = new ArrayList<>();
        templates.add(spec.get("podTemplate"));
        if (spec.at("/jobManager/podTemplate").isObject()) {
            templates.add(spec.at("/jobManager/podTemplate"));
        }
        if (spec.at("/taskManager/podTemplate").isObject()) {
            templates.add(spec.at("/taskManager/podTemplate"));
        }
        for (JsonNode t : templates) {
            Pod pod = Manifests.strict(t, Pod.class);
            // the operator merges the template into its own container only under this exact name
            assertThat(pod.getSpec().getContainers())
                    .extracting(c -> c.getName())
                    .containsOnly("flink-main-container");
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        }
    }

    /**
     * The job's arguments, with sample values for the rendering variables, parse with the job's own command line and
     * pass its checks (every flag known, every value in range) over the manifest's flinkConfiguration, whose
     * {@code kubelogs.*} keys must be settings the job has.
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void jobArgumentsParseAndPassTheJobsOwnChecks(Variant variant, @TempDir Path podRoot) throws Exception {
        List<ManifestDoc> docs = Manifests.load(variant);
        JsonNode spec = spec(variant);
        // the files the pod template's ConfigMap volumes put in the pod, under podRoot: the metrics pipeline reads them
        // when the job is built
        PodFiles files = PodFiles.write(docs, podRoot, Repo.sampleValues());
        List<String> argv = new ArrayList<>();
        for (JsonNode a : spec.at("/job/args")) {
            argv.add(files.inPod(Repo.envsubst(a.asString(), Repo.sampleValues())));
        }
        // the job's own strict readers take the mounted agent files, and the cluster name reaches the log group
        MetricsSetup metrics = MetricsSetup.load(
                argv.get(argv.indexOf("--prometheus-config") + 1),
                argv.get(argv.indexOf("--cluster") + 1),
                name -> null);
        assertThat(metrics.prometheus().scrapeConfigs()).isNotEmpty();
        assertThat(metrics.logGroup()).isEqualTo("/aws/containerinsights/prod-eu/prometheus");
        assertThat(metrics.region()).isEqualTo(Repo.sampleValues().get("AWS_REGION"));
        JobCommand job = new JobCommand();
        new CommandLine(job).parseArgs(argv.toArray(new String[0]));
        Configuration cluster = Configuration.fromMap(flinkConfiguration(variant));
        job.flinkConfiguration();
        job.newJob(cluster);

        Set<String> settings = new TreeSet<>();
        JobCommand.FLAGS.values().forEach(o -> settings.add(o.key()));
        assertThat(cluster.keySet().stream()
                        .filter(k -> k.startsWith("kubelogs."))
                        .toList())
                .isSubsetOf(settings);
        // the job's main class is the one the FlinkDeployment names
        assertThat(Class.forName(spec.at("/job/entryClass").asString()).getMethod("main", String[].class))
                .isNotNull();
    }

    @Test
    void jobArgumentsAreTheJobsFlags() {
        List<ManifestDoc> docs = Manifests.load();
        Map<String, String> args = jobArgs();
        assertThat(args.keySet()).isSubsetOf(JobCommand.FLAGS.keySet()).contains("--spool", "--region");
        assertThat(args.get("--spool")).startsWith("s3://");
        assertThat(args.get("--dead-letter-group")).startsWith("/aws/containerinsights/${CLUSTER_NAME}/");
        // the job and the collector agree on where the spool is and which region everything lives in
        ConfigMap info = Manifests.one(docs, ConfigMap.class, "kubelogs-cluster-info");
        assertThat(args.get("--spool")).isEqualTo(info.getData().get("spool.s3.uri"));
        assertThat(args.get("--region")).isEqualTo(info.getData().get("logs.region"));
        // on EKS the SDK's regional endpoint is used; the override is for the local endpoint and tests only
        assertThat(args).doesNotContainKey("--cloudwatch-endpoint");
    }

    /**
     * The Kinesis variant's job reads the stream its collectors put into (kubelogs-cluster-info's
     * {@code spool.kinesis.stream}) in the cluster's region, keeps none of the spool's arguments (the job refuses
     * {@code --spool} beside KINESIS, and the discovery interval is the spool's listing), and keeps every other
     * argument as the base ships it but the multiline flush timeout (CrossReferenceTest).
     */
    @Test
    void theKinesisVariantsJobReadsItsCollectorsStreamAndKeepsTheBasesOtherArguments() {
        ConfigMap info = Manifests.one(Manifests.load(Variant.KINESIS), ConfigMap.class, "kubelogs-cluster-info");
        Map<String, String> args = jobArgs(Variant.KINESIS);
        assertThat(args.keySet())
                .isSubsetOf(JobCommand.FLAGS.keySet())
                .doesNotContain("--spool", "--discovery-interval", "--quiet-below", "--kinesis-endpoint");
        assertThat(args).containsEntry("--transport", "KINESIS");
        assertThat(args.get("--kinesis-stream")).isEqualTo(info.getData().get("spool.kinesis.stream"));
        assertThat(args.get("--kinesis-region"))
                .isEqualTo(args.get("--region"))
                .isEqualTo(info.getData().get("logs.region"));

        Map<String, String> others = new LinkedHashMap<>(args);
        List.of("--transport", "--kinesis-stream", "--kinesis-region", "--multiline-flush-timeout")
                .forEach(others::remove);
        Map<String, String> baseOthers = new LinkedHashMap<>(jobArgs());
        List.of("--spool", "--discovery-interval", "--quiet-below", "--multiline-flush-timeout")
                .forEach(baseOthers::remove);
        assertThat(others).isEqualTo(baseOthers);
    }

    static Map<String, String> flinkConfiguration() {
        return flinkConfiguration(Variant.SPOOL);
    }

    static Map<String, String> flinkConfiguration(Variant variant) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (var e : Manifests.flinkDeployment(Manifests.load(variant))
                .tree()
                .at("/spec/flinkConfiguration")
                .properties()) {
            conf.put(e.getKey(), e.getValue().asString());
        }
        return conf;
    }

    /** The job args as flag → value, failing on a flag without a value or a repeated flag. */
    static Map<String, String> jobArgs() {
        return jobArgs(Variant.SPOOL);
    }

    static Map<String, String> jobArgs(Variant variant) {
        JsonNode args =
                Manifests.flinkDeployment(Manifests.load(variant)).tree().at("/spec/job/args");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String flag = args.get(i).asString();
            assertThat(flag).as("argument %d", i).startsWith("--").doesNotContain("=");
            assertThat(i + 1).as("value of %s", flag).isLessThan(args.size());
            String value = args.get(i + 1).asString();
            assertThat(value).as("value of %s", flag).doesNotStartWith("--");
            assertThat(out.put(flag, value)).as("%s given twice", flag).isNull();
        }
        return out;
    }
}
