package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a file found truncated in place (logrotate's copytruncate): what of its generation had not been read
 * yet is read from the copy left beside it ({@link GenerationCopy}) before the next generation begins; without one
 * it is lost, and counted. Every truncation is counted in {@code truncations}; those with a copy longer than what was
 * read in {@code truncated_tails_recovered} (and the bytes read from it), those without a copy in
 * {@code truncated_tails_lost}; a copy exactly as long as what was read proves nothing was left unread.
 */
final class Truncations {
    private static final Logger LOG = LoggerFactory.getLogger(Truncations.class);

    private final CollectorMetrics metrics;

    Truncations(CollectorMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * {@code f} was found truncated ({@code how}); its generation was read up to its offset and was at least
     * {@code seenSize} long when last looked at. Either its copy is set to be read from ({@code f.copy}), or the next
     * generation begins.
     */
    void truncated(TrackedFile f, long seenSize, String how) {
        metrics.truncations.inc();
        long offset = f.offset;
        GenerationCopy.Search search = GenerationCopy.find(f);
        GenerationCopy copy = search.copy();
        if (copy == null) {
            long unread = Math.max(0, seenSize - offset);
            metrics.truncatedTailsLost.inc();
            metrics.truncatedBytesLost.inc(unread);
            LOG.warn(
                    "{} was truncated in place ({}) at offset {} of generation {}, and no readable copy of that "
                            + "generation is beside it ({}): what was written after offset {} (at least {} bytes) is "
                            + "lost (counted in kubelogs_collector_truncated_tails_lost_total); reading the new content "
                            + "from 0 as generation {}",
                    f,
                    how,
                    offset,
                    f.generation,
                    search.looked(),
                    offset,
                    unread,
                    f.generation + 1);
            f.newGeneration();
            return;
        }
        countUncopied(f, copy, seenSize);
        if (copy.end == offset) {
            copy.close();
            LOG.info(
                    "{} was truncated in place ({}) at offset {} of generation {}; its copy {} ends there: nothing was "
                            + "left unread; reading the new content from 0 as generation {}",
                    f,
                    how,
                    offset,
                    f.generation,
                    copy.path,
                    f.generation + 1);
            f.newGeneration();
            return;
        }
        metrics.truncatedTailsRecovered.inc();
        f.copy = copy;
        LOG.warn(
                "{} was truncated in place ({}) at offset {} of generation {} before it was read to its end: reading "
                        + "the rest ({} bytes) from its copy {}, then the new content from 0 as generation {}",
                f,
                how,
                offset,
                f.generation,
                copy.end - offset,
                copy.path,
                f.generation + 1);
    }

    /** Bytes seen in the file but missing from its copy were written between the copy and the truncation: lost. */
    private void countUncopied(TrackedFile f, GenerationCopy copy, long seenSize) {
        if (seenSize > copy.end) {
            metrics.truncatedBytesLost.inc(seenSize - copy.end);
            LOG.warn(
                    "{}: its copy {} ends at {}, but the file was seen {} bytes long before it was truncated: the {} "
                            + "bytes written between the copy and the truncation are lost (logrotate's copytruncate "
                            + "loses them by design; counted in kubelogs_collector_truncated_bytes_lost_total)",
                    f,
                    copy.path,
                    copy.end,
                    seenSize,
                    seenSize - copy.end);
        }
    }

    /** {@code bytes} more of {@code f}'s generation were read from its copy. */
    void readFromCopy(long bytes) {
        metrics.truncatedBytesRecovered.inc(bytes);
    }

    /**
     * {@code f}'s copy ended early at {@code end} (it shrank, or could not be read on: {@code why}): what it held beyond
     * is lost.
     */
    void copyEndedEarly(TrackedFile f, long end, String why) {
        GenerationCopy copy = f.copy;
        long lost = copy.end - end;
        metrics.truncatedBytesLost.inc(lost);
        LOG.warn(
                "{}: its copy {} could not be read beyond offset {} ({}): the {} bytes after it are lost (counted in "
                        + "kubelogs_collector_truncated_bytes_lost_total)",
                f,
                copy.path,
                end,
                why,
                lost);
        copy.end = end;
    }

    /** {@code f}'s copy is read to its end: its generation is complete, the next one begins. */
    void copyRead(TrackedFile f) {
        GenerationCopy copy = f.copy;
        f.copy = null;
        copy.close();
        LOG.info(
                "{}: generation {} read to its end ({}) from its copy {}; reading the new content from 0 as generation {}",
                f,
                f.generation,
                f.offset,
                copy.path,
                f.generation + 1);
        f.newGeneration();
    }
}
