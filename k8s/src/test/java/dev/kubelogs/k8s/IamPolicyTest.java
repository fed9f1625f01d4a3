package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.MetricsSetup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The IAM policies are least privilege and cover exactly the places the manifests use: the collector's spool prefix,
 * the job's spool, checkpoint, savepoint and HA prefixes, and the five log groups the job writes.
 */
class IamPolicyTest {

    static final Path COLLECTOR = Repo.IAM.resolve("collector-policy.json");
    static final Path JOB = Repo.IAM.resolve("job-policy.json");
    static final String BUCKET_ARN = "arn:aws:s3:::${KUBELOGS_BUCKET}";
    static final String GROUP_ARN = "arn:aws:logs:${AWS_REGION}:${AWS_ACCOUNT_ID}:log-group:";
    static final String STREAM_ARN = "arn:aws:kinesis:${AWS_REGION}:${AWS_ACCOUNT_ID}:stream/kubelogs-${CLUSTER_NAME}";

    @Test
    void bothPoliciesAreValidJsonWithOnlyAllowStatements() {
        for (Path p : Repo.iamFiles()) {
            JsonNode doc = Manifests.LENIENT.readTree(Repo.read(p));
            assertThat(doc.get("Version").asString()).isEqualTo("2012-10-17");
            Set<String> sids = new TreeSet<>();
            for (JsonNode st : doc.get("Statement")) {
                assertThat(st.get("Effect").asString()).isEqualTo("Allow");
                assertThat(sids.add(st.get("Sid").asString()))
                        .as("unique Sid in %s", p.getFileName())
                        .isTrue();
                for (String a : strings(st.get("Action"))) {
                    assertThat(a)
                            .as("action in %s", p.getFileName())
                            .doesNotContain("*")
                            .matches("(s3|logs|kinesis):[A-Za-z]+");
                }
                for (String r : strings(st.get("Resource"))) {
                    assertThat(r)
                            .as("resource in %s", p.getFileName())
                            .isNotEqualTo("*")
                            .startsWith("arn:aws:");
                }
                assertThat(st.has("NotAction") || st.has("NotResource")).isFalse();
            }
            // the rendered document is still valid JSON and fully filled
            String rendered = Repo.envsubst(Repo.read(p), Repo.sampleValues());
            assertThat(Repo.tokensIn(rendered)).isEmpty();
            Manifests.LENIENT.readTree(rendered);
        }
    }

    @Test
    void collectorMayOnlyUploadToThisClustersSpool() {
        JsonNode policy = Manifests.LENIENT.readTree(Repo.read(COLLECTOR));
        ConfigMap info = Manifests.one(Manifests.load(), ConfigMap.class, "kubelogs-cluster-info");
        String spoolKeyPrefix = keyPrefix(info.getData().get("spool.s3.uri"));
        assertThat(actions(policy))
                .containsExactlyInAnyOrder("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListBucket", "s3:GetObject");
        String schedule = BUCKET_ARN + "/" + spoolKeyPrefix + "/discovery-schedule.json";
        assertThat(objectResources(policy))
                .containsExactlyInAnyOrder(BUCKET_ARN + "/" + spoolKeyPrefix + "/*", schedule);
        assertThat(listPrefixes(policy)).containsExactlyInAnyOrder(spoolKeyPrefix, spoolKeyPrefix + "/*");
        // the collector reads nothing back but the job's discovery schedule, and never deletes: the job owns cleanup
        assertThat(actions(policy)).doesNotContain("s3:DeleteObject");
        for (JsonNode st : policy.get("Statement")) {
            if (strings(st.get("Action")).contains("s3:GetObject")) {
                assertThat(strings(st.get("Action"))).containsExactly("s3:GetObject");
                assertThat(strings(st.get("Resource"))).containsExactly(schedule);
            }
        }
    }

