package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class KustomizationTest {

    private static final String COLLECTOR = "group: apps, version: v1, kind: DaemonSet, name: kubelogs-collector";

    /**
     * The Kinesis variant as these tests read it is what kustomize builds from the same files. Runs where kubectl
     * (which embeds kustomize) is on the PATH; elsewhere only the patch semantics below, RFC 6902's, stand behind it.
     */
    @Test
    void theKinesisVariantIsWhatKustomizeBuilds(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("built.yaml");
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", Repo.KINESIS.toString())
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            assumeThat(e).as("kubectl is not on the PATH").isNull();
            return;
        }
        assertThat(kubectl.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(kubectl.exitValue()).isZero();

        Map<String, JsonNode> built = byKindAndName(Kustomization.documents(out, Files.readString(out)));
        Map<String, JsonNode> ours = byKindAndName(Manifests.load(Variant.KINESIS));
        assertThat(built.keySet()).isEqualTo(ours.keySet());
        // kustomize writes numbers in its own form (1.0 becomes 1): compare them by value
        Comparator<JsonNode> sameValue = (a, b) ->
                a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : (a.equals(b) ? 0 : 1);
        ours.forEach((key, tree) -> assertThat(tree.equals(sameValue, built.get(key)))
                .as("%s as kustomize builds it:%n%s", key, built.get(key))
                .isTrue());
    }

    @Test
    void aPatchWhoseTestFailsNamesItsFileAndTarget(@TempDir Path dir) throws IOException {
        overlayWithOnePatch(
                dir,
                "moved.yaml",
                COLLECTOR,
                "- {op: test, path: /spec/template/spec/containers/0/env/0/name, value: SPOOL_S3_URI}\n"
                        + "- {op: replace, path: /spec/template/spec/containers/0/env/0/value, value: x}\n");

        assertThatThrownBy(() -> Kustomization.build(dir, UnaryOperator.identity()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("moved.yaml")
                .hasMessageContaining("DaemonSet/kubelogs-collector");
    }

    @Test
    void aPatchIsAppliedToItsTargetOnly(@TempDir Path dir) throws IOException {
        overlayWithOnePatch(dir, "label.yaml", COLLECTOR, "- {op: add, path: /metadata/labels/variant, value: test}\n");

        List<ManifestDoc> base = Manifests.load();
        List<ManifestDoc> patched = Kustomization.build(dir, UnaryOperator.identity());

        assertThat(patched).hasSameSizeAs(base);
        for (int i = 0; i < base.size(); i++) {
            boolean target = base.get(i).kind().equals("DaemonSet");
            assertThat(patched.get(i).tree().at("/metadata/labels/variant").isMissingNode())
                    .as("%s", base.get(i))
                    .isEqualTo(!target);
        }
    }

    @Test
    void aTargetThatMatchesNoObjectIsAnError(@TempDir Path dir) throws IOException {
        overlayWithOnePatch(
                dir,
                "p.yaml",
                "group: apps, version: v1, kind: Deployment, name: kubelogs-collector",
                "- {op: remove, path: /spec}\n");

        assertThatThrownBy(() -> Kustomization.build(dir, UnaryOperator.identity()))
                .hasMessageContaining("p.yaml")
                .hasMessageContaining("matches 0 objects");
    }

    /** A kustomize feature these tests do not apply (a name prefix here) must not be skipped without a word. */
    @Test
    void aKustomizationFieldThisReaderDoesNotKnowIsAnError(@TempDir Path dir) throws IOException {
        write(dir, overlayOfTheManifests(dir) + "namePrefix: kinesis-\n");

        assertThatThrownBy(() -> Kustomization.build(dir, UnaryOperator.identity()))
                .hasMessageContaining("'namePrefix'");
    }

    /** An overlay in {@code dir} of one patch, {@code ops} in {@code file}, aimed at {@code target}. */
    private static void overlayWithOnePatch(Path dir, String file, String target, String ops) throws IOException {
        write(dir, overlayOfTheManifests(dir) + "patches:\n  - path: " + file + "\n    target: {" + target + "}\n");
        Files.writeString(dir.resolve(file), ops, StandardCharsets.UTF_8);
    }

    /** The head of a kustomization in {@code dir} whose base is this module's manifests. */
    private static String overlayOfTheManifests(Path dir) {
        return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - "
                + dir.relativize(Repo.MANIFESTS) + "\n";
    }

    private static void write(Path dir, String kustomization) throws IOException {
        Files.writeString(dir.resolve(Kustomization.FILE), kustomization, StandardCharsets.UTF_8);
    }

    private static Map<String, JsonNode> byKindAndName(List<ManifestDoc> docs) {
        Map<String, JsonNode> out = new TreeMap<>();
        docs.forEach(
                d -> assertThat(out.put(d.kind() + "/" + d.name(), d.tree())).isNull());
        return out;
    }
}
