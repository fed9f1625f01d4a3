package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;

/**
 * Prometheus' {@code verifyLabelLimits}: after metric relabeling, a sample with more labels than {@code label_limit},
 * or a label name or value longer than its limit, fails the whole scrape. The metric name counts as the label
 * {@code __name__}, as in Prometheus; lengths are in bytes of UTF-8, as Go's {@code len}.
 *
 * <p>The CloudWatch agent checks a sample that has three labels more: it prepends to each job's
 * {@code relabel_configs} two rules that make the target labels {@code cwagent_saved_scrape_job} (the job name) and
 * {@code cwagent_saved_scrape_instance} (the discovered {@code __address__}), and to its
 * {@code metric_relabel_configs} one that copies {@code __name__} into {@code cwagent_saved_scrape_name}
 * ({@code plugins/inputs/prometheus/start.go} {@code relabelScrapeConfigs}); it removes them only in its appender,
 * after the check ({@code metrics_receiver.go} {@code Append}). So they count against {@code label_limit}, a
 * {@code label_name_length_limit} under 29 fails every scrape, and the job name and the metric name as exposed are
 * values the value limit applies to. (The discovered address, which this target no longer knows, is not checked.)
 */
final class LabelLimits {
    private static final String NAME = "__name__";
    static final String SAVED_JOB = "cwagent_saved_scrape_job";
    static final String SAVED_INSTANCE = "cwagent_saved_scrape_instance";
    static final String SAVED_NAME = "cwagent_saved_scrape_name";
    private static final int SAVED_LABELS = 3;

    private final String jobName;
    private final int labelLimit;
    private final int nameLengthLimit;
    private final int valueLengthLimit;

    LabelLimits(String jobName, ScrapeOptions options) {
        this.jobName = jobName;
        this.labelLimit = options.labelLimit();
        this.nameLengthLimit = options.labelNameLengthLimit();
        this.valueLengthLimit = options.labelValueLengthLimit();
    }

    boolean isEmpty() {
        return labelLimit <= 0 && nameLengthLimit <= 0 && valueLengthLimit <= 0;
    }

    /**
     * @param s the sample after metric relabeling
     * @param exposedName its name before metric relabeling, the agent's {@code cwagent_saved_scrape_name}
     */
    void check(Sample s, String exposedName) throws ScrapeFailure {
        int count = s.labels().size() + 1 + SAVED_LABELS;
        if (labelLimit > 0 && count > labelLimit) {
            throw new ScrapeFailure(
                    ScrapeReason.LABEL_LIMIT_EXCEEDED,
                    "label_limit exceeded (metric: " + s.name() + ", number of labels: " + count
                            + " with the agent's three saved labels, limit: " + labelLimit + ")");
        }
        check(s.name(), NAME, s.name());
        for (int i = 0; i < s.labels().size(); i++) {
            check(s.name(), s.labels().name(i), s.labels().value(i));
        }
        check(s.name(), SAVED_JOB, jobName);
        check(s.name(), SAVED_INSTANCE, "");
        check(s.name(), SAVED_NAME, exposedName);
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
