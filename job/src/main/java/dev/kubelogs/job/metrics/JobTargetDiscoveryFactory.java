package dev.kubelogs.job.metrics;

import dev.kubelogs.job.metrics.config.KubernetesSdConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.discovery.InformerHub;
import dev.kubelogs.job.metrics.discovery.KubernetesDiscovery;
import dev.kubelogs.job.metrics.discovery.StaticDiscovery;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.source.TargetDiscovery;
import dev.kubelogs.job.metrics.source.TargetDiscoveryFactory;
import dev.kubelogs.job.metrics.source.TargetUpdates;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery for all the scrape jobs, on the JobManager: {@code static_configs} as they are, and
 * {@code kubernetes_sd_configs} through one fabric8 client per API server (in-cluster, or the client's usual
 * configuration, unless {@code api_server} names one) whose watches the jobs share: one watch per resource kind,
 * namespace and selectors for the whole job, not one per scrape job. Each discovered label set goes through its job's
 * {@link TargetBuilder}; one it refuses is counted by discovery and logged at most once a minute.
 */
public final class JobTargetDiscoveryFactory implements TargetDiscoveryFactory {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JobTargetDiscoveryFactory.class);

    private final List<ScrapeConfig> jobs;

    public JobTargetDiscoveryFactory(List<ScrapeConfig> jobs) {
        this.jobs = List.copyOf(jobs);
    }

    @Override
    public TargetDiscovery start(TargetUpdates updates) {
        return start(updates, new UnregisteredMetricsGroup());
    }

    /** Also registers each Kubernetes discovery's gauges in {@code metrics}, under its scrape job's name. */
    @Override
    public TargetDiscovery start(TargetUpdates updates, MetricGroup metrics) {
        List<AutoCloseable> running = new ArrayList<>();
        try {
            Map<String, InformerHub> hubs = new LinkedHashMap<>();
            List<KubernetesDiscovery> kubernetes = new ArrayList<>();
            for (ScrapeConfig job : jobs) {
                // a target the builder refuses is counted and logged (once a minute) by discovery itself
                Function<Labels, ScrapeTarget> build = new TargetBuilder(job)::build;
                if (job.staticConfigs() != null && !job.staticConfigs().isEmpty()) {
                    // published once; nothing to stop (its close would take the targets back from the enumerator)
                    new StaticDiscovery(job.jobName(), job.staticConfigs(), build, updates::targetsChanged).start();
                }
                if (job.kubernetesSdConfigs() != null
                        && !job.kubernetesSdConfigs().isEmpty()) {
                    // one client (and one set of watches) per API server
                    String apiServer = apiServer(job.kubernetesSdConfigs());
                    InformerHub hub = hubs.computeIfAbsent(Objects.toString(apiServer, ""), k -> {
                        KubernetesClient client = client(apiServer);
                        running.add(client);
                        InformerHub h = new InformerHub(client);
                        running.add(h);
                        return h;
                    });
                    KubernetesDiscovery discovery = new KubernetesDiscovery(
                            job.jobName(), job.kubernetesSdConfigs(), hub, build, updates::targetsChanged);
                    running.add(discovery);
                    kubernetes.add(discovery);
                    discovery.registerMetrics(metrics.addGroup("job", job.jobName()));
                }
            }
            for (KubernetesDiscovery d : kubernetes) {
                d.start(); // the first start runs the hub's watches and waits for their first lists
            }
            updates.synced();
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
        return () -> closeAll(running);
    }

    private static String apiServer(List<KubernetesSdConfig> configs) {
        String server = configs.get(0).apiServer();
        for (KubernetesSdConfig c : configs) {
            if (!Objects.equals(server, c.apiServer())) {
                throw new IllegalArgumentException("one scrape job's kubernetes_sd_configs name different api_server"
                        + " values (" + server + ", " + c.apiServer() + "); split them into jobs");
            }
        }
        return server;
    }

    private static KubernetesClient client(String apiServer) {
        Config config = apiServer == null
                ? Config.autoConfigure(null)
                : new ConfigBuilder(Config.autoConfigure(null))
                        .withMasterUrl(apiServer)
                        .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static void closeAll(List<AutoCloseable> running) {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("Closing target discovery failed", e);
            }
        }
    }
}
