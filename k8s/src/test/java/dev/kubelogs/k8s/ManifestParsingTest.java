package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every manifest document is a known kind and parses into its typed fabric8 model with no unknown field. */
class ManifestParsingTest {

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyDocumentParsesStrictlyIntoItsTypedModel(Variant variant) {
        List<ManifestDoc> docs = Manifests.load(variant);
        assertThat(docs).hasSizeGreaterThanOrEqualTo(12);
        for (ManifestDoc doc : docs) {
            if (doc.kind().equals(Manifests.FLINK_DEPLOYMENT)) {
                assertThat(doc.apiVersion()).isEqualTo(Manifests.FLINK_API_VERSION);
                continue; // checked field by field against the operator's spec classes in FlinkDeploymentSpecTest
            }
            assertParsesStrictly(doc);
        }
    }

    /**
     * The examples (not applied by default, never rendered) parse as strictly as the manifests; the one kind no model
     * resolves for, SecurityGroupPolicy, is checked field by field in ScrapeNetworkTest.
     */
    @Test
    void everyExampleParsesStrictly() {
        List<ManifestDoc> examples = Manifests.loadExamples();
        assertThat(examples).isNotEmpty();
        for (ManifestDoc doc : examples) {
            assertThat(Repo.tokensIn(doc.tree().toString()))
                    .as("render tokens in %s", doc)
                    .isEmpty();
            assertThat(doc.tree()
                            .at("/metadata/labels/app.kubernetes.io~1part-of")
                            .asString())
                    .as("part-of label of %s", doc)
                    .isEqualTo("kubelogs");
            if (!doc.kind().equals("SecurityGroupPolicy")) {
                assertParsesStrictly(doc);
            }
        }
    }

    private static void assertParsesStrictly(ManifestDoc doc) {
        assertThat(Manifests.TYPED).as("kind of %s", doc).containsKey(doc.kind());
        assertThat(doc.apiVersion())
                .as("apiVersion of %s", doc)
                .isEqualTo(Manifests.TYPED.get(doc.kind()).getKey());
        HasMetadata typed = Manifests.typed(doc);
        assertThat(typed.getMetadata().getName()).isEqualTo(doc.name());
        // the round trip through the typed model keeps every field: nothing was dropped or renamed on the way
        JsonNode back = Manifests.LENIENT.valueToTree(typed);
        List<String> diffs = new ArrayList<>();
        diff("", stripNulls(doc.tree()), stripNulls(back), diffs);
        assertThat(diffs).as("fields changed by the round trip of %s", doc).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void renderedManifestsStillParseStrictly(Variant variant) {
        for (ManifestDoc doc : variant.docs(text -> Repo.envsubst(text, Repo.sampleValues()))) {
            assertThat(Repo.tokensIn(doc.tree().toString()))
                    .as("tokens left in rendered %s", doc)
                    .isEmpty();
            if (!doc.kind().equals(Manifests.FLINK_DEPLOYMENT)) {
                Manifests.typed(doc);
            }
        }
    }

    /**
     * The base's kustomization lists every manifest in file order, so {@code kubectl apply -k} applies what
     * {@code kubectl apply -f} of each file would, and an overlay of it sees every object.
     */
    @Test
    void theBasesKustomizationListsEveryManifestInFileOrder() {
        JsonNode kustomization = Manifests.YAML.readTree(Repo.read(Repo.MANIFESTS.resolve(Kustomization.FILE)));
        assertThat(kustomization.propertyNames()).containsExactly("apiVersion", "kind", "resources");
        assertThat(kustomization.get("apiVersion").asString()).isEqualTo("kustomize.config.k8s.io/v1beta1");
        assertThat(kustomization.get("kind").asString()).isEqualTo("Kustomization");
        List<String> resources = new ArrayList<>();
        kustomization.get("resources").forEach(r -> resources.add(r.asString()));
        assertThat(resources)
                .isEqualTo(Repo.manifestFiles().stream()
                        .map(f -> f.getFileName().toString())
                        .toList());
    }

    /** The strict parse really is strict: a misspelt field anywhere fails with its name. */
    @Test
    void aMisspeltFieldIsRejected() {
        ManifestDoc ds = Manifests.load().stream()
                .filter(Manifests.kind("DaemonSet"))
                .findFirst()
                .orElseThrow();
        ObjectNode top = (ObjectNode) ds.tree().deepCopy();
        ((ObjectNode) top.get("spec")).put("minReadySecond", 10);
        assertThatThrownBy(() -> Manifests.strict(top, DaemonSet.class)).hasMessageContaining("minReadySecond");

        ObjectNode nested = (ObjectNode) ds.tree().deepCopy();
        ObjectNode container = (ObjectNode) nested.at("/spec/template/spec/containers/0");
        container.put("imagePullPolicyy", "Always");
        assertThatThrownBy(() -> Manifests.strict(nested, DaemonSet.class)).hasMessageContaining("imagePullPolicyy");

        // env values must be strings, as the API server insists; YAML would happily give it a number
        ObjectNode unquoted = (ObjectNode) ds.tree().deepCopy();
        for (JsonNode env : unquoted.at("/spec/template/spec/containers/0/env")) {
            if (env.path("name").asString().equals("KUBELET_PORT")) {
                ((ObjectNode) env).put("value", 10250);
            }
        }
        assertThatThrownBy(() -> Manifests.strict(unquoted, DaemonSet.class)).isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void namespacedObjectsLiveInKubelogsAndNamesAreUnique(Variant variant) {
        Set<String> seen = new HashSet<>();
        for (ManifestDoc doc : Manifests.load(variant)) {
            if (CLUSTER_SCOPED.contains(doc.kind())) {
                assertThat(doc.namespace()).as("%s is cluster-scoped", doc).isNull();
            } else {
                assertThat(doc.namespace()).as("namespace of %s", doc).isEqualTo("kubelogs");
            }
            assertThat(seen.add(doc.kind() + "/" + doc.namespace() + "/" + doc.name()))
                    .as("duplicate %s", doc)
                    .isTrue();
            assertThat(doc.tree()
                            .at("/metadata/labels/app.kubernetes.io~1part-of")
                            .asString())
                    .as("part-of label of %s", doc)
                    .isEqualTo("kubelogs");
        }
    }

    /** kubectl apply -f manifests/ goes in file-name order: what is referenced comes before what references it. */
    @Test
    void fileOrderIsApplyOrder() {
        List<ManifestDoc> docs = Manifests.load();
        int namespace = firstIndexOf(docs, "Namespace");
        assertThat(namespace).isZero();
        assertThat(firstIndexOf(docs, "ConfigMap")).isLessThan(firstIndexOf(docs, "DaemonSet"));
        assertThat(lastIndexOf(docs, "ServiceAccount")).isLessThan(firstIndexOf(docs, "DaemonSet"));
        assertThat(lastIndexOf(docs, "RoleBinding")).isLessThan(firstIndexOf(docs, Manifests.FLINK_DEPLOYMENT));
        for (Path f : Repo.manifestFiles()) {
            assertThat(f.getFileName().toString()).matches("\\d\\d-[a-z0-9-]+\\.yaml");
        }
    }

    /**
     * YAML 1.1 parsers (kubectl's among them) read a bare on/off/yes/no as a boolean, which is not what a ConfigMap
     * value or an annotation means: such words must be quoted wherever they are values.
     */
    @Test
    void noUnquotedYaml11Booleans() {
        Pattern bare = Pattern.compile(
                "^\\s*(-\\s+)?[^#\"'\\s][^:#]*:\\s+(y|n|yes|no|on|off)\\s*(#.*)?$", Pattern.CASE_INSENSITIVE);
        List<Path> files = new ArrayList<>(Repo.manifestFiles());
        files.addAll(Repo.kinesisFiles());
        for (Path f : files) {
            String[] lines = Repo.read(f).split("\n");
            boolean inBlock = false;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.trim().endsWith("|")) {
                    inBlock = true; // the embedded log4j file is a literal block, not YAML values
                    continue;
                }
                if (inBlock && (line.isBlank() || line.startsWith("      "))) {
                    continue;
                }
                inBlock = false;
                Matcher m = bare.matcher(line);
                assertThat(m.matches())
                        .as("%s:%d has an unquoted YAML 1.1 boolean: %s", f.getFileName(), i + 1, line)
                        .isFalse();
            }
        }
    }

