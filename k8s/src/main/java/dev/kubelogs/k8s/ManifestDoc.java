package dev.kubelogs.k8s;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/** One YAML document of a manifest file: {@code index} is its place in the file. */
public record ManifestDoc(Path file, int index, JsonNode tree) {

    public String kind() {
        return tree.path("kind").asString();
    }

    public String apiVersion() {
        return tree.path("apiVersion").asString();
    }

    public String name() {
        return tree.path("metadata").path("name").asString();
    }

    /** The object's namespace, or null when the manifest does not set one. */
    public String namespace() {
        JsonNode ns = tree.path("metadata").path("namespace");
        return ns.isMissingNode() || ns.isNull() ? null : ns.asString();
    }

    @Override
    public String toString() {
        return file.getFileName() + "#" + index + " " + kind() + "/" + name();
    }
}
