package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.Sample;
import java.util.List;
import java.util.Objects;

/**
 * Parses one scrape body (Prometheus text format 0.0.4 or OpenMetrics 1.0 text) into samples, accepting and
 * rejecting what Prometheus' {@code model/textparse} does (see {@link PrometheusTextReader},
 * {@link OpenMetricsReader}); a rejected body fails as a whole with an {@link ExpositionParseException}, as a scrape
 * fails in Prometheus. Types come from {@code # TYPE} lines by Prometheus' family rules ({@link FamilyTypes}).
 *
 * <p>It reads the bytes in place (no copy of the body, one pass, linear in its length). Label values are kept as
 * exposed, but for {@code le} after a histogram's {@code # TYPE} line and {@code quantile} after a summary's, which
 * are respelled as OpenMetrics floats ({@code quantile="0"} becomes {@code "0.0"}, {@code le="1e6"} {@code "1e+06"}),
 * as Prometheus 3's parsers do when the scrape loop reads a sample's labels ({@link OpenMetricsFloat}). Two samples
 * with the same
 * name and labels are both returned: deciding about duplicates is the caller's. Names quoted in the UTF-8 style of
 * Prometheus 3 ({@code {"my.metric"}}) are not supported and fail the body.
 *
 * <p>An instance keeps bounded caches of names and label sets across calls (a target's next scrape reuses its
 * label sets); it is not thread-safe: use one per thread.
 */
public final class ExpositionParser {
    private final NameStrings names = new NameStrings();
    private final LabelReader textLabels = new LabelReader(false, names);
    private final LabelReader openMetricsLabels = new LabelReader(true, names);
    /** The collector of the last body parsed whole, whose emptied arrays the next body's collector takes over. */
    private SampleCollector lastCollector;

    /** The samples of {@code body[0, length)} in exposition order, typed by this body's metadata lines alone. */
    public List<Sample> parse(byte[] body, int length, ExpositionFormat format) throws ExpositionParseException {
        return parse(body, length, format, new TargetMetadata());
    }

    /**
     * The samples of {@code body[0, length)} in exposition order, typed by its metadata lines and what the target's
     * earlier scrapes named; the body's lines are added to {@code kept}, even when it fails.
     */
    public List<Sample> parse(byte[] body, int length, ExpositionFormat format, TargetMetadata kept)
            throws ExpositionParseException {
        return parse(body, length, format, kept, null);
    }

    /**
     * As {@link #parse(byte[], int, ExpositionFormat, TargetMetadata)}, reading a body that repeats the target's last
     * one but for its values by its values alone ({@link BodyTemplate}), and keeping a body read in full as the
     * target's template.
     *
     * @param template the target's last body, or null to read in full and keep nothing
     */
    public List<Sample> parse(
            byte[] body, int length, ExpositionFormat format, TargetMetadata kept, BodyTemplate template)
            throws ExpositionParseException {
        if (template != null) {
            BodyTemplate.Repeated repeated = repeat(body, length, format, kept, template);
            if (repeated != null) {
                return repeated.samples();
            }
        }
        return parseInFull(body, length, format, kept, template);
    }

    /**
     * The samples of {@code body[0, length)} as arrays if it repeats {@code template}'s kept body but for its values
     * ({@link BodyTemplate#repeatValues}), typed as {@link #parse} types them; else null, and nothing is changed: then
     * {@link #parseInFull} reads it.
     */
    public BodyTemplate.Repeated repeat(
            byte[] body, int length, ExpositionFormat format, TargetMetadata kept, BodyTemplate template) {
        Objects.checkFromToIndex(0, length, body.length);
        return template.repeatValues(body, length, format == ExpositionFormat.OPENMETRICS_1_0, kept, openMetricsLabels);
    }

    /**
     * As {@link #parse(byte[], int, ExpositionFormat, TargetMetadata)}, keeping the body as the target's template if
     * {@code template} is not null, without trying to read it as a repeat of the template's.
     */
    public List<Sample> parseInFull(
            byte[] body, int length, ExpositionFormat format, TargetMetadata kept, BodyTemplate template)
            throws ExpositionParseException {
        Objects.checkFromToIndex(0, length, body.length);
        boolean openMetrics = format == ExpositionFormat.OPENMETRICS_1_0;
        ByteCursor cursor = new ByteCursor(body, length);
        SampleCollector out = new SampleCollector(openMetrics, length, kept, lastCollector);
        lastCollector = null;
        if (openMetrics) {
            new OpenMetricsReader(cursor, openMetricsLabels, names, out).read();
        } else {
            new PrometheusTextReader(cursor, textLabels, names, out).read();
        }
        if (template != null) {
            out.keepIn(template, body, length);
        }
        List<Sample> samples = out.samples();
        lastCollector = out.isWorthKeeping() ? out : null;
        return samples;
    }
}
