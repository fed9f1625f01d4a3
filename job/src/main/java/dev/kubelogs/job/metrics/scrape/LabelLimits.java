package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.relabel.AgentSavedLabels;
import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;

/**
 * Prometheus' {@code verifyLabelLimits}: after metric relabeling, a sample with more labels than {@code label_limit},
 * or a label name or value longer than its limit, fails the whole scrape. The metric name counts as the label
 * {@code __name__}, as in Prometheus; lengths are in bytes of UTF-8, as Go's {@code len}.
 *
 * <p>The CloudWatch agent's saved labels ({@code cwagent_saved_scrape_job}, {@code _instance}, {@code _name}) are
 * labels of the sample at this point: the agent deletes them only in its appender, after the check
 * ({@code metrics_receiver.go} {@code Append}). So those the job's rules left count against {@code label_limit}, a
 * {@code label_name_length_limit} under 29 fails every scrape that has {@code cwagent_saved_scrape_instance}, and the
 * job name, the discovered address and the metric name as exposed are values the value limit applies to.
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

    /**
     * @param s the sample after metric relabeling, the saved labels taken out
     * @param savedJob the value of {@code cwagent_saved_scrape_job} it had then, null if none; the same for the others
     */
    void check(Sample s, String savedJob, String savedInstance, String savedName) throws ScrapeFailure {
        int saved = (savedJob == null ? 0 : 1) + (savedInstance == null ? 0 : 1) + (savedName == null ? 0 : 1);
        int count = s.labels().size() + 1 + saved;
        if (labelLimit > 0 && count > labelLimit) {
            throw new ScrapeFailure(
                    ScrapeReason.LABEL_LIMIT_EXCEEDED,
                    "label_limit exceeded (metric: " + s.name() + ", number of labels: " + count + " with " + saved
                            + " of the agent's saved labels, limit: " + labelLimit + ")");
        }
        check(s.name(), NAME, s.name());
        for (int i = 0; i < s.labels().size(); i++) {
            check(s.name(), s.labels().name(i), s.labels().value(i));
        }
        checkIfPresent(s.name(), AgentSavedLabels.JOB, savedJob);
        checkIfPresent(s.name(), AgentSavedLabels.INSTANCE, savedInstance);
        checkIfPresent(s.name(), AgentSavedLabels.NAME, savedName);
    }

    private void checkIfPresent(String metric, String name, String value) throws ScrapeFailure {
        if (value != null) {
            check(metric, name, value);
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
