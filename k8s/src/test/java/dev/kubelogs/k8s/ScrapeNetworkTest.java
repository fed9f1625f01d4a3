package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The job's TaskManagers scrape the workloads by pod IP: the NetworkPolicy examples, the SecurityGroupPolicy example
 * and the README's security-group rules all open exactly the ports of the shipped scrape jobs, to the job's pods.
 */
class ScrapeNetworkTest {

    /** SecurityGroupPolicySpec / GroupIds of aws/amazon-vpc-resource-controller-k8s, apis/vpcresources/v1beta1. */
    static final Set<String> SECURITY_GROUP_POLICY_SPEC =
            Set.of("podSelector", "serviceAccountSelector", "securityGroups");

    static final Set<String> GROUP_IDS = Set.of("groupIds");

    private static List<ManifestDoc> docs;
    private static List<ManifestDoc> examples;
    private static Set<Integer> scrapePorts;
    private static Map<String, String> jobPodLabels;

    @BeforeAll
    static void load() {
        docs = Manifests.load();
        examples = Manifests.loadExamples();
        scrapePorts = AgentConfigMaps.load(docs).allScrapePorts();
        JsonNode template = Manifests.flinkDeployment(docs).tree().at("/spec/podTemplate");
        jobPodLabels = Manifests.strict(template, Pod.class).getMetadata().getLabels();
    }

    /** What the port derivation reads out of the shipped prometheus.yaml (prometheus-reference §2, §4.1). */
    @Test
    void theShippedScrapeJobsUseTheAgentsDefaultPorts() {
        assertThat(AgentConfigMaps.load(docs).scrapePorts())
                .isEqualTo(Map.of(
                        "kubernetes-pod-appmesh-envoy", Set.of(9901),
                        "kubernetes-pod-fluentbit-plugin", Set.of(2020),
                        "kubernetes-service-endpoints", Set.of(10254, 9150, 9101),
                        "kubernetes-pod-jmx", Set.of(9404)));
    }

    @Test
    void workloadIngressExampleAdmitsOnlyTheJobsPodsOnTheScrapePorts() {
        NetworkPolicy np = Manifests.one(examples, NetworkPolicy.class, "kubelogs-metrics-scrape");
        // applied with -n into a workload namespace
        assertThat(np.getMetadata().getNamespace()).isNull();
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(np.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(ports(rule.getPorts())).isEqualTo(scrapePorts);
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .isEqualTo(Map.of("kubernetes.io/metadata.name", CrossReferenceTest.NS));
                assertThat(jobPodLabels)
                        .containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
                assertThat(peer.getPodSelector().getMatchLabels()).isNotEmpty();
            });
        });
    }

    @Test
    void jobEgressExampleOpensTheScrapePortsFromTheJobsPods() {
        NetworkPolicy np = Manifests.one(examples, NetworkPolicy.class, "kubelogs-job-scrape-egress");
        assertThat(np.getMetadata().getNamespace()).isEqualTo(CrossReferenceTest.NS);
        assertThat(jobPodLabels)
                .containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(np.getSpec().getEgress())
                .singleElement()
                .satisfies(rule -> assertThat(ports(rule.getPorts())).isEqualTo(scrapePorts));
    }

    /** No typed model of the VPC resource controller's CRD resolves here: its spec fields are checked by name. */
    @Test
    void securityGroupPolicyExampleSelectsTheJobsPods() {
        List<ManifestDoc> sgps =
                examples.stream().filter(Manifests.kind("SecurityGroupPolicy")).toList();
        assertThat(sgps).singleElement().satisfies(doc -> {
            assertThat(doc.apiVersion()).isEqualTo("vpcresources.k8s.aws/v1beta1");
            assertThat(doc.namespace()).isEqualTo(CrossReferenceTest.NS);
            JsonNode spec = doc.tree().get("spec");
            assertThat(spec.propertyNames()).isSubsetOf(SECURITY_GROUP_POLICY_SPEC);
            assertThat(spec.get("securityGroups").propertyNames()).isSubsetOf(GROUP_IDS);
            List<String> groups = IamPolicyTest.strings(spec.at("/securityGroups/groupIds"));
            assertThat(groups).hasSizeBetween(1, 5).allMatch(g -> g.matches("sg-[0-9a-f]{8,17}"));
            LabelSelector selector = Manifests.strict(spec.get("podSelector"), LabelSelector.class);
            assertThat(selector.getMatchLabels()).isNotEmpty();
            assertThat(jobPodLabels).containsAllEntriesOf(selector.getMatchLabels());
        });
    }

    /** The README's security-group commands open the same ports. */
    @Test
    void readmeSecurityGroupRulesOpenTheScrapePorts() {
        String readme = Repo.read(Repo.README);
        String section =
                readme.substring(readme.indexOf("## Network and security groups"), readme.indexOf("## Upgrading"));
        Matcher m = Pattern.compile("for port in ([0-9 ]+); do").matcher(section);
        assertThat(m.find()).as("a loop over the scrape ports").isTrue();
        Set<Integer> listed = Arrays.stream(m.group(1).trim().split(" +"))
                .map(Integer::parseInt)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(scrapePorts);
        assertThat(section).contains("authorize-security-group-ingress");
    }

    private static Set<Integer> ports(List<NetworkPolicyPort> ports) {
        Set<Integer> out = new TreeSet<>();
        for (NetworkPolicyPort p : ports) {
            assertThat(p.getProtocol()).isEqualTo("TCP");
            assertThat(p.getEndPort()).isNull();
            assertThat(p.getPort()).as("port of %s", p).isNotNull();
            out.add(p.getPort().getIntVal());
        }
        return out;
    }
}
