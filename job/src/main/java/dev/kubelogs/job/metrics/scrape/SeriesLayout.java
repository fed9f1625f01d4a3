package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.delta.SeriesGroupKey;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.LayoutGroups;
import dev.kubelogs.job.metrics.model.LayoutRoutes;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.BodyTemplate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * What {@link ScrapeProcessor} made of one scrape's series, without their values: the groups (log stream, labels,
 * type, sample names, upper bounds), for each group field the index of the parsed sample whose value it carries, and
 * the drops counted. Everything the processor does but copying values depends only on the parsed samples' names,
 * families, types, labels and empty label names (in order), the target and the job: a later scrape that parses to
 * the same series in the same order gets its result by copying its values into a copy of the groups, as Prometheus'
 * scrape cache reuses a repeated series' parsed and relabeled labels and parses only its value.
 *
 * <p>Each group's key for the delta stage ({@link SeriesGroupKey}) is derived from its log stream, labels and type
 * alone, which a layout's groups share with its templates: it is hashed once per layout and handed to every scrape's
 * groups, so the router does not hash every group of every scrape again. The groups of a scrape come as
 * {@link LayoutGroups} with the layout's {@link LayoutRoutes}, where the router keeps their split by delta subtask
 * and its encoded constant parts, dropped with the layout.
 *
 * <p>A layout is made by running the processor on the samples with each value replaced by the sample's index
 * ({@link #probes}), so the group fields name their sources by the processor's own rules (duplicates, a repeat whose
 * value wins, relabeling, drops). It holds one scrape's series, so its memory is bounded as a scrape's result is.
 */
final class SeriesLayout {
    private final ScrapeProcessor owner;
    private final ScrapeTarget target;
    private final String[] names;
    private final String[] families;
    private final MetricType[] types;
    private final Labels[] labels;
    private final List<?>[] emptyLabelNames;
    private final SeriesGroup[] templates;
    /** Each template's key for the delta stage, as {@link SeriesGroupKey#of} gives it. */
    private final Tuple2<Long, Long>[] keys;

    private final LayoutRoutes routes = new LayoutRoutes();

    private final int[][] sources;
    private final Map<SampleDropReason, Integer> drops;
    /** The {@link BodyTemplate#generation()} whose series these are, or -1. */
    private final long template;

    private SeriesLayout(
            ScrapeProcessor owner,
            ScrapeTarget target,
            List<Sample> samples,
            SeriesGroup[] templates,
            int[][] sources,
            Map<SampleDropReason, Integer> drops,
            long template) {
        this.owner = owner;
        this.template = template;
        this.target = target;
        int n = samples.size();
        names = new String[n];
        families = new String[n];
        types = new MetricType[n];
        labels = new Labels[n];
        emptyLabelNames = new List<?>[n];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            names[i] = s.name();
            families[i] = s.family();
            types[i] = s.type();
            labels[i] = s.labels();
            emptyLabelNames[i] = s.emptyLabelNames();
        }
        this.templates = templates;
        @SuppressWarnings("unchecked")
        Tuple2<Long, Long>[] hashed = new Tuple2[templates.length];
        for (int g = 0; g < templates.length; g++) {
            hashed[g] = SeriesGroupKey.of(templates[g]);
        }
        this.keys = hashed;
        this.sources = sources;
        this.drops = drops.isEmpty() ? Map.of() : new EnumMap<>(drops);
    }

    /** The samples with each one's value replaced by its index, for the processor's run that makes a layout. */
    static List<Sample> probes(List<Sample> samples) {
        List<Sample> probes = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            probes.add(new Sample(s.name(), s.family(), s.type(), s.labels(), i, s.timestampMs(), s.emptyLabelNames()));
        }
        return probes;
    }

    /**
     * The layout of the processor's result for {@link #probes} of {@code samples}, and the drops it counted. The
     * groups must carry the scrape's time only (no honored sample timestamps).
     */
    static SeriesLayout of(
            ScrapeProcessor owner,
            ScrapeTarget target,
            List<Sample> samples,
            List<SeriesGroup> probed,
            Map<SampleDropReason, Integer> drops) {
        return of(owner, target, samples, probed, drops, -1);
    }

    /**
     * As {@link #of(ScrapeProcessor, ScrapeTarget, List, List, Map)}, for samples whose names, labels and empty label
     * names are those of the target's body template at {@code template} ({@link BodyTemplate#generation()}; -1:
     * none), so that a body repeating it is matched by its families and types alone ({@link #matchesRepeat}).
     */
    static SeriesLayout of(
            ScrapeProcessor owner,
            ScrapeTarget target,
            List<Sample> samples,
            List<SeriesGroup> probed,
            Map<SampleDropReason, Integer> drops,
            long template) {
        SeriesGroup[] templates = new SeriesGroup[probed.size()];
        int[][] sources = new int[probed.size()][];
        for (int g = 0; g < templates.length; g++) {
            SeriesGroup p = probed.get(g);
            if (p.sampleTimestamps != null) {
                throw new IllegalArgumentException("a layout carries no per-sample timestamps");
            }
            templates[g] = new SeriesGroup(p.logStream, p.labels, p.type, 0L, p.names, null, p.upperBounds);
            int[] from = new int[p.values.length];
            for (int j = 0; j < from.length; j++) {
                from[j] = (int) p.values[j];
            }
            sources[g] = from;
        }
        return new SeriesLayout(owner, target, samples, templates, sources, drops, template);
    }

    /** The body template generation whose series this layout holds ({@link BodyTemplate#generation()}), or -1. */
    long template() {
        return template;
    }

    /**
     * Whether {@code samples} of {@code target}, processed by {@code processor}, are the series this layout was made
     * from: the same processor and target, and sample by sample the same name, family, type, labels and empty label
     * names (values and timestamps aside).
     */
    boolean matches(ScrapeProcessor processor, ScrapeTarget scraped, List<Sample> samples) {
        if (processor != owner || samples.size() != names.length || (target != scraped && !target.equals(scraped))) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            Sample s = samples.get(i);
            // the parser hands out one instance per name and label set, so these are mostly identity checks
            if (s.type() != types[i]
                    || !names[i].equals(s.name())
                    || !Objects.equals(families[i], s.family())
                    || !labels[i].equals(s.labels())
                    || !emptyLabelNames[i].equals(s.emptyLabelNames())) {
                return false;
            }
        }
        return true;
    }

    /**
     * As {@link #matches}, for a body that repeated the template this layout was made from ({@link #template()} is its
     * generation): its names, labels and empty label names are then this layout's, sample by sample, so only the
     * families and types, which the target's metadata gives, are compared.
     */
    boolean matchesRepeat(ScrapeProcessor processor, ScrapeTarget scraped, BodyTemplate.Repeated samples) {
        if (template < 0
                || processor != owner
                || samples.size() != names.length
                || (target != scraped && !target.equals(scraped))) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (samples.type(i) != types[i] || !Objects.equals(families[i], samples.family(i))) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #apply(double[], long, Map)}, with the samples' values. */
    List<SeriesGroup> apply(List<Sample> samples, long scrapeTimeMs, Map<SampleDropReason, Integer> dropsOut) {
        double[] values = new double[samples.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = samples.get(i).value();
        }
        return apply(values, scrapeTimeMs, dropsOut);
    }

    /**
     * The groups of a scrape whose samples {@link #matches} this layout, given their values by sample, as
     * {@link LayoutGroups} of this layout: new groups (their names, labels and upper
     * bounds shared with the layout, never written), each field with its source sample's value, stamped with the
     * scrape time, and carrying their key (a tuple of its own per group, so that no two groups share a mutable
     * object); the layout's drops are counted into {@code dropsOut}.
     */
    List<SeriesGroup> apply(double[] sampleValues, long scrapeTimeMs, Map<SampleDropReason, Integer> dropsOut) {
        SeriesGroup[] groups = new SeriesGroup[templates.length];
        for (int g = 0; g < templates.length; g++) {
            SeriesGroup t = templates[g];
            int[] from = sources[g];
            double[] values = new double[from.length];
            for (int j = 0; j < from.length; j++) {
                values[j] = sampleValues[from[j]];
            }
            SeriesGroup group =
                    new SeriesGroup(t.logStream, t.labels, t.type, scrapeTimeMs, t.names, values, t.upperBounds);
            Tuple2<Long, Long> key = keys[g];
            group.seriesKey = new Tuple2<>(key.f0, key.f1);
            groups[g] = group;
        }
        drops.forEach((reason, count) -> dropsOut.merge(reason, count, Integer::sum));
        return new LayoutGroups(groups, routes);
    }
}
