package dev.kubelogs.k8s;

import dev.kubelogs.k8s.Manifests.Doc;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/** The sets of manifests a user applies: the base, or an overlay of it (README, "The Kinesis transport"). */
enum Variant {
    /** {@code k8s/manifests}: segments through the S3 spool. */
    SPOOL(null),
    /** {@code k8s/kinesis}: segments through a Kinesis data stream, at that transport's settings. */
    KINESIS(Repo.KINESIS);

    private final Path overlay;

    Variant(Path overlay) {
        this.overlay = overlay;
    }

    /** The variant's documents, as {@code kubectl apply -k} builds them. */
    List<Doc> docs() {
        return docs(UnaryOperator.identity());
    }

    /** The variant's documents from files {@code render} was applied to. */
    List<Doc> docs(UnaryOperator<String> render) {
        List<Doc> base = Manifests.load(Repo.manifestFiles(), render);
        return overlay == null ? base : Overlay.apply(overlay, base, render);
    }
}
