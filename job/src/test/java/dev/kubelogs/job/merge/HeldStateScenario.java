package dev.kubelogs.job.merge;

import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.SourceKind;
import java.util.List;

/** Two segments of one node: plain lines, then a Java stack trace that continues in the second. */
final class HeldStateScenario {
    static final String PATH = "/var/log/containers/web-1_default_web-" + "3f1e9a0b".repeat(8) + ".log";

    record Segments(List<SpoolRecord> first, List<SpoolRecord> second) {
        List<SpoolRecord> firstPart() {
            return first.subList(0, 2);
        }
    }

    static Segments build(NodeHarness node) {
        List<SpoolRecord> first = node.segment(node.takeSeq(), () -> {
            node.line(PATH, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stdout F a");
            node.line(PATH, SourceKind.CONTAINER, "2024-05-14T09:12:04Z stdout F b");
            node.line(
                    PATH, SourceKind.CONTAINER, "2024-05-14T09:12:05Z stdout F java.lang.IllegalStateException: boom");
        });
        List<SpoolRecord> second = node.segment(node.takeSeq(), () -> {
            node.line(
                    PATH,
                    SourceKind.CONTAINER,
                    "2024-05-14T09:12:05Z stdout F \tat com.example.Orders.place(Orders.java:42)");
            node.line(
                    PATH,
                    SourceKind.CONTAINER,
                    "2024-05-14T09:12:05Z stdout F \tat com.example.Main.main(Main.java:7)");
            node.line(PATH, SourceKind.CONTAINER, "2024-05-14T09:12:06Z stdout F c");
        });
        return new Segments(first, second);
    }

    private HeldStateScenario() {}
}
