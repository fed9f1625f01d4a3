package dev.kubelogs.bench;

import java.util.ArrayList;
import java.util.List;

/** One part's section of the report: its key, its markdown, and the targets it measured. */
final class ReportSection {
    /** A target of the issue, what this run measured for it, and whether that meets it. */
    record Target(String what, String measured, boolean met) {}

    private final String key;
    private final String text;
    private final List<Target> targets = new ArrayList<>();

    ReportSection(String key, String text) {
        this.key = key;
        this.text = text;
    }

    ReportSection target(String what, String measured, boolean met) {
        targets.add(new Target(what, measured, met));
        return this;
    }

    String key() {
        return key;
    }

    String text() {
        return text;
    }

    List<Target> targets() {
        return targets;
    }
}
