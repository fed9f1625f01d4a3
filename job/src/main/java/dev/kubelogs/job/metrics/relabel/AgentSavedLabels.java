package dev.kubelogs.job.metrics.relabel;

import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The three labels the CloudWatch agent adds to every scrape so that it can type a sample after the user's rules
 * changed its name, job or address ({@code plugins/inputs/prometheus/start.go}, {@code relabelScrapeConfigs}, for
 * issues #190 and #193): it puts two rules in front of each job's {@code relabel_configs} — {@code replace} from
 * {@code __address__} with regex {@code .*} to the job's name in {@code cwagent_saved_scrape_job}, and with regex
 * {@code (.*)} to {@code $1} in {@code cwagent_saved_scrape_instance} — and one in front of its
 * {@code metric_relabel_configs}: {@code replace} from {@code __name__} with regex {@code (.*)} to {@code $1} in
 * {@code cwagent_saved_scrape_name}. The user's rules run after them and see them as any other label. Its appender
 * reads the three values and deletes exactly these three names before anything is output
 * ({@code metrics_receiver.go} {@code Append}); a copy under another name (a {@code labelmap}) is a label like any
 * other.
 */
public final class AgentSavedLabels {
    public static final String JOB = "cwagent_saved_scrape_job";
    public static final String INSTANCE = "cwagent_saved_scrape_instance";
    public static final String NAME = "cwagent_saved_scrape_name";

    private static final String ADDRESS = "__address__";
    private static final String METRIC_NAME = "__name__";

    private AgentSavedLabels() {}

    /** The job's {@code relabel_configs} as the agent runs them: its two rules, then the job's own. */
    public static List<RelabelConfig> withTargetRules(String jobName, List<RelabelConfig> userRules) {
        List<RelabelConfig> rules = new ArrayList<>(userRules.size() + 2);
        rules.add(replace(ADDRESS, ".*", jobName, JOB));
        rules.add(replace(ADDRESS, "(.*)", "$1", INSTANCE));
        rules.addAll(userRules);
        return rules;
    }

    /**
     * The rule the agent puts in front of every job's {@code metric_relabel_configs}. Its regex matches every name,
     * so its effect is always {@code cwagent_saved_scrape_name} set to the sample's name as exposed.
     */
    public static RelabelConfig metricRule() {
        return replace(METRIC_NAME, "(.*)", "$1", NAME);
    }

    /** Whether {@code name} is one of the three labels the agent deletes before output. */
    public static boolean isSaved(String name) {
        return JOB.equals(name) || INSTANCE.equals(name) || NAME.equals(name);
    }

    private static RelabelConfig replace(String source, String regex, String replacement, String target) {
        return new RelabelConfig(List.of(source), ";", regex, 0, target, replacement, RelabelAction.REPLACE);
    }
}
