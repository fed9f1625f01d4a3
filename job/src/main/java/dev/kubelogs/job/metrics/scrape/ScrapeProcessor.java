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
 * ({@link SeriesGrouping}). Without {@code metric_relabel_configs} and label limits nothing needs a sample's merged
 * labels, so when no sample has a label of a target label's name (the merge renames or hides nothing) the target's
 * labels are added once per group rather than once per sample: the same groups, without a merged label set, a new
 * sample and its hash per sample.
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
        Labels targetLabels = target.labels();
        if (metricRelabeler.isEmpty() && labelLimits.isEmpty() && noneNamesATargetLabel(parsed, targetLabels)) {
            // the merge is then each sample's labels plus the target's, the same for every sample of a group:
            // the grouping adds them once per group instead of once per sample
            checkSampleLimit(parsed.size());
            return SeriesGrouping.group(
                    supported(parsed, drops), targetLabels, scrapeTimeMs, job.honorTimestamps(), drops);
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
        checkSampleLimit(kept.size());
        return SeriesGrouping.group(supported(kept, drops), scrapeTimeMs, job.honorTimestamps(), drops);
    }

    private void checkSampleLimit(int samples) throws ScrapeFailure {
        int limit = job.sampleLimit();
        if (limit > 0 && samples > limit) {
            throw new ScrapeFailure(
                    ScrapeReason.SAMPLE_LIMIT_EXCEEDED,
                    samples + " samples after metric relabeling, sample_limit is " + limit);
        }
    }

    /** The samples of the types the pipeline carries; the others are counted by their drop reason. */
    private static List<Sample> supported(List<Sample> samples, Map<SampleDropReason, Integer> drops) {
        List<Sample> carried = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            SampleDropReason dropped = unsupported(s);
            if (dropped == null) {
                carried.add(s);
            } else {
                drops.merge(dropped, 1, Integer::sum);
            }
        }
        return carried;
    }

    /**
     * Whether no sample has a label (or, with {@code honor_labels: true}, an empty label) of a target label's name.
     * Then {@link TargetLabelMerge} neither renames nor hides anything: a sample's merged labels are its own and the
     * target's side by side, so two samples have the same merged labels exactly when they have the same own labels.
     */
    private boolean noneNamesATargetLabel(List<Sample> samples, Labels targetLabels) {
        Labels checked = null;
        for (Sample s : samples) {
            Labels exposed = s.labels();
            // the parser hands out one instance per label set, and a family's samples often follow each other
            if (exposed != checked && sharesAName(exposed, targetLabels)) {
                return false;
            }
            checked = exposed;
            if (job.honorLabels()) {
                for (String name : s.emptyLabelNames()) {
                    if (targetLabels.has(name)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** One pass over the two sorted name lists. */
    private static boolean sharesAName(Labels a, Labels b) {
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            int cmp = a.name(i).compareTo(b.name(j));
            if (cmp == 0) {
                return true;
            }
            if (cmp < 0) {
                i++;
            } else {
                j++;
            }
        }
        return false;
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
