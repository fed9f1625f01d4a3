package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobCommand;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The commands in README.md are the ones that fit these files: placeholders, image builds, IAM, apply order. */
class ReadmeTest {

    private static final String README = Repo.read(Repo.README);

    @Test
    void theRenderCommandFillsExactlyTheTokensTheFilesUse() {
        Matcher m = Pattern.compile("envsubst '([^']*)'").matcher(README);
        assertThat(m.find())
                .as("an envsubst command with an explicit variable list")
                .isTrue();
        Set<String> listed = Repo.tokensIn(m.group(1));
        assertThat(m.find()).as("exactly one envsubst command").isFalse();

        Set<String> used = new TreeSet<>();
        for (Path f : Repo.templatedFiles()) {
            used.addAll(Repo.tokensIn(Repo.read(f)));
        }
        assertThat(listed).isEqualTo(used);
        assertThat(Repo.sampleValues().keySet()).containsExactlyInAnyOrderElementsOf(used);
        for (String token : used) {
            assertThat(README).as("placeholder table row for %s", token).contains("| `${" + token + "}` |");
        }
        // the render loop covers the manifests, the Kinesis variant's overlay and the IAM policies, into directories
        // that
        // keep the overlay's ../manifests pointing at the rendered base
        assertThat(README)
                .contains("for f in k8s/manifests/*.yaml k8s/kinesis/*.yaml k8s/iam/*.json; do")
                .contains("mkdir -p k8s/rendered/manifests k8s/rendered/kinesis k8s/rendered/iam");
    }

    @Test
    void buildCommandsTagTheImagesTheManifestsUse() {
        Map<String, String> builds = new LinkedHashMap<>();
        Matcher m = Pattern.compile("docker build -f (docker/[a-z]+\\.Dockerfile) -t \"([^\"]+)\" \\.")
                .matcher(README);
        while (m.find()) {
            builds.put(m.group(1), m.group(2));
        }
        assertThat(builds)
                .containsEntry("docker/job.Dockerfile", CrossReferenceTest.JOB_IMAGE)
                .containsEntry("docker/collector.Dockerfile", CrossReferenceTest.COLLECTOR_IMAGE);
        builds.keySet().forEach(f -> assertThat(Repo.ROOT.resolve(f)).isRegularFile());
        // the Maven step builds both jars the Dockerfiles copy
        assertThat(README).contains("mvn -B -pl job,node-collector -am package");
        for (String image : builds.values()) {
            assertThat(README).contains("docker push \"" + image + "\"");
        }
    }

    @Test
    void eksctlCommandsCreateTheRolesTheServiceAccountsName() {
        Map<String, ServiceAccount> accounts = new LinkedHashMap<>();
        Manifests.all(Manifests.load(), ServiceAccount.class)
                .forEach(sa -> accounts.put(sa.getMetadata().getName(), sa));

        Map<String, String> policyFiles = new LinkedHashMap<>();
        Matcher cp = Pattern.compile(
                        "aws iam create-policy --policy-name \"([^\"]+)\" --policy-document file://k8s/rendered/iam/([a-z-]+\\.json)")
                .matcher(README);
        while (cp.find()) {
            policyFiles.put(cp.group(1), cp.group(2));
        }

        List<String> commands = eksctlCommands();
        assertThat(commands).hasSize(accounts.size());
        for (String cmd : commands) {
            String name = flag(cmd, "--name");
            assertThat(accounts).containsKey(name);
            assertThat(flag(cmd, "--namespace"))
                    .isEqualTo(accounts.get(name).getMetadata().getNamespace());
            String roleName = unquote(flag(cmd, "--role-name"));
            assertThat(accounts.get(name).getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"))
                    .isEqualTo("arn:aws:iam::${AWS_ACCOUNT_ID}:role/" + roleName);
            assertThat(cmd).contains("--role-only", "--approve");
            String policyArn = unquote(flag(cmd, "--attach-policy-arn"));
            String policyName = policyArn.substring(policyArn.lastIndexOf('/') + 1);
            assertThat(policyArn).isEqualTo("arn:aws:iam::${AWS_ACCOUNT_ID}:policy/" + policyName);
            assertThat(policyFiles).containsKey(policyName);
            // kubelogs-collector -> collector-policy.json, kubelogs-job -> job-policy.json
            assertThat(policyFiles.get(policyName)).isEqualTo(name.replace("kubelogs-", "") + "-policy.json");
            assertThat(Repo.IAM.resolve(policyFiles.get(policyName))).isRegularFile();
        }
    }

    @Test
    void applyStepsListEveryManifestInFileOrder() {
        List<String> applied = new ArrayList<>();
        Matcher m = Pattern.compile("kubectl apply -f k8s/rendered/manifests/(\\d\\d-[a-z0-9-]+\\.yaml)")
                .matcher(README);
        while (m.find()) {
            applied.add(m.group(1));
        }
        List<String> files = Repo.manifestFiles().stream()
                .map(p -> p.getFileName().toString())
                .toList();
        assertThat(applied.subList(0, files.size())).isEqualTo(files);
        // the operator must watch the namespace the manifests use
        assertThat(README).contains("--set 'watchNamespaces={kubelogs}'");
    }

    /** The Kinesis section applies the rendered overlay, and names each setting the overlay changes as it ships it. */
    @Test
    void theKinesisSectionAppliesTheVariantAtItsShippedSettings() {
        String section = README.substring(README.indexOf("### The Kinesis transport"), README.indexOf("## Deploying"));
        assertThat(section).contains("kubectl apply -k k8s/rendered/kinesis");
        Map<String, String> args = FlinkDeploymentSpecTest.jobArgs(Variant.KINESIS);
        Map<String, String> conf = FlinkDeploymentSpecTest.flinkConfiguration(Variant.KINESIS);
        assertThat(section)
                .contains(
                        "--multiline-flush-timeout " + args.get("--multiline-flush-timeout"),
                        "--kinesis-stream " + args.get("--kinesis-stream"),
                        conf.get("execution.checkpointing.interval").replace("s", " s checkpoints"));
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : Manifests.load(Variant.KINESIS).stream()
                .filter(Manifests.kind("DaemonSet"))
                .findFirst()
                .orElseThrow()
                .tree()
                .at("/spec/template/spec/containers/0/env")) {
            env.put(e.path("name").asString(), e.path("value").asString());
        }
        for (String name : List.of("SEGMENT_MAX_AGE", "SEGMENT_MAX_BYTES", "MAX_LINE_BYTES")) {
            assertThat(section).contains("`" + name + "=" + env.get(name) + "`");
        }
    }

