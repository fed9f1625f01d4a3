package dev.kubelogs.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * What a demo run leaves in its work dir for {@code --resume}: {@value #FILE} (the lines written per destination,
 * saved once the collectors have sealed the spool, and whether the job delivered everything), and Flink's retained
 * checkpoints, the newest of which a resumed run restores from.
 */
final class DemoRunState {
    static final String FILE = "demo-run.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The saved state: lines written per destination, and whether every one was delivered. */
    record Saved(Map<SampleNode.Destination, Long> written, boolean delivered) {}

    private DemoRunState() {}

    static void save(Path work, Map<SampleNode.Destination, Long> written, boolean delivered) throws IOException {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("written", written);
        state.put("delivered", delivered);
        Path tmp = work.resolve(FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
        Files.move(
                tmp,
                work.resolve(FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The state an earlier run saved; a clear error naming --resume if it saved none. */
    static Saved load(Path work, CommandLine cmd) throws IOException {
        Path file = work.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(
                    cmd,
                    "--resume: " + work + " holds no " + FILE
                            + ", so the earlier run did not get as far as sealing its spool; run without --resume to start "
                            + "afresh");
        }
        Map<String, Object> state = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
        Map<SampleNode.Destination, Long> written = new EnumMap<>(SampleNode.Destination.class);
        @SuppressWarnings("unchecked")
        Map<String, Number> w = (Map<String, Number>) state.getOrDefault("written", Map.of());
        w.forEach((d, n) -> written.put(SampleNode.Destination.valueOf(d), n.longValue()));
        return new Saved(written, Boolean.TRUE.equals(state.get("delivered")));
    }

    /** The newest retained checkpoint ({@code <jobId>/chk-N} with a {@code _metadata}) under {@code checkpoints}. */
    static Optional<Path> latestCheckpoint(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(
                checkpoints,
                3,
                (p, a) -> a.isRegularFile()
                        && p.getFileName().toString().equals("_metadata")
                        && p.getParent().getFileName().toString().matches("chk-\\d+"))) {
            return files.max(Comparator.comparing(DemoRunState::modified)).map(Path::getParent);
        }
    }

    /** "N files, X MB": what the spool holds. */
    static String describeSpool(Path spool) throws IOException {
        long files = 0;
        long bytes = 0;
        if (Files.isDirectory(spool)) {
            try (Stream<Path> all = Files.walk(spool)) {
                for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                    files++;
                    bytes += Files.size(p);
                }
            }
        }
        return String.format(Locale.ROOT, "%,d files, %.1f MB", files, bytes / 1e6);
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
