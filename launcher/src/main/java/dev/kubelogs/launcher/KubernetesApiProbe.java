package dev.kubelogs.launcher;

import dev.kubelogs.job.metrics.config.KubernetesSdConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Asks the API servers a configuration's kubernetes_sd_configs would watch for their version, briefly, before the demo
 * starts: without an answer the job's discovery would find nothing and retry for ever.
 */
final class KubernetesApiProbe {
    private static final int TIMEOUT_MILLIS = 5_000;

    private KubernetesApiProbe() {}

    /** Null if every such API server answers, else which scrape job cannot reach which server, and why. */
    static String firstUnreachable(List<ScrapeConfig> jobs) {
        for (ScrapeConfig job : jobs) {
            List<KubernetesSdConfig> sd = job.kubernetesSdConfigs();
            if (sd == null || sd.isEmpty()) {
                continue;
            }
            Config config = new ConfigBuilder(Config.autoConfigure(null))
                    .withConnectionTimeout(TIMEOUT_MILLIS)
                    .withRequestTimeout(TIMEOUT_MILLIS)
                    .withRequestRetryBackoffLimit(0)
                    .build();
            if (sd.get(0).apiServer() != null) {
                config.setMasterUrl(sd.get(0).apiServer());
            }
            try (KubernetesClient client =
                    new KubernetesClientBuilder().withConfig(config).build()) {
                client.getKubernetesVersion();
            } catch (KubernetesClientException e) {
                if (e.getCode() <= 0) {
                    return "scrape job " + job.jobName() + " uses kubernetes_sd_configs, but no Kubernetes API server "
                            + "answers at " + config.getMasterUrl() + " (" + rootMessage(e) + ")";
                }
                // it answered (perhaps 401/403): reachable; discovery reports what it may not read
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.toString();
    }
}
