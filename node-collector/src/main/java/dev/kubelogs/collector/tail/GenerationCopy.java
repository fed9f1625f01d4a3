package dev.kubelogs.collector.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The copy logrotate's copytruncate made of a generation of a file before truncating it in place ({@code messages.1},
 * or {@code messages-20261204} with dateext), open: the part of the generation the collector had not read yet is
 * read from it. It is a rotated sibling ({@link RotatedSiblings}) that begins with the generation's fingerprinted
 * first bytes and is at least as long as what was read; compressed ones cannot be read.
 */
final class GenerationCopy implements AutoCloseable {
    /**
     * File times come from the kernel's coarse clock and some file systems keep whole seconds: a copy made just after
     * the generation began may look a little older.
     */
    static final long CLOCK_SLACK_MILLIS = 2_000;

    final Path path;
    final FileChannel channel;
    /** The copy's length when it was found: the generation ends there. */
    long end;

    private GenerationCopy(Path path, FileChannel channel, long end) {
        this.path = path;
        this.channel = channel;
        this.end = end;
    }

    /** What {@link #find} found: the copy (null if none), and what each sibling looked at was, for the log. */
    record Search(GenerationCopy copy, String looked) {}

    /**
     * The longest copy of {@code f}'s current generation beside it: a readable rotated sibling, not the file itself,
     * modified since the generation began to be read (a copy made while a lagging collector was still reading it is
     * older than its last read), at least {@code f.offset} long and beginning with the generation's first bytes.
     */
    static Search find(TrackedFile f) {
        if (f.headLen == 0) {
            return new Search(null, "nothing of the generation was read, so no copy of it can be told apart");
        }
        Path dir = f.realPath.getParent();
        RotatedSiblings.Found siblings;
        try {
            siblings = RotatedSiblings.modifiedSince(
                    dir, f.realPath.getFileName().toString(), f.generationSeenMillis - CLOCK_SLACK_MILLIS);
        } catch (IOException e) {
            return new Search(null, "cannot list " + dir + ": " + e);
        }
        List<String> looked = new ArrayList<>();
        GenerationCopy best = null;
        for (Path p : siblings.readable()) {
            String verdict = null;
            FileChannel ch = null;
            try {
                if (FileIdentity.stat(p).id().equals(f.id)) {
                    verdict = "the file itself";
                } else {
                    // not through a link put there since the listing: only files beside the tailed one are read
                    ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                    long size = ch.size();
                    if (size < f.offset) {
                        verdict = "shorter (" + size + ") than what was read";
                    } else if (TrackedFile.crcOfHead(ch, f.headLen) != f.headCrc) {
                        verdict = "other content";
                    } else if (best == null || size > best.end) {
                        if (best != null) {
                            best.close();
                        }
                        best = new GenerationCopy(p, ch, size);
                        ch = null;
                        verdict = "the copy, " + size + " bytes";
                    } else {
                        verdict = "a shorter copy";
                    }
                }
            } catch (IOException e) {
                verdict = "unreadable: " + e;
            } finally {
                CreateWatcher.closeQuietly(ch);
            }
            looked.add(p.getFileName() + ": " + verdict);
        }
        for (Path p : siblings.compressed()) {
            looked.add(p.getFileName() + ": compressed");
        }
        return new Search(best, looked.isEmpty() ? "no rotated file beside it" : String.join("; ", looked));
    }

    @Override
    public void close() {
        CreateWatcher.closeQuietly(channel);
    }
}