    /** Over Kinesis the job has no spool, but its checkpoints, savepoints and HA metadata stay on S3. */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void jobCoversTheSpoolAndAllFlinkStateDirectories(Variant variant) {
        JsonNode policy = Manifests.LENIENT.readTree(Repo.read(JOB));
        Map<String, String> conf = FlinkDeploymentSpecTest.flinkConfiguration(variant);
        Map<String, String> args = FlinkDeploymentSpecTest.jobArgs(variant);
        List<String> objectResources = objectResources(policy);
        List<String> uris = new ArrayList<>(List.of(
                conf.get("execution.checkpointing.dir"),
                conf.get("state.checkpoints.dir"),
                conf.get("execution.checkpointing.savepoint-dir"),
                conf.get("state.savepoints.dir"),
                conf.get("high-availability.storageDir")));
        assertThat(args.containsKey("--spool")).isEqualTo(variant == Variant.SPOOL);
        if (args.containsKey("--spool")) {
            uris.add(args.get("--spool"));
        }
        for (String uri : uris) {
            String key = keyPrefix(uri);
            assertThat(objectResources)
                    .as("object access under %s", uri)
                    .anyMatch(r -> (key + "/").startsWith(r.substring(BUCKET_ARN.length() + 1, r.length() - 1)));
            assertThat(listPrefixes(policy))
                    .as("list under %s", uri)
                    .anyMatch(p -> p.endsWith("/*") && (key + "/").startsWith(p.substring(0, p.length() - 1)));
        }
        if (args.containsKey("--spool")) {
            String schedule = BUCKET_ARN + "/" + keyPrefix(args.get("--spool")) + "/discovery-schedule.json";
            assertThat(policy.get("Statement"))
                    .as("the job writes the collectors' discovery schedule")
                    .anyMatch(st -> strings(st.get("Action")).contains("s3:PutObject")
                            && strings(st.get("Resource")).contains(schedule));
        }
        // nothing outside this cluster's kubelogs prefix
        assertThat(objectResources).allMatch(r -> r.startsWith(BUCKET_ARN + "/kubelogs/${CLUSTER_NAME}/"));
        assertThat(listPrefixes(policy)).allMatch(p -> p.startsWith("kubelogs/${CLUSTER_NAME}/"));
    }

    /**
     * The groups are those the job writes: the three Container Insights log groups, its dead-letter group and the
     * metrics pipeline's group, as the job's own reader of the mounted agent files names it (log_group_name, else the
     * agent's default for cluster_name or --cluster).
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void jobWritesExactlyTheContainerInsightsGroupsItsDeadLetterGroupAndThePrometheusGroup(
            Variant variant, @TempDir Path podRoot) {
        JsonNode policy = Manifests.LENIENT.readTree(Repo.read(JOB));
        Map<String, String> args = FlinkDeploymentSpecTest.jobArgs(variant);
        Set<String> groups = new LinkedHashSet<>();
        for (String g : List.of("application", "host", "dataplane")) {
            groups.add("/aws/containerinsights/${CLUSTER_NAME}/" + g);
        }
        groups.add(args.get("--dead-letter-group"));
        // unrendered: the tokens stay, as in the policy
        PodFiles files = PodFiles.write(Manifests.load(variant), podRoot, Map.of());
        String prometheus = MetricsSetup.load(
                        files.inPod(args.get("--prometheus-config")), args.get("--cluster"), name -> null)
                .logGroup();
        assertThat(prometheus).isEqualTo("/aws/containerinsights/${CLUSTER_NAME}/prometheus");
        groups.add(prometheus);

        Set<String> logsActions = new TreeSet<>();
        Set<String> groupArns = new TreeSet<>();
        Set<String> streamArns = new TreeSet<>();
        for (JsonNode st : policy.get("Statement")) {
            List<String> acts = strings(st.get("Action"));
            if (acts.stream().noneMatch(a -> a.startsWith("logs:"))) {
                continue;
            }
            assertThat(acts).allMatch(a -> a.startsWith("logs:"));
            logsActions.addAll(acts);
            for (String r : strings(st.get("Resource"))) {
                assertThat(r).startsWith(GROUP_ARN);
                (r.contains(":log-stream:") ? streamArns : groupArns).add(r);
            }
        }
        assertThat(logsActions)
                .containsExactlyInAnyOrder(
                        "logs:CreateLogGroup",
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                        "logs:DescribeLogStreams",
                        "logs:GetLogEvents",
                        "logs:PutRetentionPolicy");
        Set<String> expectedGroupArns = new TreeSet<>();
        Set<String> expectedStreamArns = new TreeSet<>();
        for (String g : groups) {
            expectedGroupArns.add(GROUP_ARN + g);
            expectedGroupArns.add(GROUP_ARN + g + ":*");
            expectedStreamArns.add(GROUP_ARN + g + ":log-stream:*");
        }
        assertThat(groupArns).isEqualTo(expectedGroupArns);
        assertThat(streamArns).isEqualTo(expectedStreamArns);
    }

    /**
     * The Kinesis transport's two extra policies (attached only when it is used): the collector puts records
     * ({@code KinesisPublisher}), the job lists shards and reads them ({@code KinesisShardEnumerator},
     * {@code ShardRecordFetcher}); both on this cluster's stream only, and neither can create, delete or reshard it.
     */
    @Test
    void theKinesisPoliciesReachOnlyThisClustersStreamWithTheCallsOfEachSide() {
        JsonNode collector = Manifests.LENIENT.readTree(Repo.read(Repo.IAM.resolve("collector-kinesis-policy.json")));
        JsonNode job = Manifests.LENIENT.readTree(Repo.read(Repo.IAM.resolve("job-kinesis-policy.json")));

        assertThat(actions(collector)).containsExactly("kinesis:PutRecord");
        assertThat(actions(job))
                .containsExactlyInAnyOrder("kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords");
        for (JsonNode policy : List.of(collector, job)) {
            for (JsonNode st : policy.get("Statement")) {
                assertThat(strings(st.get("Resource"))).containsExactly(STREAM_ARN);
            }
        }
    }

