package dev.kubelogs.collector.tail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files a rename rotation left beside a log file after a given moment: kubelet's {@code 0.log.20261203-141000}
 * (and, once it compressed them, {@code .gz}), Docker's {@code -json.log.1}, logrotate's {@code messages.1} or
 * {@code messages-20261203}. A collector that was down (or paused at its spool limit without committing) while a
 * file was rotated in and out finds it here, since it is neither in the committed state nor at the tailed path.
 */
final class RotatedSiblings {
    private RotatedSiblings() {}

    /** What {@link #modifiedSince} found, oldest first. */
    record Found(List<Path> readable, List<Path> compressed) {}

    /**
     * Regular files (not links) in {@code dir} named {@code liveName} followed by '.' or '-' and more, last modified
     * at or after {@code sinceMillis}: rotated after a file that was last written then, or in the same tick of the
     * file system's clock (a caller tells those apart by what it already read). Compressed ones ({@code .gz}) are
     * listed apart.
     */
    static Found modifiedSince(Path dir, String liveName, long sinceMillis) throws IOException {
        List<Candidate> readable = new ArrayList<>();
        List<Candidate> compressed = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!isRotatedName(name, liveName)) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue; // gone while listing
                }
                long modified = a.lastModifiedTime().toMillis();
                if (!a.isRegularFile() || modified < sinceMillis) {
                    continue;
                }
                (name.endsWith(".gz") ? compressed : readable).add(new Candidate(p, modified));
            }
        }
        return new Found(oldestFirst(readable), oldestFirst(compressed));
    }

    static boolean isRotatedName(String name, String liveName) {
        if (name.length() <= liveName.length() + 1 || !name.startsWith(liveName)) {
            return false;
        }
        char sep = name.charAt(liveName.length());
        return sep == '.' || sep == '-';
    }

    private record Candidate(Path path, long modified) {}

    private static List<Path> oldestFirst(List<Candidate> found) {
        return found.stream()
                .sorted(Comparator.comparingLong(Candidate::modified)
                        .thenComparing(c -> c.path().toString()))
                .map(Candidate::path)
                .toList();
    }
}
