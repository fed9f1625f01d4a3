package dev.kubelogs.job.metrics.emf;

import dev.kubelogs.job.metrics.config.EmfLimits;
import dev.kubelogs.job.metrics.config.MetricDeclaration;
import dev.kubelogs.job.metrics.relabel.Re2Regex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides which of an event's metrics become CloudWatch metrics, and with which dimension sets, from the
 * {@code emf_processor.metric_declaration} list, with the semantics of the agent's exporter
 * (opentelemetry-collector-contrib {@code exporter/awsemfexporter}, {@code metric_declaration.go} and
 * {@code groupedMetricToCWMeasurementsWithFilters} in {@code metric_translator.go}):
 *
 * <ul>
 *   <li>a declaration applies to an event when it has no {@code source_labels} (the agent passes no label matcher
 *       then), or when its {@code source_labels} values (a missing label counts as "")
 *       joined with the separator ({@code ;} by default) contain a match of {@code label_matcher} (unanchored;
 *       {@code .*} by default), and to a metric of it when the name contains a match of one of its
 *       {@code metric_selectors} (unanchored); both are Go regular expressions ({@link Re2Regex}: {@code $} is the
 *       end of the text, {@code .} excludes only {@code \n}, POSIX classes in brackets);
 *   <li>each dimension set is sorted and its duplicate names removed, and a declaration's duplicate sets are
 *       dropped, when compiled; a set naming a label the event lacks is left out for that event;
 *   <li>a metric gets the union of the remaining sets of every declaration that applies to it, duplicates
 *       removed; a metric left with no set stays a plain field.
 * </ul>
 *
 * <p>Order. Dimension sets come in declaration order, each declaration's sets in the order written, a set already
 * given by an earlier declaration not repeated: the exporter's order exactly (it appends
 * {@code ExtractDimensions} per matching declaration in configuration order and {@code dedupDimensions} keeps
 * first occurrences), so the default memcached declarations give {@code [Service..]}, then
 * {@code [..command,status]}, then {@code [..command]}. Metrics matching the same declarations share one directive
 * (the exporter's grouping key is that list of declarations, so equal dimension lists from different declarations
 * stay separate directives). The exporter ranges over Go maps for the metrics and for the directives, so its order
 * there changes from event to event; here directives come in the order of their first metric, and metrics are in
 * name order, so the
 * same series gives the same bytes every scrape, and a split at 100 metrics cuts at the same names every time.
 *
 * <p>Matching results are cached: the label match per combination of source-label values and the selector match
 * per metric name, each map cleared when it reaches {@value #CACHE_ENTRIES} entries (a bound, not an LRU: the
 * working set of a scrape job is far smaller). Not thread-safe: one per operator instance.
 */
public final class DeclarationMatcher {

    static final int CACHE_ENTRIES = 8192;
    private final Compiled[] declarations;
    /** Every distinct source label name, and per declaration the indexes of its own ones in this array. */
    private final String[] sourceLabelNames;

    private final int words;
    private final Map<ValuesKey, long[]> labelMatches = new HashMap<>();
    private final Map<String, long[]> nameMatches = new HashMap<>();

    public DeclarationMatcher(List<MetricDeclaration> declarations) {
        this.declarations = new Compiled[declarations.size()];
        Map<String, Integer> sourceIndex = new LinkedHashMap<>();
        for (int i = 0; i < declarations.size(); i++) {
            this.declarations[i] = new Compiled(i, declarations.get(i), sourceIndex);
        }
        this.sourceLabelNames = sourceIndex.keySet().toArray(new String[0]);
        this.words = Math.max(1, (declarations.size() + 63) / 64);
    }

    public boolean isEmpty() {
        return declarations.length == 0;
    }

    /**
     * The directives for an event with these labels and these metric names (sorted, distinct); empty when no
     * metric matched a declaration with a dimension set the event can fill. Metrics in no directive are the
     * event's undeclared (plain) fields.
     */
    public List<Directive> match(EventLabels labels, List<String> metricNames) {
        if (declarations.length == 0) {
            return List.of();
        }
        long[] byLabels = labelMatches(labels);
        if (isZero(byLabels)) {
            return List.of();
        }
        List<Directive> directives = new ArrayList<>(2);
        List<long[]> directiveMasks = new ArrayList<>(2);
        List<long[]> masksSeen = new ArrayList<>(2);
        List<List<List<String>>> dimensionsSeen = new ArrayList<>(2);
        long[] both = new long[words];
        for (String name : metricNames) {
            long[] byName = nameMatches(name);
            boolean any = false;
            for (int w = 0; w < words; w++) {
                both[w] = byLabels[w] & byName[w];
                any |= both[w] != 0;
            }
            if (!any) {
                continue;
            }
            List<List<String>> dimensions = null;
            for (int s = 0; s < masksSeen.size(); s++) {
                if (Arrays.equals(masksSeen.get(s), both)) {
                    dimensions = dimensionsSeen.get(s);
                    break;
                }
            }
            if (dimensions == null) {
                dimensions = dimensions(both, labels);
                masksSeen.add(both.clone());
                dimensionsSeen.add(dimensions);
            }
            if (dimensions.isEmpty()) {
                continue;
            }
            // one directive per combination of declarations matched, as the exporter groups them
            Directive directive = null;
            for (int d = 0; d < directives.size(); d++) {
                if (Arrays.equals(directiveMasks.get(d), both)) {
                    directive = directives.get(d);
                    break;
                }
            }
            if (directive == null) {
                directive = new Directive(dimensions, new ArrayList<>(4));
                directives.add(directive);
                directiveMasks.add(both.clone());
            }
            directive.metricNames().add(name);
        }
        return directives;
    }

