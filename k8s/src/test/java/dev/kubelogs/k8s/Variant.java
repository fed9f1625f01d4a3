package dev.kubelogs.k8s;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/** The sets of manifests a user applies: the base, or an overlay of it (README, "The Kinesis transport"). */
enum Variant {
    /** {@code k8s/manifests}: segments through the S3 spool. */
    SPOOL(Repo.MANIFESTS),
    /** {@code k8s/kinesis}: segments through a Kinesis data stream, at that transport's settings. */
    KINESIS(Repo.KINESIS);

    private final Path directory;

    Variant(Path directory) {
        this.directory = directory;
    }

    /** The variant's documents, as {@code kubectl apply -k} builds them. */
    List<ManifestDoc> docs() {
        return docs(UnaryOperator.identity());
    }

    /** The variant's documents from files {@code render} was applied to. */
    List<ManifestDoc> docs(UnaryOperator<String> render) {
        return Kustomization.build(directory, render);
    }
}