    /** The stream the Kinesis variant's collectors put into and its job reads is the one the policies grant. */
    @Test
    void theKinesisVariantUsesTheStreamThePoliciesGrant() {
        List<ManifestDoc> docs = Manifests.load(Variant.KINESIS);
        Map<String, String> data =
                Manifests.one(docs, ConfigMap.class, "kubelogs-cluster-info").getData();
        Map<String, String> args = FlinkDeploymentSpecTest.jobArgs(Variant.KINESIS);
        String arn = "arn:aws:kinesis:" + data.get("logs.region") + ":${AWS_ACCOUNT_ID}:stream/";
        assertThat(arn + data.get("spool.kinesis.stream")).isEqualTo(STREAM_ARN);
        assertThat("arn:aws:kinesis:" + args.get("--kinesis-region") + ":${AWS_ACCOUNT_ID}:stream/"
                        + args.get("--kinesis-stream"))
                .isEqualTo(STREAM_ARN);
    }

    @Test
    void serviceAccountsNameTheRolesThePoliciesAreFor() {
        for (ServiceAccount sa : Manifests.all(Manifests.load(), ServiceAccount.class)) {
            String name = sa.getMetadata().getName();
            assertThat(sa.getMetadata().getAnnotations())
                    .containsEntry(
                            "eks.amazonaws.com/role-arn",
                            "arn:aws:iam::${AWS_ACCOUNT_ID}:role/" + name + "-${CLUSTER_NAME}");
            assertThat(Repo.IAM.resolve(name.replace("kubelogs-", "") + "-policy.json"))
                    .isRegularFile();
        }
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asString()));
        } else {
            out.add(n.asString());
        }
        return out;
    }

    private static Set<String> actions(JsonNode policy) {
        Set<String> out = new TreeSet<>();
        policy.get("Statement").forEach(st -> out.addAll(strings(st.get("Action"))));
        return out;
    }

    /** Object ARNs (bucket/key-pattern) of all s3 statements. */
    private static List<String> objectResources(JsonNode policy) {
        List<String> out = new ArrayList<>();
        for (JsonNode st : policy.get("Statement")) {
            for (String r : strings(st.get("Resource"))) {
                if (r.startsWith(BUCKET_ARN + "/")) {
                    assertThat(r)
                            .as("a prefix, or the one object the job and the collectors share")
                            .matches(".*/\\*|.*/spool/discovery-schedule\\.json");
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** s3:prefix values allowed for ListBucket; ListBucket must always be prefix-conditioned. */
    private static List<String> listPrefixes(JsonNode policy) {
        List<String> out = new ArrayList<>();
        for (JsonNode st : policy.get("Statement")) {
            if (strings(st.get("Action")).contains("s3:ListBucket")) {
                assertThat(strings(st.get("Resource"))).containsExactly(BUCKET_ARN);
                out.addAll(strings(st.at("/Condition/StringLike/s3:prefix")));
            }
        }
        assertThat(out).as("ListBucket without an s3:prefix condition").isNotEmpty();
        return out;
    }

    /** s3://${KUBELOGS_BUCKET}/a/b → a/b */
    private static String keyPrefix(String uri) {
        String start = "s3://${KUBELOGS_BUCKET}/";
        assertThat(uri).startsWith(start);
        return uri.substring(start.length()).replaceAll("/+$", "");
    }
}
