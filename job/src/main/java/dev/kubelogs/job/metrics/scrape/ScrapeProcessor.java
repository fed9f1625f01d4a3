package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.BodyTemplate;
import dev.kubelogs.job.metrics.parse.ExpositionFormat;
import dev.kubelogs.job.metrics.parse.ExpositionParseException;
import dev.kubelogs.job.metrics.parse.ExpositionParser;
import dev.kubelogs.job.metrics.parse.SavedNameTypes;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.relabel.AgentSavedLabels;
import dev.kubelogs.job.metrics.relabel.Relabeler;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What happens to a scraped body, in Prometheus' order: parse, target labels onto each sample ({@code honor_labels}),
 * {@code metric_relabel_configs} (a rule that removes {@code __name__} fails the scrape, as Prometheus' "missing
 * metric name"), the label limits, {@code sample_limit} (more samples left than the limit fail the whole scrape; a
 * series repeated in the scrape counts each time, as the agent's appender caches no series, so Prometheus'
 * {@code limitAppender} sees every repeat), then the CloudWatch agent's typing, after which the types the pipeline
 * does not carry are dropped and counted, and the rest is grouped ({@link SeriesGrouping}).
 *
 * <p>The agent's saved labels ({@link AgentSavedLabels}) are real labels here as in the agent: the target's
 * {@code cwagent_saved_scrape_job}/{@code _instance} are among its labels, {@code cwagent_saved_scrape_name} is set
 * to the exposed name before the job's {@code metric_relabel_configs} (the effect of the rule the agent puts first,
 * which matches every name), the user's rules see, change, copy or remove them, the label limits count them, and then
 * the three are taken out of each sample, as the agent's appender deletes them. Then, as its
 * {@code metrics_type_handler.go} {@code Handle}: the job and instance of the first sample that has both, else of the
 * target's own labels (Prometheus appends the {@code up} and {@code scrape_*} samples, which carry the target labels
 * and no metric relabeling, to the same batch), must name this target — its job and discovered {@code __address__} —
 * or the agent finds no metadata and drops the whole scrape ({@link SampleDropReason#SAVED_TARGET_NOT_FOUND}); a
 * sample without {@code cwagent_saved_scrape_name} finds no type and is dropped
 * ({@link SampleDropReason#SAVED_NAME_REMOVED}); one whose saved name a rule changed is typed by that name.
 *
 * <p>Without {@code metric_relabel_configs} and label limits nothing needs a sample's merged labels, so when no sample
 * has a label of a target label's or a saved label's name (the merge renames or hides nothing) the saved job and
 * instance of every sample are the target's and its saved name is its exposed name: the metadata check is made once,
 * and the target's labels (without the saved ones) are added once per group rather than once per sample: the same
 * groups, without a merged label set, a new sample and its hash per sample.
 */
final class ScrapeProcessor {
    private static final String NAME = "__name__";
    private static final String CREATED = "_created";

    private final ScrapeConfig job;
    private final Relabeler metricRelabeler;
    private final LabelLimits labelLimits;
    /** The parser keeps caches and is not thread-safe; a reader's scrape threads share this processor. */
    private final ThreadLocal<ExpositionParser> parser = ThreadLocal.withInitial(ExpositionParser::new);

    ScrapeProcessor(ScrapeConfig job) {
        this.job = job;
        this.metricRelabeler =
                new Relabeler(job.metricRelabelConfigs() == null ? List.of() : job.metricRelabelConfigs());
        this.labelLimits = new LabelLimits(job.options() == null ? ScrapeOptions.DEFAULTS : job.options());
    }

    /** A sample after metric relabeling, the saved labels taken out, and their values (null: absent). */
    private record Relabeled(
            Sample sample, String exposedName, String savedJob, String savedInstance, String savedName) {}

    /** The target's labels with and without the saved ones, and the saved values; made once per scrape. */
    private record TargetSide(Labels all, Labels withoutSaved, String savedJob, String savedInstance) {
        static TargetSide of(Labels labels) {
            return new TargetSide(
                    labels,
                    labels.toBuilder()
                            .remove(AgentSavedLabels.JOB)
                            .remove(AgentSavedLabels.INSTANCE)
                            .remove(AgentSavedLabels.NAME)
                            .build(),
                    labels.get(AgentSavedLabels.JOB),
                    labels.get(AgentSavedLabels.INSTANCE));
        }
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
        return process(body, target, metadata, scrapeTimeMs, drops, null);
    }

    /**
     * As {@link #process(RawBody, ScrapeTarget, TargetMetadata, long, Map)}, reusing the layout of the target's last
     * scrape when this one repeats its series ({@link SeriesLayout}), and keeping this one's for the next.
     *
     * @param cache the target's scrape cache, or null to use none
     */
    List<SeriesGroup> process(
            RawBody body,
            ScrapeTarget target,
            TargetMetadata metadata,
            long scrapeTimeMs,
            Map<SampleDropReason, Integer> drops,
            ScrapeCache cache)
            throws ScrapeFailure {
        ExpositionFormat format = ExpositionFormat.fromContentType(body.contentType());
        if (cache == null) {
            List<Sample> parsed = parse(body, format, metadata, null, null);
            return group(parsed, format, target, metadata, scrapeTimeMs, drops, new boolean[1]);
        }
        BodyTemplate template = cache.body();
        SeriesLayout last = cache.layout();
        List<Sample> parsed;
        if (template == null) {
            parsed = parse(body, format, metadata, null, cache);
        } else {
            BodyTemplate.Repeated repeated =
                    parser.get().repeat(body.bytes(), body.length(), format, metadata, template);
            if (repeated != null) {
                // the layout's series are the template's as long as it keeps the body the layout was made from
                boolean layable = !job.honorTimestamps() || !repeated.anyHasATimestamp();
                if (layable
                        && last != null
                        && last.template() == template.generation()
                        && last.matchesRepeat(this, target, repeated)) {
                    return last.apply(repeated.values(), scrapeTimeMs, drops);
                }
                parsed = repeated.samples();
            } else {
                parsed = parse(body, format, metadata, template, cache);
            }
        }
        boolean layable = !job.honorTimestamps() || noneHasATimestamp(parsed);
        if (layable && last != null && last.matches(this, target, parsed)) {
            return last.apply(parsed, scrapeTimeMs, drops);
        }
        cache.keep(null);
        if (!layable) {
            return group(parsed, format, target, metadata, scrapeTimeMs, drops, new boolean[1]);
        }
        Map<SampleDropReason, Integer> probeDrops = new EnumMap<>(SampleDropReason.class);
        boolean[] typedBySavedName = new boolean[1];
        List<SeriesGroup> probed = group(
                SeriesLayout.probes(parsed), format, target, metadata, scrapeTimeMs, probeDrops, typedBySavedName);
        // parsed holds the template's series (read in full and kept, or repeated) unless it keeps none
        long from = template == null ? -1 : template.generation();
        SeriesLayout layout = SeriesLayout.of(this, target, parsed, probed, probeDrops, from);
        if (!typedBySavedName[0]) {
            // a type looked up by a relabeled saved name depends on the target's metadata, which is not in the key
            cache.keep(layout);
        }
        return layout.apply(parsed, scrapeTimeMs, drops);
    }

    /**
     * Reads the body in full, kept in {@code template} if not null; a body that fails drops {@code cache}'s layout.
     */
    private List<Sample> parse(
            RawBody body, ExpositionFormat format, TargetMetadata metadata, BodyTemplate template, ScrapeCache cache)
            throws ScrapeFailure {
        try {
            return parser.get().parseInFull(body.bytes(), body.length(), format, metadata, template);
        } catch (ExpositionParseException e) {
            if (cache != null) {
                cache.keep(null);
            }
            throw new ScrapeFailure(ScrapeReason.PARSE_ERROR, e.getMessage(), e);
        }
    }

    private static boolean noneHasATimestamp(List<Sample> samples) {
        for (Sample s : samples) {
            if (s.hasTimestamp()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Everything after parsing: target labels, relabeling, limits, typing, grouping.
     *
     * @param typedBySavedName set when a sample was typed by a saved name a rule changed
     */
    private List<SeriesGroup> group(
            List<Sample> parsed,
            ExpositionFormat format,
            ScrapeTarget target,
            TargetMetadata metadata,
            long scrapeTimeMs,
            Map<SampleDropReason, Integer> drops,
            boolean[] typedBySavedName)
            throws ScrapeFailure {
        TargetSide targetSide = TargetSide.of(target.labels());
        if (metricRelabeler.isEmpty() && labelLimits.isEmpty() && nothingMergedChanges(parsed, targetSide.all)) {
            checkSampleLimit(parsed.size());
            if (!findsItsMetadata(List.of(), targetSide, target)) {
                if (!parsed.isEmpty()) {
                    drops.merge(SampleDropReason.SAVED_TARGET_NOT_FOUND, parsed.size(), Integer::sum);
                }
                return List.of();
            }
            return SeriesGrouping.group(
                    supported(parsed, drops), targetSide.withoutSaved, scrapeTimeMs, job.honorTimestamps(), drops);
        }
        List<Relabeled> kept = new ArrayList<>(parsed.size());
        for (Sample s : parsed) {
            Relabeled relabeled = relabel(s, targetSide);
            if (relabeled == null) {
                drops.merge(SampleDropReason.METRIC_RELABEL, 1, Integer::sum);
            } else {
                if (!labelLimits.isEmpty()) {
                    labelLimits.check(
                            relabeled.sample, relabeled.savedJob, relabeled.savedInstance, relabeled.savedName);
                }
                kept.add(relabeled);
            }
        }
        checkSampleLimit(kept.size());
        if (!findsItsMetadata(kept, targetSide, target)) {
            if (!kept.isEmpty()) {
                drops.merge(SampleDropReason.SAVED_TARGET_NOT_FOUND, kept.size(), Integer::sum);
            }
            return List.of();
        }
        SavedNameTypes savedNameTypes = null;
        List<Sample> carried = new ArrayList<>(kept.size());
        for (Relabeled r : kept) {
            Sample s = r.sample;
            if (r.savedName == null) {
                drops.merge(SampleDropReason.SAVED_NAME_REMOVED, 1, Integer::sum);
                continue;
            }
            if (!r.savedName.equals(r.exposedName)) {
                if (savedNameTypes == null) {
                    savedNameTypes = new SavedNameTypes(format, metadata);
                    typedBySavedName[0] = true;
                }
                s = new Sample(
                        s.name(),
                        savedNameTypes.familyOf(r.savedName),
                        savedNameTypes.typeOf(r.savedName),
                        s.labels(),
                        s.value(),
                        s.timestampMs(),
                        s.emptyLabelNames());
            }
            SampleDropReason dropped = unsupported(s);
            if (dropped == null) {
                carried.add(s);
            } else {
                drops.merge(dropped, 1, Integer::sum);
            }
        }
        return SeriesGrouping.group(carried, scrapeTimeMs, job.honorTimestamps(), drops);
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
     * Whether no sample has a label (or an empty label) of a target label's or a saved label's name. Then
     * {@link TargetLabelMerge} neither renames nor hides anything: a sample's merged labels are its own and the
     * target's side by side, so two samples have the same merged labels exactly when they have the same own labels.
     */
    private boolean nothingMergedChanges(List<Sample> samples, Labels targetLabels) {
        Labels checked = null;
        for (Sample s : samples) {
            Labels exposed = s.labels();
            // the parser hands out one instance per label set, and a family's samples often follow each other
            if (exposed != checked && (sharesAName(exposed, targetLabels) || namesASavedLabel(exposed))) {
                return false;
            }
            checked = exposed;
            for (String empty : s.emptyLabelNames()) {
                if (AgentSavedLabels.isSaved(empty) || (job.honorLabels() && targetLabels.has(empty))) {
                    return false;
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
     * Whether the agent finds this target's metadata for the scrape: the saved job and instance of the first sample
     * with both, else of the target's labels (those of its {@code up} sample), are this job and the discovered
     * address. The agent would also take another target of that job with that discovered address, whose metadata it
     * then uses; a reader knows only its own targets, so that case is counted as not found. A target restored from a
     * checkpoint that did not keep its discovered address is not checked (discovery replaces it).
     */
    private static boolean findsItsMetadata(List<Relabeled> kept, TargetSide targetSide, ScrapeTarget target) {
        if (target.discoveredAddress() == null) {
            return true;
        }
        String job = targetSide.savedJob;
        String instance = targetSide.savedInstance;
        for (Relabeled r : kept) {
            if (r.savedJob != null && r.savedInstance != null) {
                job = r.savedJob;
                instance = r.savedInstance;
                break;
            }
        }
        return target.jobName().equals(job) && target.discoveredAddress().equals(instance);
    }

    /**
     * The sample with the target's labels and metric relabeling applied and the saved labels taken out, or null when
     * a rule dropped it. Without rules, and without an exposed label of a saved label's name, the target's labels are
     * merged without the saved ones, which is what merging them and taking them out again gives.
     *
     * @throws ScrapeFailure when a rule removed the metric name, which fails the scrape in Prometheus
     */
    private Relabeled relabel(Sample s, TargetSide target) throws ScrapeFailure {
        boolean plain = !namesASavedLabel(s);
        if (metricRelabeler.isEmpty() && plain) {
            Labels merged =
                    TargetLabelMerge.merge(s.labels(), s.emptyLabelNames(), target.withoutSaved, job.honorLabels());
            Sample sample = merged == s.labels() ? s : s.withLabels(s.name(), merged);
            return new Relabeled(sample, s.name(), target.savedJob, target.savedInstance, s.name());
        }
        Labels merged = TargetLabelMerge.merge(s.labels(), s.emptyLabelNames(), target.all, job.honorLabels());
        Labels result = merged.toBuilder()
                .set(NAME, s.name())
                .set(AgentSavedLabels.NAME, s.name())
                .build();
        result = metricRelabeler.apply(result);
        if (result == null) {
            return null;
        }
        String name = result.get(NAME);
        if (name == null) {
            throw new ScrapeFailure(
                    ScrapeReason.MISSING_METRIC_NAME,
                    "metric_relabel_configs removed the metric name (__name__) of " + s.name() + " " + result);
        }
        Labels labels = result.toBuilder()
                .remove(NAME)
                .remove(AgentSavedLabels.JOB)
                .remove(AgentSavedLabels.INSTANCE)
                .remove(AgentSavedLabels.NAME)
                .build();
        return new Relabeled(
                s.withLabels(name, labels),
                s.name(),
                result.get(AgentSavedLabels.JOB),
                result.get(AgentSavedLabels.INSTANCE),
                result.get(AgentSavedLabels.NAME));
    }

    /** Whether the exposition gave the sample a label (or an empty one) named as one of the agent's saved labels. */
    private static boolean namesASavedLabel(Sample s) {
        if (namesASavedLabel(s.labels())) {
            return true;
        }
        for (String empty : s.emptyLabelNames()) {
            if (AgentSavedLabels.isSaved(empty)) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesASavedLabel(Labels l) {
        return l.has(AgentSavedLabels.JOB) || l.has(AgentSavedLabels.INSTANCE) || l.has(AgentSavedLabels.NAME);
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
