package dev.kubelogs.bench;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.UUID;

/**
 * The file one simulated source writes, laid out as on a node: a container's {@code pods/<ns>_<pod>_<uid>/<c>/0.log}
 * with its {@code containers/} symlink, a host file under {@code /var/log}, or the journal export; and what happens to
 * it while the generator runs: rotation by rename (the kubelet) and copytruncate (logrotate).
 */
final class SourceFile {
    private static final DateTimeFormatter ROTATE_SUFFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    final Path file;
    /** Container id, pod name and pod uid of a container source; null for host sources. */
    final String containerId;

    final String podName;
    final String podUid;
    private final Deque<Path> rotated = new ArrayDeque<>();
    private OutputStream out;
    private boolean dirty;

    SourceFile(Path logRoot, String nodeName, LoadGenerator.SourceSpec spec) throws IOException {
        if (spec.format() == LoadGenerator.Format.DOCKER || spec.format() == LoadGenerator.Format.CRI) {
            String suffix = Long.toString(
                            Math.floorMod((long) (nodeName + spec.name()).hashCode(), 60466176L) + 60466176L, 36)
                    .substring(1);
            String pod = spec.pod() + "-" + suffix;
            String uid = UUID.nameUUIDFromBytes((spec.ns() + "/" + pod).getBytes(StandardCharsets.UTF_8))
                    .toString();
            containerId = LoadGenerator.sha256Hex(nodeName + "/" + spec.ns() + "/" + pod + "/" + spec.name());
            podName = pod;
            podUid = uid;
            file = logRoot.resolve("pods")
                    .resolve(spec.ns() + "_" + pod + "_" + uid)
                    .resolve(spec.name())
                    .resolve("0.log");
            Path link = logRoot.resolve("containers")
                    .resolve(pod + "_" + spec.ns() + "_" + spec.name() + "-" + containerId + ".log");
            Files.createDirectories(file.getParent());
            Files.createDirectories(link.getParent());
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, file.toAbsolutePath());
            }
        } else {
            containerId = null;
            podName = null;
            podUid = null;
            file = spec.format() == LoadGenerator.Format.JOURNAL
                    ? logRoot.resolve("journal").resolve("journal.jsonl")
                    : logRoot.resolve(spec.name());
        }
        Files.createDirectories(file.getParent());
        out = open(file);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        dirty = true;
    }

    /** Flushes what was written since the last flush, if anything. */
    void flush() throws IOException {
        if (dirty) {
            out.flush();
            dirty = false;
        }
    }

    /**
     * Renames the file to {@code 0.log.<time>-<n>-<rotation>} and reopens it, keeping the newest {@code kept}
     * rotated files, as the kubelet rotates container logs.
     */
    void rotateByRename(long tickMillis, long rotation, int kept) throws IOException {
        out.close();
        Path to = file.resolveSibling("0.log." + ROTATE_SUFFIX.format(Instant.ofEpochMilli(tickMillis)) + "-"
                + rotated.size() + "-" + rotation);
        Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
        rotated.addLast(to);
        while (rotated.size() > kept) {
            Files.deleteIfExists(rotated.removeFirst());
        }
        out = open(file);
    }

    /** Copies the file to {@code <name>.1} and truncates it in place, as logrotate's copytruncate does. */
    void copytruncate() throws IOException {
        out.flush();
        Files.copy(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    void close() throws IOException {
        out.close();
    }

    private static OutputStream open(Path file) throws IOException {
        return new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024);
    }
}
