package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.StaticConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.target.TargetBuildException;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code static_configs} of the scrape jobs as discovery: each entry is one source ({@code static/<index>}, as
 * Prometheus names them) whose addresses, with the entry's labels, go through the job's {@link TargetBuilder}. Reported
 * once at start, then synced; a target the builder rejects is logged with its reason.
 */
public final class StaticTargetDiscoveryFactory implements TargetDiscoveryFactory {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StaticTargetDiscoveryFactory.class);
    private static final String ADDRESS = "__address__";

    private final List<ScrapeConfig> jobs;

    public StaticTargetDiscoveryFactory(List<ScrapeConfig> jobs) {
        this.jobs = List.copyOf(jobs);
    }

    @Override
    public TargetDiscovery start(TargetUpdates updates) {
        for (ScrapeConfig job : jobs) {
            if (job.staticConfigs() == null) {
                continue;
            }
            TargetBuilder builder = new TargetBuilder(job);
            for (int i = 0; i < job.staticConfigs().size(); i++) {
                StaticConfig entry = job.staticConfigs().get(i);
                List<ScrapeTarget> kept = new ArrayList<>(entry.targets().size());
                for (String address : entry.targets()) {
                    Labels discovered = entry.labels().with(ADDRESS, address);
                    try {
                        ScrapeTarget target = builder.build(discovered);
                        if (target != null) {
                            kept.add(target);
                        }
                    } catch (TargetBuildException e) {
                        LOG.warn("Job {}: static target {} is not scraped: {} ({})", job.jobName(), address,
                                e.getMessage(), e.reason());
                    }
                }
                updates.targetsChanged(job.jobName(), "static/" + i, kept);
            }
        }
        updates.synced();
        return () -> {};
    }
}
