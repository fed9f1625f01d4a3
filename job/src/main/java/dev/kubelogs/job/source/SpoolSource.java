package dev.kubelogs.job.source;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SupportsSplitReassignmentOnRecovery;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.impl.FileSourceReader;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/**
 * Reads the collectors' spool ({@code <root>/<cluster>/<node>/<seq>.seg}, local or any Flink file
 * system such as s3://) with flink-connector-files' reader and split type, but its own enumerator:
 * FileSource's continuous mode remembers every path it ever saw, this one remembers one number per node.
 *
 * <p>Unless nodes are spread over readers, reader i reads only the nodes whose key group the keyed stage's subtask i
 * owns ({@link NodeOwnership}), so the job chains that stage to the source. Readers hand what they held at a restored
 * checkpoint back to the enumerator ({@link SupportsSplitReassignmentOnRecovery}), which keeps that true after a
 * change of parallelism.
 */
public final class SpoolSource
        implements Source<SpoolRecord, FileSourceSplit, SpoolEnumeratorState>,
                ResultTypeQueryable<SpoolRecord>,
                SupportsSplitReassignmentOnRecovery {
    private static final long serialVersionUID = 1L;

    /**
     * Segments a reader gets in one assignment: a node rolls a segment about every second at 5,000 lines/s and discovery
     * runs every few seconds, so a batch holds what a discovery found; 16 bounds what a reader holds, and checkpoints in
     * its state, while it catches up.
     */
    static final int SEGMENTS_PER_ASSIGNMENT = 16;

    private final String root;
    private final DiscoveryTiming discovery;
    private final boolean boundedUntilSealed;
    private final boolean deleteConsumed;
    private final NodeOwnership ownership;
    /** Non-null: discovery lists the S3 spool in one pass with these settings, instead of directory by directory. */
    private final S3ListingSettings s3Listing;
    /** Non-null: checkpoints less often while the spool is quiet. */
    private final QuietSpool quietSpool;

    private SpoolSource(
            String root,
            DiscoveryTiming discovery,
            boolean boundedUntilSealed,
            boolean deleteConsumed,
            NodeOwnership ownership,
            S3ListingSettings s3Listing,
            QuietSpool quietSpool) {
        this.root = root;
        this.discovery = discovery;
        this.boundedUntilSealed = boundedUntilSealed;
        this.deleteConsumed = deleteConsumed;
        this.ownership = ownership;
        this.s3Listing = s3Listing;
        this.quietSpool = quietSpool;
    }

    /**
     * @param root the spool root, e.g. {@code file:///var/kubelogs/spool} or {@code s3://bucket/spool}
     * @param discoveryInterval how often new segments are looked for
     * @param boundedUntilSealed end once every node directory carries a {@code sealed} marker and all its
     *     segments were read (demo and tests); otherwise run forever
     * @param deleteConsumed delete segments once a completed checkpoint covers them
     */
    public static SpoolSource of(
            String root, Duration discoveryInterval, boolean boundedUntilSealed, boolean deleteConsumed) {
        return new SpoolSource(
                root,
                new DiscoveryTiming(discoveryInterval, null, Duration.ZERO),
                boundedUntilSealed,
                deleteConsumed,
                NodeOwnership.byKeyGroup(KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
                null,
                null);
    }

    /** The same source, but any reader may take any node's next segment (see {@link SpoolSplitEnumerator}). */
    public SpoolSource spreadingNodesOverReaders() {
        return new SpoolSource(
                root, discovery, boundedUntilSealed, deleteConsumed, NodeOwnership.anyReader(), s3Listing, quietSpool);
    }

    /**
     * The same source with each node read beside the keyed stage's subtask that owns its key group, when that stage has
     * {@code maxParallelism} key groups; a source spreading nodes over readers stays as it is.
     */
    public SpoolSource alignedWithKeyGroups(int maxParallelism) {
        if (!ownership.alignedWithKeyGroups()) {
            return this;
        }
        return new SpoolSource(
                root,
                discovery,
                boundedUntilSealed,
                deleteConsumed,
                NodeOwnership.byKeyGroup(maxParallelism),
                s3Listing,
                quietSpool);
    }

    /** Whether each node is read by the one reader beside the keyed subtask that owns it (see {@link NodeOwnership}). */
    public boolean readsNodesBesideTheirKeyGroup() {
        return ownership.alignedWithKeyGroups();
    }

    /** The same source on an {@code s3://} root, discovering segments with one listing of the whole spool. */
    SpoolSource listingS3With(S3ListingSettings settings) {
        return new SpoolSource(root, discovery, boundedUntilSealed, deleteConsumed, ownership, settings, quietSpool);
    }

    /**
     * The same source asking Flink for checkpoints every {@code quietInterval} instead of every {@code interval} while
     * discovery finds less than {@code belowBytesPerSecond} of new segments (see {@link SpoolPace}, {@link QuietSpool}).
     */
    public SpoolSource checkpointingLessWhenQuiet(long belowBytesPerSecond, Duration interval, Duration quietInterval) {
        return checkpointingLessWhenQuiet(belowBytesPerSecond, interval, quietInterval, SpoolPace.WINDOW);
    }

    /** The same, quiet after a whole {@code window} below the rate, busy again after half of one at 1.5 times it. */
    public SpoolSource checkpointingLessWhenQuiet(
            long belowBytesPerSecond, Duration interval, Duration quietInterval, Duration window) {
        return new SpoolSource(
                root,
                discovery,
                boundedUntilSealed,
                deleteConsumed,
                ownership,
                s3Listing,
                new QuietSpool(belowBytesPerSecond, interval, quietInterval, window));
    }

    /**
     * The same source discovering {@code lead} before each checkpoint trigger, checkpoints being triggered every {@code
     * interval} (see {@link DiscoverySchedule}).
     */
    public SpoolSource discoveringBeforeCheckpoints(Duration interval, Duration lead) {
        return new SpoolSource(
                root,
                new DiscoveryTiming(discovery.interval(), interval, lead),
                boundedUntilSealed,
                deleteConsumed,
                ownership,
                s3Listing,
                quietSpool);
    }

    /** When its enumerator asks for the longer checkpoint interval; null: never. */
    QuietSpool quietSpool() {
        return quietSpool;
    }

    /** What decides when this source's enumerator discovers. */
    DiscoverySchedule discoverySchedule() {
        return discovery.checkpointInterval() == null
                ? DiscoverySchedule.every(discovery.interval())
                : DiscoverySchedule.beforeCheckpoints(
                        discovery.interval(), discovery.checkpointInterval(), discovery.lead());
    }

    /** Discovery every {@code interval}; a {@code lead} before each trigger of checkpoints that far apart, if known. */
    private record DiscoveryTiming(Duration interval, Duration checkpointInterval, Duration lead)
            implements Serializable {}

    @Override
    public Boundedness getBoundedness() {
        return boundedUntilSealed ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<SpoolRecord, FileSourceSplit> createReader(SourceReaderContext readerContext) {
        SplitRequestsWhenDrained context = new SplitRequestsWhenDrained(readerContext);
        FileSourceReader<SpoolRecord, FileSourceSplit> reader =
                new FileSourceReader<>(context, new SegmentBulkFormat(), new Configuration());
        context.heldSplits(reader::getNumberOfCurrentlyAssignedSplits);
        return reader;
    }

    @Override
    public SplitEnumerator<FileSourceSplit, SpoolEnumeratorState> createEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context) {
        return restoreEnumerator(context, SpoolEnumeratorState.empty());
    }

    @Override
    public SplitEnumerator<FileSourceSplit, SpoolEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, SpoolEnumeratorState state) {
        Path path = new Path(root);
        SpoolListing listing =
                s3Listing == null ? new DirectorySpoolListing(path) : new S3SpoolListing(path, s3Listing.client());
        DiscoverySchedule schedule = discoverySchedule();
        return new SpoolSplitEnumerator(
                context,
                path,
                listing,
                schedule,
                schedule.followsCheckpoints()
                        ? Executors.newSingleThreadScheduledExecutor(new ExecutorThreadFactory("spool-discovery-timer"))
                        : null,
                SpoolSplitEnumerator::monotonicMillis,
                boundedUntilSealed,
                deleteConsumed,
                ownership,
                SEGMENTS_PER_ASSIGNMENT,
                quietSpool,
                state);
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return FileSourceSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<SpoolEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new SpoolEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<SpoolRecord> getProducedType() {
        return recordType();
    }

    /** The type of the records a spool or Kinesis source emits ({@link SpoolRecordStreamType}). */
    public static TypeInformation<SpoolRecord> recordType() {
        return new SpoolRecordStreamType();
    }
}
