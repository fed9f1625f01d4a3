package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.MetricType;
import java.util.HashMap;
import java.util.Map;

/**
 * The families declared by the {@code # TYPE} lines read so far, and the family and type of each sample name.
 *
 * <p>A name belongs to a declared family when it is the family name, or the family name plus a suffix of the
 * family's type (Prometheus' {@code isSeriesPartOfFamily} in {@code model/textparse}): {@code _total} (counter),
 * {@code _bucket}/{@code _sum}/{@code _count} (histogram), {@code _bucket}/{@code _gsum}/{@code _gcount}
 * (gaugehistogram), {@code _sum}/{@code _count} (summary), {@code _info} (info), and in OpenMetrics also
 * {@code _created} for counters, histograms and summaries. Any other name is {@link MetricType#UNTYPED} and its own
 * family.
 *
 * <p>What we chose, against Prometheus' text parsers: as there, a {@code # TYPE} line types only the samples after
 * it (samples before their family's {@code # TYPE} line are untyped), and a second {@code # TYPE} line for a family
 * is no error and types the samples after it. Unlike Prometheus 3's parsers, which apply only the most recent
 * {@code # TYPE} line, a family stays declared after another family's {@code # TYPE} line: real Envoy
 * {@code /stats/prometheus} output interleaves families (a {@code envoy_http_downstream_rq_xx} sample after
 * {@code # TYPE envoy_http_no_route counter}), and the CloudWatch agent, which looks types up per family name in
 * the scrape's metadata, counts those samples as counters; so do we.
 */
final class FamilyTypes {
    private static final String[] SUFFIXES = {
        "_total", "_created", "_bucket", "_sum", "_count", "_gsum", "_gcount", "_info"
    };
    private static final int SMALL_MAP = 64;

    private final boolean openMetrics;
    private final Map<String, MetricType> declared = new HashMap<>();
    /** Names resolved since the last declaration; a declaration can change any of them, so it empties this. */
    private Map<String, String> familyByName = new HashMap<>();

    /** The type of the latest {@code # TYPE} line, whichever family it declared. */
    private MetricType latestDeclared;

    private String lastName;
    private String lastFamily;
    private MetricType lastType;

    FamilyTypes(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    /** A {@code # TYPE} line: from now on, samples of {@code family} have {@code type}. */
    void declare(String family, MetricType type) {
        declared.put(family, type);
        latestDeclared = type;
        // a new map rather than clear() when it grew: clear() costs the table's capacity, every declaration
        familyByName = familyByName.size() > SMALL_MAP ? new HashMap<>() : familyByName;
        familyByName.clear();
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

    /** The family of a sample name: a declared family it belongs to, else the name itself. */
    String familyOf(String name) {
        resolve(name);
        return lastFamily;
    }

    /** The type of a sample name: its declared family's type, else untyped. */
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
        String family = familyByName.get(name);
        if (family == null) {
            family = lookUp(name);
            familyByName.put(name, family);
        }
        lastName = name;
        lastFamily = family;
        MetricType type = declared.get(family);
        lastType = type == null ? MetricType.UNTYPED : type;
    }

    private String lookUp(String name) {
        if (declared.containsKey(name)) {
            return name;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                String base = name.substring(0, name.length() - suffix.length());
                MetricType type = declared.get(base);
                if (type != null && hasSuffix(type, suffix)) {
                    return base;
                }
            }
        }
        return name;
    }

    private boolean hasSuffix(MetricType type, String suffix) {
        boolean created = openMetrics && suffix.equals("_created");
        return switch (type) {
            case COUNTER -> suffix.equals("_total") || created;
            case HISTOGRAM -> suffix.equals("_bucket") || suffix.equals("_sum") || suffix.equals("_count") || created;
            case GAUGE_HISTOGRAM -> suffix.equals("_bucket") || suffix.equals("_gsum") || suffix.equals("_gcount");
            case SUMMARY -> suffix.equals("_sum") || suffix.equals("_count") || created;
            case INFO -> suffix.equals("_info");
            default -> false;
        };
    }
}
