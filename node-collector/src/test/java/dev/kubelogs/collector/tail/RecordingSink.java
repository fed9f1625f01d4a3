package dev.kubelogs.collector.tail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A sink that records what the tailer emitted, and can stop accepting after a number of lines (back-pressure). */
final class RecordingSink implements FileTailer.Sink {
    /** One emitted line, its flags and the file's offset before it. */
    record Line(String text, int flags, long offset) {}

    final List<Line> lines = new ArrayList<>();
    /** The generation of the file each line was emitted from, line by line. */
    final List<Integer> generations = new ArrayList<>();
    /** How many more lines are accepted before afterLine asks to stop. */
    int budget = Integer.MAX_VALUE;

    @Override
    public void line(TrackedFile file, byte[] buf, int off, int len, int flags) {
        lines.add(new Line(new String(buf, off, len, StandardCharsets.UTF_8), flags, file.offset()));
        generations.add(file.ref().generation());
    }

    @Override
    public boolean afterLine() {
        budget--;
        return budget > 0;
    }

    @Override
    public boolean accepting() {
        return budget > 0;
    }

    List<String> texts() {
        return lines.stream().map(Line::text).toList();
    }
}