    private List<List<String>> dimensions(long[] mask, EventLabels labels) {
        List<List<String>> sets = new ArrayList<>(4);
        for (Compiled d : declarations) {
            if ((mask[d.index >>> 6] & (1L << d.index)) == 0) {
                continue;
            }
            for (List<String> set : d.dimensionSets) {
                if (!sets.contains(set) && allPresent(set, labels)) {
                    sets.add(set);
                }
            }
        }
        return sets;
    }

    private static boolean allPresent(List<String> set, EventLabels labels) {
        for (int i = 0; i < set.size(); i++) {
            if (!labels.has(set.get(i))) {
                return false;
            }
        }
        return true;
    }

    private long[] labelMatches(EventLabels labels) {
        String[] values = new String[sourceLabelNames.length];
        for (int i = 0; i < values.length; i++) {
            String v = labels.get(sourceLabelNames[i]);
            values[i] = v == null ? "" : v;
        }
        ValuesKey key = new ValuesKey(values);
        long[] mask = labelMatches.get(key);
        if (mask == null) {
            mask = new long[words];
            StringBuilder joined = new StringBuilder();
            for (Compiled d : declarations) {
                joined.setLength(0);
                for (int s = 0; s < d.sourceIndexes.length; s++) {
                    if (s > 0) {
                        joined.append(d.separator);
                    }
                    joined.append(values[d.sourceIndexes[s]]);
                }
                if (d.labelMatcher == null || d.labelMatcher.matcher(joined).find()) {
                    mask[d.index >>> 6] |= 1L << d.index;
                }
            }
            if (labelMatches.size() >= CACHE_ENTRIES) {
                labelMatches.clear();
            }
            labelMatches.put(key, mask);
        }
        return mask;
    }

    private long[] nameMatches(String name) {
        long[] mask = nameMatches.get(name);
        if (mask == null) {
            mask = new long[words];
            for (Compiled d : declarations) {
                for (Pattern selector : d.selectors) {
                    if (selector.matcher(name).find()) {
                        mask[d.index >>> 6] |= 1L << d.index;
                        break;
                    }
                }
            }
            if (nameMatches.size() >= CACHE_ENTRIES) {
                nameMatches.clear();
            }
            nameMatches.put(name, mask);
        }
        return mask;
    }

    private static boolean isZero(long[] mask) {
        for (long w : mask) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    /** One declaration, validated and compiled. */
    private static final class Compiled {
        final int index;
        final int[] sourceIndexes;
        final String separator;
        final Pattern labelMatcher;
        final Pattern[] selectors;
        final List<List<String>> dimensionSets;

        Compiled(int index, MetricDeclaration d, Map<String, Integer> sourceIndex) {
            this.index = index;
            String where = "metric_declaration[" + index + "]";
            if (d.metricSelectors() == null || d.metricSelectors().isEmpty()) {
                throw new IllegalArgumentException(where + ": metric_selectors is required");
            }
            List<String> sourceLabels = d.sourceLabels() == null ? List.of() : d.sourceLabels();
            sourceIndexes = new int[sourceLabels.size()];
            for (int i = 0; i < sourceIndexes.length; i++) {
                sourceIndexes[i] = sourceIndex.computeIfAbsent(sourceLabels.get(i), k -> sourceIndex.size());
            }
            separator = d.labelSeparator() == null || d.labelSeparator().isEmpty() ? ";" : d.labelSeparator();
            String matcher = d.labelMatcher() == null || d.labelMatcher().isEmpty() ? ".*" : d.labelMatcher();
            // no source labels: the exporter's declaration without a label matcher, which applies to every event
            labelMatcher = sourceIndexes.length == 0 ? null : compile(matcher, where + ".label_matcher");
            selectors = new Pattern[d.metricSelectors().size()];
            for (int i = 0; i < selectors.length; i++) {
                selectors[i] = compile(d.metricSelectors().get(i), where + ".metric_selectors[" + i + "]");
            }
            List<List<String>> sets = new ArrayList<>();
            List<List<String>> written = d.dimensions() == null ? List.of() : d.dimensions();
            for (int i = 0; i < written.size(); i++) {
                if (written.get(i).size() > EmfLimits.MAX_DECLARED_DIMENSIONS) {
                    throw new IllegalArgumentException(where + ".dimensions[" + i + "] names "
                            + written.get(i).size()
                            + " dimensions; the agent's exporter drops sets of more than "
                            + EmfLimits.MAX_DECLARED_DIMENSIONS
                            + " (its file reader drops them with a warning): " + written.get(i));
                }
                List<String> set = List.copyOf(new TreeSet<>(written.get(i)));
                if (!sets.contains(set)) {
                    sets.add(set);
                }
            }
            dimensionSets = List.copyOf(sets);
        }

        /** As Go's {@code regexp.Compile} reads it (the exporter's), for an unanchored {@code find()}. */
        private static Pattern compile(String regex, String where) {
            try {
                return Re2Regex.compile(regex).pattern();
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ": invalid regex '" + regex + "': " + e.getDescription(), e);
            }
        }
    }

    /** Source-label values as a map key. */
    private static final class ValuesKey {
        private final String[] values;
        private final int hash;

        ValuesKey(String[] values) {
            this.values = values;
            this.hash = Arrays.hashCode(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ValuesKey
                    && hash == ((ValuesKey) o).hash
                    && Arrays.equals(values, ((ValuesKey) o).values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
