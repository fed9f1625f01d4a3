package dev.kubelogs.bench;

import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.discovery.InformerHub;
import dev.kubelogs.job.metrics.discovery.KubernetesDiscovery;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Discovery memory against the number of objects in the cluster (issue 14, #1358 upstream): pods in {@code
 * namespaces} namespaces on fabric8's mock API server (CRUD), {@code kept} of them annotated
 * {@code prometheus.io/scrape: "true"}, discovered by {@link KubernetesDiscovery} with the pod role and the real
 * {@link TargetBuilder} (a {@code keep} rule on that annotation, as the agent's EKS file). Measured: heap used after a
 * full GC once the kept targets arrived, minus the same before the discovery started (the mock server's own copy of
 * the objects is in both), with {@code retainedObjects()} and the informer stores' {@code storedObjects()}; and for
 * contrast a plain fabric8 informer on all pods, as a discovery that stores every object would hold them.
 */
public final class DiscoveryMemoryBench {
    private static final Duration SETTLE = Duration.ofMinutes(2);
    /** The mock server logs every request at INFO through java.util.logging; kept here so the level stays set. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private static final String CONFIG = """
            scrape_configs:
            - job_name: kubernetes-pods
              kubernetes_sd_configs:
              - role: pod
              relabel_configs:
              - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
                action: keep
                regex: true
              - action: labelmap
                regex: __meta_kubernetes_pod_label_(.+)
              - source_labels: [__meta_kubernetes_namespace]
                target_label: Namespace
              - source_labels: [__meta_kubernetes_pod_name]
                target_label: pod_name
            """;

    private DiscoveryMemoryBench() {}

    /** One cluster: {@code namespaces} × {@code podsPerNamespace} pods, {@code kept} of them scraped. */
    public record Case(int namespaces, int podsPerNamespace, int kept) {
        int pods() {
            return namespaces * podsPerNamespace;
        }
    }

    public record Result(
            Case cluster,
            int targets,
            int retainedObjects,
            int storedObjects,
            long discoveryHeapBytes,
            long plainInformerHeapBytes,
            double seconds) {}

    /** The two series of the report: namespaces grow with 10 kept targets; kept targets grow in 1,000 namespaces. */
    public static List<Case> defaultCases(List<Integer> namespaces, int podsPerNamespace, List<Integer> kept) {
        List<Case> cases = new ArrayList<>();
        int most = namespaces.stream().mapToInt(Integer::intValue).max().orElse(0);
        int fewest = kept.stream().mapToInt(Integer::intValue).min().orElse(0);
        namespaces.forEach(n -> cases.add(new Case(n, podsPerNamespace, Math.min(fewest, n * podsPerNamespace))));
        kept.stream()
                .filter(k -> k != fewest && k <= most * podsPerNamespace)
                .forEach(k -> cases.add(new Case(most, podsPerNamespace, k)));
        return cases;
    }

    public static List<Result> run(List<Case> cases, PrintStream out) throws Exception {
        MOCK_LOG.setLevel(Level.SEVERE);
        List<Result> results = new ArrayList<>();
        // one server for all cases: closing one waits 30 s for writes to watches the client already closed
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            if (!cases.isEmpty()) {
                // once unreported: the first discovery in this JVM also pays for one-time caches and class init
                measure(client, cases.get(0));
            }
            out.printf(
                    Locale.ROOT,
                    "  %10s %6s %6s %8s %9s %8s %14s %16s%n",
                    "namespaces",
                    "pods",
                    "kept",
                    "targets",
                    "retained",
                    "stored",
                    "discovery heap",
                    "plain informer");
            for (Case c : cases) {
                Result r = measure(client, c);
                results.add(r);
                out.printf(
                        Locale.ROOT,
                        "  %10d %6d %6d %8d %9d %8d %11.2f MB %13.2f MB   (%.0f s, load %s)%n",
                        c.namespaces(),
                        c.pods(),
                        c.kept(),
                        r.targets(),
                        r.retainedObjects(),
                        r.storedObjects(),
                        r.discoveryHeapBytes() / 1e6,
                        r.plainInformerHeapBytes() / 1e6,
                        r.seconds(),
                        Proc.loadString());
                out.flush();
            }
        } finally {
            Thread stop = new Thread(server::destroy, "bench-mock-server-stop");
            stop.setDaemon(true);
            stop.start();
        }
        return results;
    }

    private static Result measure(KubernetesClient client, Case c) throws Exception {
        long start = System.nanoTime();
        createPods(client, c);
        try {
            ScrapeConfig config = PrometheusConfigParser.parse(CONFIG, "discovery-bench")
                    .scrapeConfigs()
                    .get(0);
            TargetBuilder builder = new TargetBuilder(config);
            Map<String, Integer> targets = new ConcurrentHashMap<>();
            long before = usedHeapAfterGc();
            int retained;
            int stored;
            long discoveryHeap;
            try (InformerHub hub = new InformerHub(client);
                    KubernetesDiscovery d = new KubernetesDiscovery(
                            config.jobName(),
                            config.kubernetesSdConfigs(),
                            hub,
                            builder::build,
                            (job, source, kept) -> {
                                if (kept.isEmpty()) {
                                    targets.remove(source);
                                } else {
                                    targets.put(source, kept.size());
                                }
                            })) {
                d.start();
                await("the kept targets", () -> total(targets) == c.kept() && hub.storedObjects() <= c.kept());
                discoveryHeap = usedHeapAfterGc() - before;
                retained = d.retainedObjects();
                stored = hub.storedObjects();
            }
            long plain = plainInformerHeap(client, c);
            return new Result(
                    c, total(targets), retained, stored, discoveryHeap, plain, (System.nanoTime() - start) / 1e9);
        } finally {
            for (int n = 0; n < c.namespaces(); n++) {
                client.pods().inNamespace(namespace(n)).delete();
            }
        }
    }

    /** Heap a plain informer on all pods holds: what a discovery that stores every object would need. */
    private static long plainInformerHeap(KubernetesClient client, Case c) throws Exception {
        long before = usedHeapAfterGc();
        try (SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().inform()) {
            await("the plain informer's list", () -> informer.getStore().list().size() == c.pods());
            return usedHeapAfterGc() - before;
        }
    }

    private static void createPods(KubernetesClient client, Case c) {
        int every = Math.max(1, c.pods() / Math.max(1, c.kept()));
        int annotated = 0;
        for (int i = 0; i < c.pods(); i++) {
            String ns = namespace(i % c.namespaces());
            PodBuilder pod = new PodBuilder()
                    .withNewMetadata()
                    .withName("app-" + i + "-7d9c6b7f9d-x2m4q")
                    .withNamespace(ns)
                    .withUid("uid-" + i)
                    .addToLabels("app", "app-" + i)
                    .addToLabels("pod-template-hash", "7d9c6b7f9d")
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName("ip-10-0-" + (i % 50) + "-1.ec2.internal")
                    .addNewContainer()
                    .withName("app")
                    .withImage("registry.example/app:1.4.2")
                    .addNewPort()
                    .withName("metrics")
                    .withContainerPort(9100)
                    .withProtocol("TCP")
                    .endPort()
                    .endContainer()
                    .endSpec()
                    .withNewStatus()
                    .withPhase("Running")
                    .withPodIP("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255))
                    .withHostIP("10.1.0." + (i % 50))
                    .endStatus();
            if (i % every == 0 && annotated < c.kept()) {
                pod.editMetadata()
                        .addToAnnotations("prometheus.io/scrape", "true")
                        .endMetadata();
                annotated++;
            }
            client.pods().inNamespace(ns).resource(pod.build()).create();
        }
    }

    private static String namespace(int n) {
        return "team-" + n;
    }

    private static int total(Map<String, Integer> targets) {
        return targets.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
