package dev.kubelogs.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the manifests and turns them into typed fabric8 objects <em>strictly</em>: fabric8's model classes swallow
 * unknown fields into {@code additionalProperties} through {@code @JsonAnySetter}, so this mapper switches any-setters
 * off and fails on unknown properties, and it refuses number/boolean → string coercions the API server also refuses
 * (an unquoted {@code value: 10250} in an env var). A misspelt field therefore fails here, with its path.
 */
final class Manifests {

    /** The typed class of each kind this project ships, with the apiVersion it must use. */
    static final Map<String, Map.Entry<String, Class<? extends HasMetadata>>> TYPED = Map.of(
            "Namespace", Map.entry("v1", Namespace.class),
            "ConfigMap", Map.entry("v1", ConfigMap.class),
            "ServiceAccount", Map.entry("v1", ServiceAccount.class),
            "ClusterRole", Map.entry("rbac.authorization.k8s.io/v1", ClusterRole.class),
            "ClusterRoleBinding", Map.entry("rbac.authorization.k8s.io/v1", ClusterRoleBinding.class),
            "Role", Map.entry("rbac.authorization.k8s.io/v1", Role.class),
            "RoleBinding", Map.entry("rbac.authorization.k8s.io/v1", RoleBinding.class),
            "DaemonSet", Map.entry("apps/v1", DaemonSet.class),
            "NetworkPolicy", Map.entry("networking.k8s.io/v1", NetworkPolicy.class));

    static final String FLINK_DEPLOYMENT = "FlinkDeployment";
    static final String FLINK_API_VERSION = "flink.apache.org/v1beta1";

    static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** Strict: no any-setter, no unknown property, no scalar → string coercion. */
    static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                }

                @Override
                public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
                    return super.findPropertyIgnoralByName(config, a).withoutIgnoreUnknown();
                }
            })
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** fabric8's ordinary behaviour, for the FlinkDeployment (no typed model of the operator API resolves here). */
    static final JsonMapper LENIENT = JsonMapper.builder().build();

    private Manifests() {}

    /** The base manifests, as in {@code k8s/manifests}. */
    static List<ManifestDoc> load() {
        return Variant.SPOOL.docs();
    }

    static List<ManifestDoc> load(Variant variant) {
        return variant.docs();
    }

    static List<ManifestDoc> loadExamples() {
        return load(Repo.exampleFiles(), UnaryOperator.identity());
    }

    static List<ManifestDoc> load(List<Path> files, UnaryOperator<String> render) {
        List<ManifestDoc> docs = new ArrayList<>();
        for (Path file : files) {
            docs.addAll(Kustomization.documents(file, render.apply(Repo.read(file))));
        }
        return docs;
    }

    static <T> T strict(JsonNode tree, Class<T> type) {
        return STRICT.treeToValue(tree, type);
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T typed(ManifestDoc doc) {
        Map.Entry<String, Class<? extends HasMetadata>> e = TYPED.get(doc.kind());
        Objects.requireNonNull(e, () -> "no typed model registered for " + doc);
        return (T) strict(doc.tree(), e.getValue());
    }

    static <T extends HasMetadata> T one(List<ManifestDoc> docs, Class<T> type, String name) {
        List<ManifestDoc> hits = docs.stream()
                .filter(kind(type.getSimpleName()).and(d -> d.name().equals(name)))
                .toList();
        if (hits.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + "/" + name + ", found " + hits);
        }
        return type.cast(typed(hits.get(0)));
    }

    static <T extends HasMetadata> List<T> all(List<ManifestDoc> docs, Class<T> type) {
        return docs.stream()
                .filter(kind(type.getSimpleName()))
                .map(d -> type.cast(typed(d)))
                .toList();
    }

    static ManifestDoc flinkDeployment(List<ManifestDoc> docs) {
        List<ManifestDoc> hits = docs.stream().filter(kind(FLINK_DEPLOYMENT)).toList();
        if (hits.size() != 1) {
            throw new AssertionError("expected exactly one FlinkDeployment, found " + hits);
        }
        return hits.get(0);
    }

    static GenericKubernetesResource generic(ManifestDoc doc) {
        return LENIENT.treeToValue(doc.tree(), GenericKubernetesResource.class);
    }

    static Predicate<ManifestDoc> kind(String kind) {
        return d -> d.kind().equals(kind);
    }
}