    @Test
    void upgradingSectionCoversTheOperatorsSavepointCycle() {
        int upgrading = README.indexOf("## Upgrading");
        assertThat(upgrading).isPositive();
        String section = README.substring(upgrading, README.indexOf("## Migrating"));
        assertThat(section)
                .contains(
                        "stop-with-savepoint",
                        "initialSavepointPath",
                        "savepointRedeployNonce",
                        "allowNonRestoredState",
                        "last-state-fallback",
                        "state: suspended",
                        "max-parallelism");
        for (String uid : List.of(
                "spool-source",
                "node-processor",
                "sink-logs",
                "sink-application",
                "sink-host",
                "sink-dataplane",
                "sink-dead-letter")) {
            assertThat(section).contains(uid);
        }
        String migrating = README.substring(README.indexOf("## Migrating"));
        assertThat(migrating)
                .contains("read.head", "read.tail", "fluent-bit-cluster-info", "delete daemonset fluent-bit");
    }

    /** The agent migration names every object of the agent's manifest and how each is replaced or removed. */
    @Test
    void agentMigrationCoversEveryObjectOfTheAgentsManifest() {
        String section = README.substring(
                README.indexOf("## Migrating from the CloudWatch agent's Prometheus scraping"),
                README.indexOf("## Known limits"));
        assertThat(section)
                .contains(
                        "Deployment `cwagent-prometheus`",
                        "ServiceAccount `cwagent-prometheus`",
                        "ClusterRole `cwagent-prometheus-role`",
                        "`" + RbacTest.DISCOVERY_ROLE + "`",
                        "kubectl delete deployment cwagent-prometheus -n amazon-cloudwatch",
                        "kubectl delete clusterrolebinding cwagent-prometheus-role-binding",
                        "kubectl delete clusterrole cwagent-prometheus-role",
                        "--name cwagent-prometheus",
                        "nodes/proxy",
                        "extensions/ingresses",
                        "ecs_service_discovery");
        // the user's own ConfigMaps go in under the names and keys the FlinkDeployment mounts
        for (String[] cm : List.of(
                new String[] {AgentConfigMaps.CWAGENT_CONFIG_MAP, AgentConfigMaps.CWAGENT_KEY},
                new String[] {AgentConfigMaps.PROMETHEUS_CONFIG_MAP, AgentConfigMaps.PROMETHEUS_KEY})) {
            assertThat(section).contains("kubectl -n kubelogs create configmap " + cm[0] + " --from-file=" + cm[1]);
        }
        for (String flag : List.of("--prometheus-config", "--cluster", "--drop-undeclared-metrics")) {
            assertThat(JobCommand.FLAGS).containsKey(flag);
            assertThat(section).contains(flag);
        }
    }

    private static List<String> eksctlCommands() {
        List<String> out = new ArrayList<>();
        String joined = README.replace("\\\n", " ");
        for (String line : joined.split("\n")) {
            if (line.strip().startsWith("eksctl create iamserviceaccount")) {
                out.add(line.strip().replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    private static String flag(String cmd, String flag) {
        List<String> words = Arrays.asList(cmd.split(" "));
        int i = words.indexOf(flag);
        assertThat(i).as("%s in %s", flag, cmd).isNotNegative();
        return words.get(i + 1);
    }

    private static String unquote(String s) {
        return s.replaceAll("^\"|\"$", "");
    }
}
