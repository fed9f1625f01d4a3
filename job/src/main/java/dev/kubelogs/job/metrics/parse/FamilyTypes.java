package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.MetricType;
import java.util.HashMap;
import java.util.Map;

/**
 * The metadata of one scrape — the families named on its {@code # TYPE}, {@code # HELP} and {@code # UNIT} lines,
 * over what the target's earlier scrapes named ({@link TargetMetadata}) — and the family and type of each sample name,
 * looked up as the CloudWatch agent looks them up.
 *
 * <p>Prometheus' scrape loop keeps one metadata entry per name written on those lines ({@code scrapeCache.setType},
 * {@code setHelp}, {@code setUnit} in {@code scrape/scrape.go}): a later {@code # TYPE} line for the same name
 * replaces the type, and a name with only {@code # HELP} or {@code # UNIT} is of type unknown. The agent types a
 * sample after the scrape, from that store ({@code plugins/inputs/prometheus/metrics_type_handler.go}): it strips the
 * first of {@code _count}, {@code _sum}, {@code _bucket} the name ends with and looks the rest up; if that is no
 * entry, it looks up the whole name when a suffix was stripped, else the name without {@code _total}. So, unlike
 * Prometheus' own family rule ({@code isSeriesPartOfFamily}), a sample is typed by a {@code # TYPE} line that comes
 * after it, and the last {@code # TYPE} line of a name types all its samples; a name found nowhere (or only as
 * unknown) is {@link MetricType#UNTYPED}, which the agent drops. The agent looks a renamed sample up by its name
 * before {@code metric_relabel_configs}; that is the name read here. (Its choice of the second look-up compares the
 * stripped name with the renamed one, so it does not find a renamed {@code foo_total} of an OpenMetrics counter
 * {@code foo}, and drops it; we find it.)
 *
 * <p>The agent drops an untyped sample without saying more; where Prometheus' family rule puts such a sample into an
 * info, stateset or gaugehistogram family, or it is an OpenMetrics {@code _created} sample of a counter, summary or
 * histogram family, it gets that family and type here, so that the drop is counted by what the sample is. Both are
 * dropped, so the output does not change.
 *
 * <p>The label respelled as a float while reading ({@link #floatLabel()}) goes by the latest {@code # TYPE} line, as
 * in Prometheus 3's parsers: that is the parser's state, not the metadata store's.
 */
final class FamilyTypes {
    private static final String[] HISTOGRAM_SUMMARY_SUFFIXES = {"_count", "_sum", "_bucket"};
    private static final String COUNTER_SUFFIX = "_total";
    private static final String[] FAMILY_SUFFIXES = {"_created", "_gsum", "_gcount", "_info"};

    private final boolean openMetrics;

    /** The target's metadata store: this scrape's lines go into it, and it types the names. */
    private final TargetMetadata kept;

    /** The type of the latest {@code # TYPE} line, whichever family it declared. */
    private MetricType latestDeclared;

    /** Names resolved since the last metadata line; a metadata line can change any of them, so it empties this. */
    private final Map<String, Resolved> resolvedByName = new HashMap<>();

    private record Resolved(String family, MetricType type) {}

    private String lastName;
    private String lastFamily;
    private MetricType lastType;

    FamilyTypes(boolean openMetrics, TargetMetadata kept) {
        this.openMetrics = openMetrics;
        this.kept = kept;
    }

    boolean isOpenMetrics() {
        return openMetrics;
    }

    /** A {@code # TYPE} line: the scrape's samples of {@code family} have {@code type}, unless a later line says else. */
    void declare(String family, MetricType type) {
        kept.typed(family, type);
        latestDeclared = type;
        forgetResolved();
    }

    /**
     * A {@code # HELP} or {@code # UNIT} line: the name has metadata, of type unknown until a {@code # TYPE} line
     * unless the target's store still holds a type for it.
     */
    void describe(String family) {
        kept.described(family);
        forgetResolved();
    }

    /** The type of a metadata name as the agent finds it after the scrape; null if none. */
    private MetricType metadataType(String family) {
        return kept.typeOf(family);
    }

    private void forgetResolved() {
        if (!resolvedByName.isEmpty()) {
            resolvedByName.clear();
        }
        lastName = null;
    }

    /**
     * The label whose value Prometheus 3 respells as a float in the samples that follow ({@link OpenMetricsFloat}):
     * {@code le} after a histogram's {@code # TYPE} line, {@code quantile} after a summary's, else null. As in its
     * parsers, this goes by the latest {@code # TYPE} line, not by the sample's family.
     */
    String floatLabel() {
        if (latestDeclared == MetricType.HISTOGRAM) {
            return "le";
        }
        return latestDeclared == MetricType.SUMMARY ? "quantile" : null;
    }

    /** The family of a sample name: the metadata name its type was found under, else the name itself. */
    String familyOf(String name) {
        resolve(name);
        return lastFamily;
    }

    /** The type of a sample name by the metadata read so far; call it once the whole body is read. */
    MetricType typeOf(String name) {
        resolve(name);
        return lastType;
    }

    // names come from NameStrings, one instance per name: identity is the cheap test for "the same name again"
    @SuppressWarnings("ReferenceEquality")
    private void resolve(String name) {
        if (name == lastName) {
            return;
        }
        Resolved resolved = resolvedByName.get(name);
        if (resolved == null) {
            resolved = lookUp(name);
            resolvedByName.put(name, resolved);
        }
        lastName = name;
        lastFamily = resolved.family;
        lastType = resolved.type;
    }

    private Resolved lookUp(String name) {
        String family = agentLookUp(name);
        MetricType type = family == null ? MetricType.UNTYPED : metadataType(family);
        if (type == MetricType.UNTYPED) {
            family = droppedFamily(name);
            type = family == null ? MetricType.UNTYPED : metadataType(family);
        }
        return new Resolved(family == null ? name : family, type);
    }

    /** The metadata name the agent finds the sample's type under, or null. */
    private String agentLookUp(String name) {
        String stripped = withoutSuffix(name, HISTOGRAM_SUMMARY_SUFFIXES);
        if (metadataType(stripped) != null) {
            return stripped;
        }
        String second = stripped.equals(name) ? withoutSuffix(name, COUNTER_SUFFIX) : name;
        return metadataType(second) != null ? second : null;
    }

    private static String withoutSuffix(String name, String... suffixes) {
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** The family, by Prometheus' rule, of a sample the agent cannot type and drops for what it is; else null. */
    private String droppedFamily(String name) {
        for (String suffix : FAMILY_SUFFIXES) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                String base = name.substring(0, name.length() - suffix.length());
                MetricType type = metadataType(base);
                if (type != null && isDroppedMember(type, suffix)) {
                    return base;
                }
            }
        }
        return null;
    }

    private boolean isDroppedMember(MetricType type, String suffix) {
        boolean created = openMetrics && suffix.equals("_created");
        return switch (type) {
            case COUNTER, HISTOGRAM, SUMMARY -> created;
            case GAUGE_HISTOGRAM -> suffix.equals("_gsum") || suffix.equals("_gcount");
            case INFO -> suffix.equals("_info");
            default -> false;
        };
    }
}
