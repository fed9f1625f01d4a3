package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SupportsSplitReassignmentOnRecovery;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Scrapes Prometheus targets: the enumerator (JobManager) runs discovery and spreads the targets over the readers as
 * splits, one target each ({@link ScrapeSplitEnumerator}); each reader scrapes its targets on their intervals and emits
 * each scrape as one {@link SeriesBatch}, one {@link SeriesGroup} per label set ({@link ScrapeSourceReader}).
 *
 * <p>Readers report their targets to the enumerator after a restore instead of keeping them
 * ({@link SupportsSplitReassignmentOnRecovery}): the enumerator alone decides who scrapes what, so a target is never
 * scraped by two readers after a failover, and a change of parallelism spreads targets evenly again.
 *
 * <p>{@link #getProducedType()} is the batch's own serializer ({@code @TypeInfo} on {@link SeriesBatch}).
 */
public final class ScrapeSource
        implements Source<SeriesBatch, ScrapeTargetSplit, ScrapeEnumeratorState>,
                SupportsSplitReassignmentOnRecovery,
                ResultTypeQueryable<SeriesBatch> {
    private static final long serialVersionUID = 1L;

    private final List<ScrapeConfig> jobs;
    private final TargetDiscoveryFactory discovery;
    private final ScrapeReaderSettings settings;

    /**
     * @param jobs the scrape jobs; every target discovery reports names one of them
     * @param discovery starts target discovery on the JobManager
     * @param settings how readers scrape
     */
    public ScrapeSource(List<ScrapeConfig> jobs, TargetDiscoveryFactory discovery, ScrapeReaderSettings settings) {
        this.jobs = List.copyOf(jobs);
        this.discovery = discovery;
        this.settings = settings;
    }

    @Override
    public Boundedness getBoundedness() {
        return settings.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<SeriesBatch, ScrapeTargetSplit> createReader(SourceReaderContext readerContext) {
        return new ScrapeSourceReader(readerContext, jobs, settings);
    }

    @Override
    public SplitEnumerator<ScrapeTargetSplit, ScrapeEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ScrapeTargetSplit> context) {
        return restoreEnumerator(context, ScrapeEnumeratorState.empty());
    }

    @Override
    public SplitEnumerator<ScrapeTargetSplit, ScrapeEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ScrapeTargetSplit> context, ScrapeEnumeratorState state) {
        Map<String, Integer> targetLimits = new HashMap<>();
        for (ScrapeConfig job : jobs) {
            if (job.options() != null && job.options().targetLimit() > 0) {
                targetLimits.put(job.jobName(), job.options().targetLimit());
            }
        }
        return new ScrapeSplitEnumerator(context, discovery, targetLimits, state, settings.bounded());
    }

    @Override
    public SimpleVersionedSerializer<ScrapeTargetSplit> getSplitSerializer() {
        return ScrapeTargetSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ScrapeEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new ScrapeEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<SeriesBatch> getProducedType() {
        return TypeInformation.of(SeriesBatch.class);
    }
}
