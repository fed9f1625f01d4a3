package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.config.KubernetesRole;
import dev.kubelogs.job.metrics.config.KubernetesSdConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes service discovery for one scrape job ({@code kubernetes_sd_configs}), producing the label sets of
 * Prometheus' kubernetes_sd for roles pod, service, endpoints, endpointslice, node and ingress, handing each to the target
 * builder and telling the listener the kept targets per source object.
 *
 * <p>Watches come from an {@link InformerHub}: discoveries built on one hub before it starts share one watch per
 * resource kind, namespace and selectors. Memory follows the kept targets: informer stores keep stubs of kept objects
 * only, roles endpoints/endpointslice keep the service and pod labels of their kept objects and look up the rest
 * (see {@link ServiceBackedRole}). Reconnects and relists are fabric8's; a failing watch is counted and logged once
 * per failure spell, and the last known targets stay.
 *
 * <p>Each {@code kubernetes_sd_configs} entry publishes its own targets; the source keys of the second and later
 * entries end in {@code @<index>}, so that two entries seeing one object do not overwrite each other.
 */
public final class KubernetesDiscovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscovery.class);

    private final InformerHub hub;
    private final boolean ownsHub;
    private final List<TargetPublisher> publishers = new ArrayList<>();
    private final List<ServiceBackedRole<?>> serviceBackedRoles = new ArrayList<>();
    private final List<Runnable> subscriptions = new ArrayList<>();

    /** A discovery with watches of its own on {@code client}. */
    public KubernetesDiscovery(
            String jobName,
            List<KubernetesSdConfig> configs,
            KubernetesClient client,
            Function<Labels, ScrapeTarget> targetBuilder,
            TargetListener listener) {
        this(jobName, configs, new InformerHub(client), true, targetBuilder, listener);
    }

    /** A discovery sharing the watches of {@code hub} with the other discoveries built on it before it starts. */
    public KubernetesDiscovery(
            String jobName,
            List<KubernetesSdConfig> configs,
            InformerHub hub,
            Function<Labels, ScrapeTarget> targetBuilder,
            TargetListener listener) {
        this(jobName, configs, hub, false, targetBuilder, listener);
    }

    private KubernetesDiscovery(
            String jobName,
            List<KubernetesSdConfig> configs,
            InformerHub hub,
            boolean ownsHub,
            Function<Labels, ScrapeTarget> targetBuilder,
            TargetListener listener) {
        this.hub = hub;
        this.ownsHub = ownsHub;
        for (int i = 0; i < configs.size(); i++) {
            KubernetesSdConfig config = configs.get(i);
            String where = "scrape job " + jobName + ": kubernetes_sd_configs[" + i + "]";
            check(config, where, hub.client());
            String suffix = i == 0 ? "" : "@" + i;
            TargetListener entryListener = suffix.isEmpty()
                    ? listener
                    : (job, source, targets) -> listener.targetsChanged(job, source + suffix, targets);
            TargetPublisher publisher = new TargetPublisher(jobName, targetBuilder, entryListener);
            publishers.add(publisher);
            subscribe(config, namespaces(config, hub.client()), publisher);
        }
    }

    /**
     * Starts the hub's watches that are not running yet; targets then arrive on fabric8's threads. Waits up to a
     * minute for the first list of the services and pods that roles endpoints/endpointslice look up.
     */
    public void start() {
        hub.start();
    }

    /** Whether all watches of the hub have listed and are watching (false while one is failing). */
    public boolean watching() {
        return hub.watching();
    }

    /** The kept targets now, of every source. */
    public List<ScrapeTarget> targets() {
        List<ScrapeTarget> all = new ArrayList<>();
        publishers.forEach(p -> all.addAll(p.all()));
        return all;
    }

    /**
     * What this discovery holds: sources with kept targets, kept endpoints/endpointslice objects and the service and
     * pod labels kept for them. It follows the kept targets, not the objects in the cluster.
     */
    public int retainedObjects() {
        int n = 0;
        for (TargetPublisher p : publishers) {
            n += p.sources();
        }
        for (ServiceBackedRole<?> r : serviceBackedRoles) {
            n += r.retainedObjects();
        }
        return n;
    }

    /** Label sets the target builder rejected. */
    public long invalidTargets() {
        return publishers.stream().mapToLong(TargetPublisher::invalidTargets).sum();
    }

    /** Service and pod reads done for roles endpoints/endpointslice, and how many of them failed. */
    public long lookups() {
        return serviceBackedRoles.stream().mapToLong(ServiceBackedRole::lookups).sum();
    }

    public long lookupErrors() {
        return serviceBackedRoles.stream()
                .mapToLong(ServiceBackedRole::lookupErrors)
                .sum();
    }

    /** List/watch errors of the hub this discovery watches through. */
    public long watchErrors() {
        return hub.watchErrors();
    }

    /** Gauges of the numbers above, for the scrape source's metric group. */
    public void registerMetrics(MetricGroup group) {
        group.gauge("discoveryRetainedObjects", this::retainedObjects);
        group.gauge("discoveryInformerStoredObjects", hub::storedObjects);
        group.gauge("discoveryTargets", () -> targets().size());
        group.gauge("discoveryInvalidTargets", this::invalidTargets);
        group.gauge("discoveryWatchErrors", this::watchErrors);
        group.gauge("discoveryLookups", this::lookups);
        group.gauge("discoveryLookupErrors", this::lookupErrors);
    }

    @Override
    public void close() {
        subscriptions.forEach(Runnable::run);
        subscriptions.clear();
        if (ownsHub) {
            hub.close();
        }
    }

    private void subscribe(KubernetesSdConfig config, List<String> namespaces, TargetPublisher publisher) {
        String labels = blankToNull(config.labelSelector());
        String fields = blankToNull(config.fieldSelector());
        KubernetesClient client = hub.client();
        switch (config.role()) {
            case POD -> {
                ObjectRole<Pod> role = new ObjectRole<>("pod/", KubernetesLabelSets::pod, publisher);
                namespaces.forEach(ns -> watch(Pod.class, ns, labels, fields, role));
            }
            case SERVICE -> {
                ObjectRole<Service> role = new ObjectRole<>("svc/", KubernetesLabelSets::service, publisher);
                namespaces.forEach(ns -> watch(Service.class, ns, labels, fields, role));
            }
            case NODE ->
                watch(
                        Node.class,
                        null,
                        labels,
                        fields,
                        new ObjectRole<Node>("node/", KubernetesLabelSets::node, publisher));
            case INGRESS -> {
                ObjectRole<Ingress> role = new ObjectRole<>("ingress/", KubernetesLabelSets::ingress, publisher);
                namespaces.forEach(ns -> watch(Ingress.class, ns, labels, fields, role));
            }
            case ENDPOINTS ->
                watchServiceBacked(
                        new EndpointsRole(publisher, client, labels, fields),
                        Endpoints.class,
                        namespaces,
                        labels,
                        fields);
            case ENDPOINTSLICE ->
                watchServiceBacked(
                        new EndpointSliceRole(publisher, client, labels, fields),
                        EndpointSlice.class,
                        namespaces,
                        labels,
                        fields);
            default -> throw new IllegalArgumentException("unknown role " + config.role());
        }
    }

    /** Roles endpoints/endpointslice: their objects, with the role's selectors, and the services and pods. */
    private <T extends HasMetadata> void watchServiceBacked(
            ServiceBackedRole<T> role, Class<T> type, List<String> namespaces, String labels, String fields) {
        serviceBackedRoles.add(role);
        for (String ns : namespaces) {
            lookedUp(Service.class, ns, role.serviceSubscriber());
            lookedUp(Pod.class, ns, role.podSubscriber());
            watch(type, ns, labels, fields, role.mainSubscriber());
        }
    }

    private <T extends HasMetadata> void watch(
            Class<T> type, String namespace, String labels, String fields, ObjectSubscriber<T> subscriber) {
        subscriptions.add(hub.subscribe(new InformerKey<>(type, namespace, labels, fields), subscriber, false));
    }

    /** Services and pods of roles endpoints/endpointslice: watched unfiltered, as Prometheus does. */
    private <T extends HasMetadata> void lookedUp(Class<T> type, String namespace, ObjectSubscriber<T> subscriber) {
        subscriptions.add(hub.subscribe(new InformerKey<>(type, namespace, null, null), subscriber, true));
    }

    /** The namespaces to watch, null standing for all (as Prometheus: names, plus the own one if asked). */
    private static List<String> namespaces(KubernetesSdConfig config, KubernetesClient client) {
        List<String> names = new ArrayList<>(config.namespaces() == null ? List.of() : config.namespaces());
        if (config.ownNamespace()) {
            names.add(client.getNamespace());
        }
        if (names.isEmpty()) {
            names.add(null);
        }
        return names.stream().distinct().toList();
    }

    private static void check(KubernetesSdConfig config, String where, KubernetesClient client) {
        if (config.role() == null) {
            throw new IllegalArgumentException(where + ".role is missing");
        }
        if (config.ownNamespace()
                && (client.getNamespace() == null || client.getNamespace().isBlank())) {
            throw new IllegalArgumentException(where + ".namespaces.own_namespace: the Kubernetes client has no"
                    + " namespace of its own (not running in a pod?)");
        }
        if (config.apiServer() != null && !sameServer(config.apiServer(), client)) {
            throw new IllegalArgumentException(where + ".api_server " + config.apiServer()
                    + " is not supported: discovery uses the job's Kubernetes client, which talks to "
                    + client.getMasterUrl());
        }
        if (config.role() == KubernetesRole.NODE
                && config.namespaces() != null
                && !config.namespaces().isEmpty()) {
            // Prometheus ignores namespaces for nodes too; said here so that nobody expects a filter
            LOG.info("{}: role node is cluster-wide, namespaces are ignored", where);
        }
    }

    private static boolean sameServer(String apiServer, KubernetesClient client) {
        String a = apiServer.endsWith("/") ? apiServer : apiServer + "/";
        String b = client.getMasterUrl().toString();
        return a.equals(b.endsWith("/") ? b : b + "/");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
