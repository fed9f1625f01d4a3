package dev.kubelogs.bench;

import static dev.kubelogs.bench.ReportText.bytes;
import static dev.kubelogs.bench.ReportText.ms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The checkpoints of a run in a paragraph: count, duration and size percentiles, state per vertex mid-run. */
final class CheckpointSummary {
    private CheckpointSummary() {}

    static String text(List<CheckpointMonitor.Checkpoint> cps, long failed) {
        StringBuilder b = new StringBuilder();
        if (cps.isEmpty()) {
            return "No completed checkpoint was seen through the REST API.\n\n";
        }
        Stats.LongList d = new Stats.LongList();
        Stats.LongList s = new Stats.LongList();
        Stats.LongList c = new Stats.LongList();
        for (CheckpointMonitor.Checkpoint cp : cps) {
            d.add(cp.durationMillis());
            s.add(cp.stateSize());
            c.add(cp.checkpointedSize());
        }
        long[] ds = d.sorted();
        long[] ss = s.sorted();
        long[] cs = c.sorted();
        b.append(String.format(
                Locale.ROOT,
                "Checkpoints (Flink REST): %d completed, %d failed. Duration p50 %s, max %s. Full state size p50 %s, max %s; "
                        + "checkpointed (incremental) size p50 %s, max %s.\n\n",
                cps.size(),
                failed,
                ms(Stats.percentile(ds, 50)),
                ms(Stats.max(ds)),
                bytes(Stats.percentile(ss, 50)),
                bytes(Stats.max(ss)),
                bytes(Stats.percentile(cs, 50)),
                bytes(Stats.max(cs))));
        CheckpointMonitor.Checkpoint mid = cps.get(cps.size() / 2);
        if (!mid.stateSizeByVertex().isEmpty()) {
            b.append("State per job vertex in checkpoint ").append(mid.id()).append(" (mid-run): ");
            List<String> parts = new ArrayList<>();
            mid.stateSizeByVertex()
                    .forEach((k, v) ->
                            parts.add("`" + (k.length() > 90 ? k.substring(0, 90) + "…" : k) + "` " + bytes(v)));
            b.append(String.join("; ", parts))
                    .append(". The sink's committables (the events of one checkpoint interval) are "
                            + "in the vertex that holds the sink's writer and committer; the source enumerator's state is in the "
                            + "checkpoint metadata, see the state-size table.\n\n");
        }
        return b.toString();
    }
}
