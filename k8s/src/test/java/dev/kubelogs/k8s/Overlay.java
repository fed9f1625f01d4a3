package dev.kubelogs.k8s;

import dev.kubelogs.k8s.Manifests.Doc;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * A kustomize overlay of the manifests, built as {@code kubectl apply -k} builds it, for the part of kustomize the
 * overlays here use: {@code resources: [../manifests]} and JSON patches (RFC 6902) each aimed at one object by its
 * group, version, kind and name. Any other kustomization field is an error naming it, so a feature the overlay starts
 * to use cannot be skipped silently by the tests that read the overlay through this class.
 */
final class Overlay {

    static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "patches");
    static final Set<String> PATCH_FIELDS = Set.of("path", "target");
    static final Set<String> TARGET_FIELDS = Set.of("group", "version", "kind", "name");

    private Overlay() {}

    /**
     * The base's documents with the overlay in {@code dir} applied; {@code render} is applied to the text of each patch
     * file first (as the README's envsubst is to every file).
     */
    static List<Doc> apply(Path dir, List<Doc> base, UnaryOperator<String> render) {
        JsonNode kustomization = Manifests.YAML.readTree(Repo.read(dir.resolve(Repo.KUSTOMIZATION)));
        requireOnly(kustomization, FIELDS, dir.resolve(Repo.KUSTOMIZATION));
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asString()));
        if (!resources.equals(List.of("../manifests"))) {
            throw new IllegalArgumentException(dir + ": resources must be [../manifests], not " + resources);
        }
        List<Doc> out = new ArrayList<>(base);
        for (JsonNode patch : kustomization.path("patches")) {
            requireOnly(patch, PATCH_FIELDS, dir.resolve(Repo.KUSTOMIZATION));
            JsonNode target = patch.get("target");
            requireOnly(target, TARGET_FIELDS, dir.resolve(Repo.KUSTOMIZATION));
            Path file = dir.resolve(patch.get("path").asString());
            int i = indexOfTarget(out, target, file);
            Doc doc = out.get(i);
            JsonNode ops = Manifests.YAML.readTree(render.apply(Repo.read(file)));
            try {
                out.set(i, new Doc(doc.file(), doc.index(), JsonPatch.apply(ops, doc.tree())));
            } catch (JsonPatchException e) {
                throw new IllegalArgumentException(file.getFileName() + " does not apply to " + doc + ": " + e, e);
            }
        }
        return out;
    }

    private static int indexOfTarget(List<Doc> docs, JsonNode target, Path file) {
        String group = target.path("group").asString("");
        String apiVersion = group.isEmpty()
                ? target.path("version").asString()
                : group + "/" + target.path("version").asString();
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Doc d = docs.get(i);
            if (d.kind().equals(target.path("kind").asString())
                    && d.name().equals(target.path("name").asString())
                    && d.apiVersion().equals(apiVersion)) {
                hits.add(i);
            }
        }
        if (hits.size() != 1) {
            throw new IllegalArgumentException(
                    file.getFileName() + " targets " + target + ", which matches " + hits.size() + " objects");
        }
        return hits.get(0);
    }

    private static void requireOnly(JsonNode node, Set<String> fields, Path file) {
        for (String name : node.propertyNames()) {
            if (!fields.contains(name)) {
                throw new IllegalArgumentException(file + ": '" + name + "' is not read by these tests (only " + fields
                        + "); teach Overlay what it means first");
            }
        }
    }
}
