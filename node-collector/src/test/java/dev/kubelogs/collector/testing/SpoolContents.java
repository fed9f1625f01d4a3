package dev.kubelogs.collector.testing;

import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentEntry;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Everything in a node's spool directory, parsed and validated. */
public final class SpoolContents {
    public final TreeMap<Long, Segment> segments = new TreeMap<>();
    public final List<LineEntry> lines = new ArrayList<>();
    public final List<PodEntry> pods = new ArrayList<>();

    public static SpoolContents read(Path nodeDir) throws IOException {
        SpoolContents c = new SpoolContents();
        if (!Files.isDirectory(nodeDir)) {
            return c;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(nodeDir)) {
            for (Path p : ds) {
                OptionalLong seq = SpoolPaths.parseSegmentSeq(p.getFileName().toString());
                if (seq.isPresent()) {
                    c.segments.put(seq.getAsLong(), SegmentReader.parse(Files.readAllBytes(p)));
                }
            }
        }
        for (Segment s : c.segments.values()) {
            for (SegmentEntry e : s.entries()) {
                if (e instanceof LineEntry l) {
                    c.lines.add(l);
                } else {
                    c.pods.add((PodEntry) e);
                }
            }
        }
        return c;
    }

    /** Text of the lines of one logical path, in spool order (PARTIAL pieces joined). */
    public List<String> texts(String logicalPath) {
        List<String> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (LineEntry l : lines) {
            if (!l.file().path().equals(logicalPath)) {
                continue;
            }
            pending.append(new String(l.bytes(), StandardCharsets.UTF_8));
            if ((l.flags() & LineFlags.PARTIAL) == 0) {
                out.add(pending.toString());
                pending.setLength(0);
            }
        }
        return out;
    }

    /** Lines grouped by logical path. */
    public Map<String, List<LineEntry>> byPath() {
        Map<String, List<LineEntry>> m = new LinkedHashMap<>();
        for (LineEntry l : lines) {
            m.computeIfAbsent(l.file().path(), k -> new ArrayList<>()).add(l);
        }
        return m;
    }

    public long countLines() {
        return lines.stream().filter(l -> (l.flags() & LineFlags.PARTIAL) == 0).count();
    }
}
