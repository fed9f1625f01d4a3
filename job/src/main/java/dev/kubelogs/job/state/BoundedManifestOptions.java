package dev.kubelogs.job.state;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB options of the job's keyed state backends ({@code state.backend.rocksdb.options-factory}): a bounded
 * MANIFEST.
 *
 * <p>RocksDB appends a record to its MANIFEST at every flush and compaction and starts a new one only when the
 * database opens or the file passes {@code max_manifest_file_size} (1 GiB by default). An incremental checkpoint
 * copies the whole MANIFEST (unlike the SST files, it is not shared between checkpoints), and every checkpoint flushes
 * the column families written since the last, so without a bound each checkpoint carries more bytes for as long as the
 * job runs. A new MANIFEST starts with one record of the live files, a few KB.
 */
public final class BoundedManifestOptions implements RocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    /** Well under the checkpoint's inline threshold, and a new file only every few dozen checkpoints. */
    static final long MAX_MANIFEST_BYTES = 16 * 1024;

    @Override
    public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions.setMaxManifestFileSize(MAX_MANIFEST_BYTES);
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(
            ColumnFamilyOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions;
    }
}
