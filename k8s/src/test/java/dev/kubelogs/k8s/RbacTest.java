package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.k8s.Manifests.Doc;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * RBAC grants exactly what the two components use: the kubelet's /pods for the collector, pods + HA ConfigMaps for the
 * job.
 */
class RbacTest {

    /**
     * The collector never calls the API server: its only Kubernetes request is the local kubelet's {@code GET /pods}
     * (KubeletPoller), which the kubelet authorizes as {@code get nodes/proxy}. Nothing cluster-wide to list or watch.
     */
    @Test
    void collectorMayOnlyReadItsKubeletsPods() {
        List<Doc> docs = Manifests.load();
        ClusterRole role = Manifests.one(docs, ClusterRole.class, "kubelogs-collector");
        assertThat(grants(role.getRules())).isEqualTo(Map.of("/nodes/proxy", Set.of("get")));
        assertThat(role.getAggregationRule()).isNull();
    }

    @Test
    void jobRoleIsNamespacedAndLimitedToWhatANativeJobManagerDoes() {
        List<Doc> docs = Manifests.load();
        assertThat(docs).noneMatch(d -> d.kind().equals("ClusterRole") && d.name().contains("job"));
        Role role = Manifests.one(docs, Role.class, "kubelogs-job");
        assertThat(role.getMetadata().getNamespace()).isEqualTo("kubelogs");
        assertThat(grants(role.getRules())).isEqualTo(Map.of(
                "/pods", Set.of("get", "list", "watch", "create", "delete"),
                "/configmaps", Set.of("get", "list", "watch", "create", "update", "patch", "delete"),
                "apps/deployments", Set.of("get", "delete"),
                "apps/deployments/finalizers", Set.of("update")));
    }

    @Test
    void noWildcardsNoSecretsNoEscalation() {
        List<Doc> docs = Manifests.load();
        for (Doc d : docs) {
            List<PolicyRule> rules = switch (d.kind()) {
                case "ClusterRole" -> ((ClusterRole) Manifests.typed(d)).getRules();
                case "Role" -> ((Role) Manifests.typed(d)).getRules();
                default -> List.of();
            };
            for (PolicyRule r : rules) {
                assertThat(r.getApiGroups()).as("%s", d).doesNotContain("*");
                assertThat(r.getResources()).as("%s", d).doesNotContain("*", "secrets", "pods/exec", "pods/attach",
                        "serviceaccounts/token", "roles", "clusterroles", "rolebindings", "clusterrolebindings");
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
