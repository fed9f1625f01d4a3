package dev.kubelogs.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Checkpoint;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class BoundedManifestOptionsTest {
    private static final int FLUSHES = 400;
    /** Each flush writes one of a few keys again, as a checkpoint's flush holds updates of live keys. */
    private static final int KEYS = 8;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadRocksDb() {
        RocksDB.loadLibrary();
    }

    @Test
    void setsTheManifestBoundOnFlinksOptions() {
        List<AutoCloseable> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions()) {
            assertThat(new BoundedManifestOptions().createDBOptions(options, handles))
                    .isSameAs(options)
                    .extracting(DBOptions::maxManifestFileSize)
                    .isEqualTo(BoundedManifestOptions.MAX_MANIFEST_BYTES);
        }
        assertThat(handles).isEmpty();
    }

    @Test
    void aCheckpointAfterManyFlushesCarriesABoundedManifest() throws Exception {
        try (DBOptions db = new BoundedManifestOptions().createDBOptions(new DBOptions(), new ArrayList<>())) {
            long manifest = checkpointManifestAfterFlushes(dir.resolve("bounded"), db.maxManifestFileSize());
            assertThat(manifest).isLessThanOrEqualTo(BoundedManifestOptions.MAX_MANIFEST_BYTES + 1024);
        }
    }

    @Test
    void withoutTheBoundTheManifestGrowsWithEveryFlush() throws Exception {
        try (DBOptions defaults = new DBOptions()) {
            long manifest = checkpointManifestAfterFlushes(dir.resolve("unbounded"), defaults.maxManifestFileSize());
            assertThat(manifest).isGreaterThan(2 * BoundedManifestOptions.MAX_MANIFEST_BYTES);
        }
    }

    @Test
    void theDatabaseReopensWithEveryKeyAfterManyNewManifests() throws Exception {
        Path path = dir.resolve("reopened");
        checkpointManifestAfterFlushes(path, BoundedManifestOptions.MAX_MANIFEST_BYTES);
        try (Options options = new Options().setMaxManifestFileSize(BoundedManifestOptions.MAX_MANIFEST_BYTES);
                RocksDB db = RocksDB.open(options, path.resolve("db").toString())) {
            for (int i = FLUSHES - KEYS; i < FLUSHES; i++) {
                assertThat(db.get(key(i % KEYS))).isEqualTo(value(i));
            }
        }
    }

    /** Writes and flushes {@link #FLUSHES} times, as checkpoints do, then the size of a checkpoint's MANIFEST. */
    private static long checkpointManifestAfterFlushes(Path path, long maxManifestBytes)
            throws RocksDBException, IOException {
        Files.createDirectories(path);
        try (Options options = new Options().setCreateIfMissing(true).setMaxManifestFileSize(maxManifestBytes);
                RocksDB db = RocksDB.open(options, path.resolve("db").toString());
                FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (int i = 0; i < FLUSHES; i++) {
                db.put(key(i % KEYS), value(i));
                db.flush(flush);
            }
            try (Checkpoint checkpoint = Checkpoint.create(db)) {
                checkpoint.createCheckpoint(path.resolve("chk").toString());
            }
        }
        try (Stream<Path> files = Files.list(path.resolve("chk"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("MANIFEST"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    private static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i) {
        return ("value-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
