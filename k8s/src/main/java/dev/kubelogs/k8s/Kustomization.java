package dev.kubelogs.k8s;

import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A directory of manifests built as {@code kubectl kustomize} builds it, for the part of kustomize this project's
 * manifests use: {@code resources} (manifest files, or directories that are kustomizations themselves) and JSON
 * patches (RFC 6902) each aimed at exactly one object by its group, version, kind and name. Any other field is an
 * error naming it, so a kustomize feature the manifests start to use cannot be skipped silently by the tests and the
 * benchmarks that read the manifests through this class.
 */
public final class Kustomization {

    /** The file that makes a directory a kustomization. */
    public static final String FILE = "kustomization.yaml";

    static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "patches");
    static final Set<String> PATCH_FIELDS = Set.of("path", "target");
    static final Set<String> TARGET_FIELDS = Set.of("group", "version", "kind", "name");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Kustomization() {}

    /**
     * The documents the kustomization in {@code dir} builds; {@code render} is applied to the text of every file read
     * first (as the README's envsubst is to every file).
     */
    public static List<ManifestDoc> build(Path dir, UnaryOperator<String> render) {
        Path file = dir.resolve(FILE);
        JsonNode kustomization = YAML.readTree(read(file));
        requireOnly(kustomization, FIELDS, file);
        List<ManifestDoc> out = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asString()).normalize();
            out.addAll(Files.isDirectory(path) ? build(path, render) : documents(path, render.apply(read(path))));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            requireOnly(patch, PATCH_FIELDS, file);
            JsonNode target = patch.path("target");
            requireOnly(target, TARGET_FIELDS, file);
            Path ops = dir.resolve(patch.path("path").asString());
            int i = indexOfTarget(out, target, ops);
            ManifestDoc doc = out.get(i);
            try {
                out.set(
                        i,
                        new ManifestDoc(
                                doc.file(),
                                doc.index(),
                                JsonPatch.apply(YAML.readTree(render.apply(read(ops))), doc.tree())));
            } catch (JsonPatchException e) {
                throw new IllegalArgumentException(ops.getFileName() + " does not apply to " + doc + ": " + e, e);
            }
        }
        return out;
    }

    /** The YAML documents of {@code text}, read from {@code file}; empty documents are skipped. */
    public static List<ManifestDoc> documents(Path file, String text) {
        List<ManifestDoc> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            int i = 0;
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(new ManifestDoc(file, i, node));
                }
                i++;
            }
        }
        return docs;
    }

    private static int indexOfTarget(List<ManifestDoc> docs, JsonNode target, Path ops) {
        String group = target.path("group").asString("");
        String version = target.path("version").asString();
        String apiVersion = group.isEmpty() ? version : group + "/" + version;
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            ManifestDoc d = docs.get(i);
            if (d.kind().equals(target.path("kind").asString())
                    && d.name().equals(target.path("name").asString())
                    && d.apiVersion().equals(apiVersion)) {
                hits.add(i);
            }
        }
        if (hits.size() != 1) {
            throw new IllegalArgumentException(
                    ops.getFileName() + " targets " + target + ", which matches " + hits.size() + " objects");
        }
        return hits.get(0);
    }

    private static void requireOnly(JsonNode node, Set<String> fields, Path file) {
        for (String name : node.propertyNames()) {
            if (!fields.contains(name)) {
                throw new IllegalArgumentException(
                        file + ": '" + name + "' is not a kustomize field this project reads (only " + fields + ")");
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