    private static int firstIndexOf(List<ManifestDoc> docs, String kind) {
        for (int i = 0; i < docs.size(); i++) {
            if (docs.get(i).kind().equals(kind)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind);
    }

    private static int lastIndexOf(List<ManifestDoc> docs, String kind) {
        for (int i = docs.size() - 1; i >= 0; i--) {
            if (docs.get(i).kind().equals(kind)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind);
    }

    /** Paths where the two trees differ; numbers compare by value (YAML ints come back as longs). */
    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a.isNumber() && b.isNumber()) {
            if (a.decimalValue().compareTo(b.decimalValue()) != 0) {
                out.add(path + ": " + a + " != " + b);
            }
        } else if (a.isObject() && b.isObject()) {
            Set<String> names = new TreeSet<>(a.propertyNames());
            names.addAll(b.propertyNames());
            for (String n : names) {
                if (!a.has(n) || !b.has(n)) {
                    out.add(path + "/" + n + (a.has(n) ? " dropped" : " added"));
                } else {
                    diff(path + "/" + n, a.get(n), b.get(n), out);
                }
            }
        } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(path + "/" + i, a.get(i), b.get(i), out);
            }
        } else if (!a.equals(b)) {
            out.add(path + ": " + a + " != " + b);
        }
    }

    /** fabric8 serializes absent collections as null/empty; compare only what is present on both sides. */
    private static JsonNode stripNulls(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = Manifests.LENIENT.createObjectNode();
            for (var e : n.properties()) {
                JsonNode v = stripNulls(e.getValue());
                if (!v.isNull() && !(v.isContainer() && v.isEmpty())) {
                    out.set(e.getKey(), v);
                }
            }
            return out;
        }
        if (n.isArray()) {
            var out = Manifests.LENIENT.createArrayNode();
            n.forEach(x -> out.add(stripNulls(x)));
            return out;
        }
        return n;
    }
}
