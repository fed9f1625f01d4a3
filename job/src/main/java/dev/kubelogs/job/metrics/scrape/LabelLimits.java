package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;

/**
 * Prometheus' {@code verifyLabelLimits}: after metric relabeling, a sample with more labels than {@code label_limit},
 * or a label name or value longer than its limit, fails the whole scrape. The metric name counts as the label
 * {@code __name__}, as in Prometheus; lengths are in bytes of UTF-8, as Go's {@code len}.
 */
final class LabelLimits {
    private static final String NAME = "__name__";

    private final int labelLimit;
    private final int nameLengthLimit;
    private final int valueLengthLimit;

    LabelLimits(ScrapeOptions options) {
        this.labelLimit = options.labelLimit();
        this.nameLengthLimit = options.labelNameLengthLimit();
        this.valueLengthLimit = options.labelValueLengthLimit();
    }

    boolean isEmpty() {
        return labelLimit <= 0 && nameLengthLimit <= 0 && valueLengthLimit <= 0;
    }

    void check(Sample s) throws ScrapeFailure {
        int count = s.labels().size() + 1;
        if (labelLimit > 0 && count > labelLimit) {
            throw new ScrapeFailure(
                    ScrapeReason.LABEL_LIMIT_EXCEEDED,
                    "label_limit exceeded (metric: " + s.name() + ", number of labels: " + count + ", limit: "
                            + labelLimit + ")");
        }
        check(s.name(), NAME, s.name());
        for (int i = 0; i < s.labels().size(); i++) {
            check(s.name(), s.labels().name(i), s.labels().value(i));
        }
    }

    private void check(String metric, String name, String value) throws ScrapeFailure {
        if (nameLengthLimit > 0 && Utf8.length(name) > nameLengthLimit) {
            throw new ScrapeFailure(
                    ScrapeReason.LABEL_LIMIT_EXCEEDED,
                    "label_name_length_limit exceeded (metric: " + metric + ", label name: " + name + ", limit: "
                            + nameLengthLimit + ")");
        }
        if (valueLengthLimit > 0 && Utf8.length(value) > valueLengthLimit) {
            throw new ScrapeFailure(
                    ScrapeReason.LABEL_LIMIT_EXCEEDED,
                    "label_value_length_limit exceeded (metric: " + metric + ", label name: " + name + ", limit: "
                            + valueLengthLimit + ")");
        }
    }
}
