package dev.kubelogs.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's source-enumerator state section: serialized state size by nodes and segments. */
final class StateSection {
    private StateSection() {}

    static ReportSection render(List<EnumeratorStateBench.Row> rows) {
        StringBuilder b = new StringBuilder("## Source enumerator state size\n\n");
        b.append(
                "`SpoolEnumeratorState` serialized with `SpoolEnumeratorStateSerializer`, from the real enumerator "
                        + "(`SpoolSource.createEnumerator`) driven by Flink's `MockSplitEnumeratorContext` with 2 readers over a spool "
                        + "of N node directories × M segment files: after listing, and after every segment was assigned and reported done.\n\n");
        b.append(
                "| nodes | segments/node | segments assigned | bytes after listing | bytes after consuming all | bytes per node |\n|---|---|---|---|---|---|\n");
        boolean independent = true;
        Map<Integer, Integer> byNodes = new LinkedHashMap<>();
        for (EnumeratorStateBench.Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,d | %,d | %,d | %,d | %.1f |\n",
                    r.nodes(),
                    r.segmentsPerNode(),
                    r.segmentsAssigned(),
                    r.bytesAfterListing(),
                    r.bytesAfterConsuming(),
                    (double) r.bytesAfterConsuming() / r.nodes()));
            Integer prev = byNodes.putIfAbsent(r.nodes(), r.bytesAfterConsuming());
            if (prev != null && prev != r.bytesAfterConsuming()) {
                independent = false;
            }
        }
        b.append('\n');
        ReportSection section = new ReportSection("state", b.toString());
        section.target(
                "Source state independent of the number of segments consumed",
                independent
                        ? "same bytes for every segment count at a given node count (grows with nodes only)"
                        : "varies with segments (see table)",
                independent);
        return section;
    }
}
