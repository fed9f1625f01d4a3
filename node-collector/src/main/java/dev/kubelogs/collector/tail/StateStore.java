package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.spool.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable collector state in {@code <stateDir>/<cluster>/<node>/}: {@code state.json} (committed) and
 * {@code pending.json} (written, fsync'd, before a segment is renamed into the spool; adopted on restart only if
 * that segment exists). Both are replaced atomically (temp + fsync + rename + dir fsync); a pending state is
 * committed by renaming it over the committed one.
 */
public final class StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

    private final Path dir;
    private final Path state;
    private final Path pending;

    public StateStore(Path stateDir, String cluster, String node) throws IOException {
        this.dir = stateDir.resolve(cluster).resolve(node);
        Files.createDirectories(dir);
        this.state = dir.resolve("state.json");
        this.pending = dir.resolve("pending.json");
    }

    public Path directory() {
        return dir;
    }

    /** Result of reading a state file. */
    public record Loaded(CollectorState state, String problem) {}

    /** Committed state; null if none. A corrupt file is moved aside and reported as a problem (never fatal). */
    public Loaded loadCommitted() {
        return load(state);
    }

    /** Pending state; null if none. */
    public Loaded loadPending() {
        return load(pending);
    }

    private Loaded load(Path p) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return new Loaded(null, null);
        } catch (IOException e) {
            return new Loaded(null, "cannot read " + p + ": " + e);
        }
        try {
            CollectorState s = StateCodec.read(bytes);
            if (s == null || s.version != 1 || s.files == null) {
                throw new IOException("not a version-1 collector state");
            }
            return new Loaded(s, null);
        } catch (IOException | RuntimeException e) {
            Path aside = p.resolveSibling(p.getFileName() + ".corrupt-" + System.currentTimeMillis());
            try {
                Files.move(p, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveError) {
                LOG.warn("could not move corrupt state file {} aside: {}", p, moveError.toString());
            }
            return new Loaded(
                    null, "corrupt state file " + p + " (moved to " + aside.getFileName() + "): " + e.getMessage());
        }
    }

    public void writePending(CollectorState s) throws IOException {
        Durable.writeAtomically(pending, StateCodec.write(s));
    }

    /** Makes {@code s} the committed state and removes the pending file. */
    public void commit(CollectorState s) throws IOException {
        Durable.writeAtomically(state, StateCodec.write(s));
        deletePending();
    }

    /**
     * Makes the pending state, written by {@link #writePending} and durable, the committed one by renaming it over
     * {@code state.json}: the same outcome as {@link #commit} with that state, without encoding and writing it again.
     */
    public void commitPending() throws IOException {
        Durable.moveAtomically(pending, state);
        Durable.fsyncDirectory(dir);
    }

    public void deletePending() throws IOException {
        if (Files.deleteIfExists(pending)) {
            Durable.fsyncDirectory(dir);
        }
    }
}
