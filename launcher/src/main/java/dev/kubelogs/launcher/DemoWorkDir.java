package dev.kubelogs.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The demo's work directory. The demo empties it at start, so it only ever deletes a directory it made
 * itself (one holding {@value #MARKER}); a directory with anything else in it, or one that holds or lies
 * inside the {@code --logs} tree, is refused with an error naming the option.
 */
final class DemoWorkDir {
    static final String MARKER = ".kubelogs-demo-work-dir";

    private DemoWorkDir() {}

    /** Checks {@code workDir} and {@code logs}, empties a work directory an earlier demo made, marks it as ours. */
    static Path prepare(Path workDir, Path logs, CommandLine cmd) throws IOException {
        Path work = workDir.toAbsolutePath().normalize();
        if (logs != null) {
            Path logRoot = logs.toAbsolutePath().normalize();
            if (!Files.isDirectory(logRoot)) {
                throw new CommandLine.ParameterException(cmd, "--logs " + logs + ": no such directory");
            }
            Path realLogs = logRoot.toRealPath();
            Path realWork = Files.exists(work) ? work.toRealPath() : work;
            if (realLogs.startsWith(realWork) || realWork.startsWith(realLogs)) {
                throw new CommandLine.ParameterException(
                        cmd,
                        "--work-dir " + workDir + " and --logs " + logs
                                + " overlap; the work dir is emptied at start and must be outside the log tree");
            }
        }
        if (Files.exists(work, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(work, LinkOption.NOFOLLOW_LINKS)) {
                throw new CommandLine.ParameterException(cmd, "--work-dir " + workDir + " is not a directory");
            }
            if (Files.isRegularFile(work.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
                deleteRecursively(work);
            } else if (!isEmpty(work)) {
                throw new CommandLine.ParameterException(
                        cmd,
                        "--work-dir " + workDir
                                + " holds files an earlier demo did not make; name a new or empty directory (it is emptied at start)");
            }
        }
        Files.createDirectories(work);
        Files.writeString(
                work.resolve(MARKER), "made by ./pipeline demo; emptied by the next demo run with this --work-dir\n");
        return work;
    }

    /** For {@code --resume}: the work directory an earlier demo made, kept as it is. */
    static Path reuse(Path workDir, CommandLine cmd) {
        Path work = workDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(work.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
            throw new CommandLine.ParameterException(
                    cmd,
                    "--resume: --work-dir " + workDir
                            + " is not a directory an earlier demo made; run without --resume to start afresh");
        }
        return work;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Deletes {@code dir} and everything in it; links are removed, never followed. */
    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
