package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At a restart, after the first discovery: a committed file no longer at a discovered path was rotated while nothing
 * was committed (the collector down, or paused at its spool limit). It is read on from its committed offset, and the
 * files rotated in and out after it ({@link RotatedSiblings}) from their head. A committed file that is gone, and
 * rotated files compressed meanwhile, cannot be read: their loss is counted.
 */
final class RestartRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(RestartRecovery.class);

    private final StartPositions positions;
    private final FileOpener opener;
    private final TrackedFiles files;
    private final CollectorMetrics metrics;

    RestartRecovery(StartPositions positions, FileOpener opener, TrackedFiles files, CollectorMetrics metrics) {
        this.positions = positions;
        this.opener = opener;
        this.files = files;
        this.metrics = metrics;
    }

    /** Opens, as rotated files, the committed files the first discovery did not find at their path. */
    void resumeRotated() throws IOException {
        for (CollectorState.FileState fs : positions.unmatched()) {
            FileIdentity id = new FileIdentity(fs.device, fs.inode);
            Path found = fs.realPath == null ? null : id.locate(Path.of(fs.realPath));
            if (found == null) {
                // while this process lived, an open file outlived its deletion; across a restart it does not
                metrics.filesGoneWhileDown.inc();
                LOG.warn(
                        "{} ({}:{}) was deleted while the collector was down; it was committed up to offset {}, and "
                                + "whatever was written after that is lost (counted in "
                                + "kubelogs_collector_files_gone_while_down_total)",
                        fs.path,
                        fs.device,
                        fs.inode,
                        fs.offset);
                positions.forget(id);
                continue;
            }
            TrackedFile f = opener.open(fs.path, found, id, SourceKind.valueOf(fs.kind));
            if (f != null) {
                files.addRotated(f);
                LOG.info("resuming rotated file {} at {} from offset {}", f, found, f.offset);
                if (!found.equals(Path.of(fs.realPath))) {
                    readRotatedAfter(fs, found);
                }
            }
        }
        positions.forgetUnmatched();
    }

    /**
     * Opens, from their head, the files rotated after the committed file {@code fs} (now at {@code found}) while no
     * state was committed: neither the state nor the tailed path knows them. Compressed ones cannot be read: counted.
     */
    private void readRotatedAfter(CollectorState.FileState fs, Path found) throws IOException {
        Path committedPath = Path.of(fs.realPath);
        // a file rotated before the committed one and written in the same clock tick is found too: if it was read, the
        // retired list (or the state) knows it and it resumes where it was let go
        RotatedSiblings.Found siblings = RotatedSiblings.modifiedSince(
                found.getParent(),
                committedPath.getFileName().toString(),
                Files.getLastModifiedTime(found).toMillis());
        for (Path p : siblings.readable()) {
            FileIdentity.Stat st;
            try {
                st = FileIdentity.stat(p);
            } catch (IOException e) {
                continue; // deleted meanwhile
            }
            if (files.isOpen(st.id())) {
                continue;
            }
            TrackedFile f = opener.open(fs.path, p, st.id(), SourceKind.valueOf(fs.kind));
            if (f != null) {
                files.addRotated(f);
                if (f.offset == 0) { // not one let go earlier, which resumes where it was left
                    metrics.filesRotatedWhileDown.inc();
                    LOG.info("{} was rotated in and out after the last commit; reading it from its head", f);
                }
            }
        }
        for (Path p : siblings.compressed()) {
            metrics.filesCompressedWhileDown.inc();
            LOG.warn(
                    "{} was rotated and compressed after the last commit of {}; compressed files are not read, so its "
                            + "lines are lost (counted in kubelogs_collector_files_compressed_while_down_total)",
                    p,
                    fs.path);
        }
    }
}
