package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * RBAC grants exactly what the two components use: the kubelet's /pods for the collector; pods + HA ConfigMaps in its
 * namespace, and read-only discovery cluster-wide, for the job.
 */
class RbacTest {

    static final String JOB_ACCOUNT = "kubelogs-job";
    static final String DISCOVERY_ROLE = "kubelogs-job-metrics-discovery";

    /**
     * What Prometheus' kubernetes_sd watches per role: the endpoints role also reads the endpoints' Services and Pods
     * (for {@code __meta_kubernetes_service_*} and {@code __meta_kubernetes_pod_*}), from Endpoints or EndpointSlices.
     */
    static final Map<String, List<String>> ROLE_KINDS = Map.of(
            "pod", List.of("/pods"),
            "service", List.of("/services"),
            "node", List.of("/nodes"),
            "endpoints", List.of("/endpoints", "discovery.k8s.io/endpointslices", "/services", "/pods"));

    /**
     * The collector never calls the API server: its only Kubernetes request is the local kubelet's {@code GET /pods}
     * (KubeletPoller), which the kubelet authorizes as {@code get nodes/proxy}. Nothing cluster-wide to list or watch.
     */
    @Test
    void collectorMayOnlyReadItsKubeletsPods() {
        List<ManifestDoc> docs = Manifests.load();
        ClusterRole role = Manifests.one(docs, ClusterRole.class, "kubelogs-collector");
        assertThat(grants(role.getRules())).isEqualTo(Map.of("/nodes/proxy", Set.of("get")));
        assertThat(role.getAggregationRule()).isNull();
    }

    @Test
    void jobRoleIsNamespacedAndLimitedToWhatANativeJobManagerDoes() {
        List<ManifestDoc> docs = Manifests.load();
        Role role = Manifests.one(docs, Role.class, "kubelogs-job");
        assertThat(role.getMetadata().getNamespace()).isEqualTo("kubelogs");
        assertThat(grants(role.getRules()))
                .isEqualTo(Map.of(
                        "/pods", Set.of("get", "list", "watch", "create", "delete"),
                        "/configmaps", Set.of("get", "list", "watch", "create", "update", "patch", "delete"),
                        "apps/deployments", Set.of("get", "delete"),
                        "apps/deployments/finalizers", Set.of("update")));
    }

    /**
     * The job's only cluster-wide grant is the metrics discovery's: read-only, on the kinds Prometheus'
     * kubernetes_sd_configs roles watch. Everything the agent's cwagent-prometheus-role had beyond that (nodes/proxy,
     * extensions/ingresses, the nonResourceURL /metrics) is left out.
     */
    @Test
    void jobMayOnlyReadWhatMetricsDiscoveryWatchesClusterWide() {
        List<ManifestDoc> docs = Manifests.load();
        Set<String> jobClusterRoles = new TreeSet<>();
        for (ClusterRoleBinding b : Manifests.all(docs, ClusterRoleBinding.class)) {
            if (b.getSubjects().stream()
                    .anyMatch(s ->
                            s.getName().equals(JOB_ACCOUNT) && s.getNamespace().equals("kubelogs"))) {
                jobClusterRoles.add(b.getRoleRef().getName());
            }
        }
        assertThat(jobClusterRoles).containsExactly(DISCOVERY_ROLE);
        ClusterRole role = Manifests.one(docs, ClusterRole.class, DISCOVERY_ROLE);
        Set<String> read = Set.of("get", "list", "watch");
        assertThat(grants(role.getRules()))
                .isEqualTo(Map.of(
                        "/pods",
                        read,
                        "/services",
                        read,
                        "/endpoints",
                        read,
                        "/nodes",
                        read,
                        "discovery.k8s.io/endpointslices",
                        read));
        assertThat(role.getAggregationRule()).isNull();
    }

    /** Every discovery role the shipped scrape jobs use is readable: each role's kinds are granted list and watch. */
    @Test
    void discoveryRolesOfTheShippedScrapeJobsAreGranted() {
        List<ManifestDoc> docs = Manifests.load();
        Map<String, Set<String>> granted =
                grants(Manifests.one(docs, ClusterRole.class, DISCOVERY_ROLE).getRules());
        Set<String> roles = AgentConfigMaps.load(docs).discoveryRoles();
        assertThat(roles).isNotEmpty().isSubsetOf(ROLE_KINDS.keySet());
        for (String sdRole : roles) {
            for (String kind : ROLE_KINDS.get(sdRole)) {
                assertThat(granted.get(kind)).as("%s for role %s", kind, sdRole).contains("list", "watch");
            }
        }
    }

    @Test
    void noWildcardsNoSecretsNoEscalation() {
        List<ManifestDoc> docs = Manifests.load();
        for (ManifestDoc d : docs) {
            List<PolicyRule> rules = switch (d.kind()) {
                case "ClusterRole" -> ((ClusterRole) Manifests.typed(d)).getRules();
                case "Role" -> ((Role) Manifests.typed(d)).getRules();
                default -> List.of();
            };
            for (PolicyRule r : rules) {
                assertThat(r.getApiGroups()).as("%s", d).doesNotContain("*");
                assertThat(r.getResources())
                        .as("%s", d)
                        .doesNotContain(
                                "*",
                                "secrets",
                                "pods/exec",
                                "pods/attach",
                                "serviceaccounts/token",
                                "roles",
                                "clusterroles",
                                "rolebindings",
                                "clusterrolebindings");
                assertThat(r.getVerbs()).as("%s", d).doesNotContain("*", "escalate", "bind", "impersonate");
                assertThat(r.getNonResourceURLs()).as("%s", d).isNullOrEmpty();
                assertThat(r.getResourceNames()).as("%s", d).isNullOrEmpty();
            }
        }
    }

    /** "group/resource" → verbs, merged over rules. */
    private static Map<String, Set<String>> grants(List<PolicyRule> rules) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (PolicyRule r : rules) {
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    out.computeIfAbsent(g + "/" + res, k -> new TreeSet<>()).addAll(r.getVerbs());
                }
            }
        }
        return out;
    }
}
