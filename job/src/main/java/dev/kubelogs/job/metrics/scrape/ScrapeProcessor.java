package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.ExpositionFormat;
import dev.kubelogs.job.metrics.parse.ExpositionParseException;
import dev.kubelogs.job.metrics.parse.ExpositionParser;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.relabel.Relabeler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What happens to a scraped body, in Prometheus' order: parse, target labels onto each sample ({@code honor_labels}),
 * {@code metric_relabel_configs} (a rule that removes {@code __name__} fails the scrape, as Prometheus' "missing
 * metric name"), the label limits, {@code sample_limit} (more samples left than the limit fail the whole scrape; a
 * series repeated in the scrape counts each time, as the agent's appender caches no series, so Prometheus'
 * {@code limitAppender} sees every repeat), then the types the pipeline does not carry are dropped and counted, and the rest is grouped
 * ({@link SeriesGrouping}).
 */
final class ScrapeProcessor {
    private static final String NAME = "__name__";

    private final ScrapeConfig job;
    private static final String CREATED = "_created";

    private final Relabeler metricRelabeler;
    private final LabelLimits labelLimits;
    /** The parser keeps caches and is not thread-safe; a reader's scrape threads share this processor. */
    private final ThreadLocal<ExpositionParser> parser = ThreadLocal.withInitial(ExpositionParser::new);

    ScrapeProcessor(ScrapeConfig job) {
        this.job = job;
        this.metricRelabeler =
                new Relabeler(job.metricRelabelConfigs() == null ? List.of() : job.metricRelabelConfigs());
        this.labelLimits =
                new LabelLimits(job.jobName(), job.options() == null ? ScrapeOptions.DEFAULTS : job.options());
    }

    /**
     * @param metadata the target's metadata from its earlier scrapes; this scrape's lines are added
     */
    List<SeriesGroup> process(
            RawBody body,
            ScrapeTarget target,
            TargetMetadata metadata,
            long scrapeTimeMs,
            Map<SampleDropReason, Integer> drops)
            throws ScrapeFailure {
        List<Sample> parsed;
        try {
            ExpositionFormat format = ExpositionFormat.fromContentType(body.contentType());
            parsed = parser.get().parse(body.bytes(), body.length(), format, metadata);
        } catch (ExpositionParseException e) {
            throw new ScrapeFailure(ScrapeReason.PARSE_ERROR, e.getMessage(), e);
        }
        List<Sample> kept = new ArrayList<>(parsed.size());
        for (Sample s : parsed) {
            Sample relabeled = relabel(s, target.labels());
            if (relabeled == null) {
                drops.merge(SampleDropReason.METRIC_RELABEL, 1, Integer::sum);
            } else {
                if (!labelLimits.isEmpty()) {
                    labelLimits.check(relabeled, s.name());
                }
                kept.add(relabeled);
            }
        }
        int limit = job.sampleLimit();
        if (limit > 0 && kept.size() > limit) {
            throw new ScrapeFailure(
                    ScrapeReason.SAMPLE_LIMIT_EXCEEDED,
                    kept.size() + " samples after metric relabeling, sample_limit is " + limit);
        }
        List<Sample> carried = new ArrayList<>(kept.size());
        for (Sample s : kept) {
            SampleDropReason dropped = unsupported(s);
            if (dropped == null) {
                carried.add(s);
            } else {
                drops.merge(dropped, 1, Integer::sum);
            }
        }
        return SeriesGrouping.group(carried, scrapeTimeMs, job.honorTimestamps(), drops);
    }

    /**
     * The sample with the target's labels and metric relabeling applied, or null when a rule dropped it.
     *
     * @throws ScrapeFailure when a rule removed the metric name, which fails the scrape in Prometheus
     */
    private Sample relabel(Sample s, Labels targetLabels) throws ScrapeFailure {
        Labels merged = TargetLabelMerge.merge(s.labels(), s.emptyLabelNames(), targetLabels, job.honorLabels());
        if (metricRelabeler.isEmpty()) {
            return merged == s.labels() ? s : s.withLabels(s.name(), merged);
        }
        Labels result = metricRelabeler.apply(merged.with(NAME, s.name()));
        if (result == null) {
            return null;
        }
        String name = result.get(NAME);
        if (name == null) {
            throw new ScrapeFailure(
                    ScrapeReason.MISSING_METRIC_NAME,
                    "metric_relabel_configs removed the metric name (__name__) of " + s.name() + " " + result);
        }
        return s.withLabels(name, result.without(NAME));
    }

    /** Only OpenMetrics puts {@code <family>_created} into a family; in the text format it is a name of its own. */
    private static boolean isCreatedSample(Sample s) {
        String name = s.name();
        String family = s.family();
        return name.length() == family.length() + CREATED.length() && name.startsWith(family) && name.endsWith(CREATED);
    }

    private static SampleDropReason unsupported(Sample s) {
        switch (s.type()) {
            case COUNTER:
            case SUMMARY:
            case HISTOGRAM:
                return isCreatedSample(s) ? SampleDropReason.CREATED_TIMESTAMP : null;
            case GAUGE:
                return null;
            case INFO:
                return SampleDropReason.INFO;
            case STATESET:
                return SampleDropReason.STATESET;
            case GAUGE_HISTOGRAM:
                return SampleDropReason.GAUGE_HISTOGRAM;
            default:
                return SampleDropReason.UNTYPED;
        }
    }
}
