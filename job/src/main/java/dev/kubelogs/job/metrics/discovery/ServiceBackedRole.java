package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Roles endpoints and endpointslice, whose targets carry their service's and pods' labels, without keeping every
 * service and pod of the cluster: only the objects that yield kept targets are kept, with the compact labels of the
 * services and pods they refer to. The service or pods of any other object are looked up (one GET each) when that
 * object changes, and a service change looks up that service's objects. A pod change reaches the targets of kept
 * objects only: a pod whose own labels change while its endpoints stay as they are does not make its endpoints
 * targets kept before the endpoints or their service next change (or the next relist), where Prometheus, holding
 * every pod, would re-evaluate them at once. An object whose reads failed keeps its last targets and is evaluated
 * again once reads work again, on the role's next event.
 */
abstract class ServiceBackedRole<T extends HasMetadata> {
    private final String sourcePrefix;
    private final TargetPublisher publisher;
    protected final KubernetesClient client;
    /** The role's selectors (null = none), for reading its objects of a service. */
    protected final String labelSelector;

    protected final String fieldSelector;
    private final WatchHealth lookupHealth;
    private final AtomicLong lookups = new AtomicLong();

    private final Map<String, T> kept = new HashMap<>();
    private final Map<String, Refs> refsByKey = new HashMap<>();
    private final Map<String, Set<String>> serviceRefs = new HashMap<>();
    private final Map<String, Labels> services = new HashMap<>();
    private final Map<String, Set<String>> podRefs = new HashMap<>();
    private final Map<String, PodMeta> pods = new HashMap<>();
    private final Map<String, T> failedReads = new LinkedHashMap<>();
    private boolean mainSeen;
    private boolean readsRecovered;

    private record Refs(String service, Set<String> pods) {}

    ServiceBackedRole(
            String sourcePrefix,
            TargetPublisher publisher,
            KubernetesClient client,
            String labelSelector,
            String fieldSelector) {
        this.sourcePrefix = sourcePrefix;
        this.publisher = publisher;
        this.client = client;
        this.labelSelector = labelSelector;
        this.fieldSelector = fieldSelector;
        this.lookupHealth = new WatchHealth("the services and pods of " + sourcePrefix + "*");
    }

    /** {@code namespace/name} of the service the object belongs to, null when none. */
    abstract String serviceKey(T obj);

    abstract List<Labels> labelSets(T obj, Labels service, java.util.function.Function<ObjectReference, PodMeta> pods);

    /** The objects of this role that belong to a service, read from the API with the role's selectors. */
    abstract List<T> findByService(String namespace, String name);

    ObjectSubscriber<T> mainSubscriber() {
        return new ObjectSubscriber<>() {
            @Override
            public boolean upsert(T obj) {
                synchronized (ServiceBackedRole.this) {
                    mainSeen = true;
                    boolean keep = evaluate(obj, null);
                    retryFailedReads();
                    return keep || failedReads.containsKey(key(obj));
                }
            }

            @Override
            public void delete(T obj) {
                synchronized (ServiceBackedRole.this) {
                    String key = key(obj);
                    publisher.remove(sourcePrefix + key);
                    forget(key);
                    failedReads.remove(key);
                }
            }
        };
    }

    ObjectSubscriber<Service> serviceSubscriber() {
        return new ObjectSubscriber<>() {
            @Override
            public boolean upsert(Service svc) {
                synchronized (ServiceBackedRole.this) {
                    String svcKey = key(svc);
                    if (serviceRefs.containsKey(svcKey)) {
                        services.put(svcKey, KubernetesLabelSets.serviceLabels(svc));
                        reevaluate(serviceRefs.get(svcKey));
                    } else if (mainSeen) {
                        // not kept: its objects were dropped, but this change may make them kept
                        List<T> objects = lookup(() -> findByService(
                                svc.getMetadata().getNamespace(),
                                svc.getMetadata().getName()));
                        if (objects != null) {
                            objects.forEach(obj -> evaluate(obj, svc));
                        }
                    }
                    retryFailedReads();
                    return serviceRefs.containsKey(svcKey);
                }
            }

            @Override
            public void delete(Service svc) {
                synchronized (ServiceBackedRole.this) {
                    String svcKey = key(svc);
                    if (services.remove(svcKey) != null) {
                        reevaluate(serviceRefs.get(svcKey));
                    }
                }
            }
        };
    }

    ObjectSubscriber<Pod> podSubscriber() {
        return new ObjectSubscriber<>() {
            @Override
            public boolean upsert(Pod pod) {
                synchronized (ServiceBackedRole.this) {
                    String podKey = key(pod);
                    if (!podRefs.containsKey(podKey)) {
                        return false;
                    }
                    pods.put(podKey, PodMeta.of(pod));
                    reevaluate(podRefs.get(podKey));
                    return podRefs.containsKey(podKey);
                }
            }

            @Override
            public void delete(Pod pod) {
                synchronized (ServiceBackedRole.this) {
                    String podKey = key(pod);
                    if (pods.remove(podKey) != null) {
                        reevaluate(podRefs.get(podKey));
                    }
                }
            }
        };
    }

    /** Kept objects, the service and pod labels kept for them, and objects whose reads failed. */
    synchronized int retainedObjects() {
        return kept.size() + services.size() + pods.size() + failedReads.size();
    }

    /** Once reads work again, evaluates the objects whose reads had failed. */
    private void retryFailedReads() {
        if (!readsRecovered || failedReads.isEmpty()) {
            return;
        }
        readsRecovered = false;
        List<T> retry = List.copyOf(failedReads.values());
        failedReads.clear();
        retry.forEach(obj -> evaluate(obj, null));
    }

    long lookups() {
        return lookups.get();
    }

    long lookupErrors() {
        return lookupHealth.errors();
    }

    private void reevaluate(Set<String> keys) {
        if (keys == null) {
            return;
        }
        for (String key : List.copyOf(keys)) {
            T obj = kept.get(key);
            if (obj != null) {
                evaluate(obj, null);
            }
        }
    }

    /**
     * Publishes the object's targets and keeps it (with its service's and pods' labels) if any is kept.
     *
     * @param changedService the service as just received, instead of looking it up; null to look it up
     * @return whether the object is kept; on a failed lookup its targets stay as they were
     */
    private boolean evaluate(T obj, Service changedService) {
        String key = key(obj);
        String svcKey = serviceKey(obj);
        Labels service;
        if (changedService != null) {
            service = KubernetesLabelSets.serviceLabels(changedService);
        } else {
            Service found = null;
            if (svcKey != null && !serviceRefs.containsKey(svcKey)) {
                found = lookup(() -> getService(svcKey));
                if (found == null && lookupHealth.failing()) {
                    failedReads.put(key, obj);
                    return kept.containsKey(key);
                }
            }
            service = found != null
                    ? KubernetesLabelSets.serviceLabels(found)
                    : svcKey == null ? null : services.get(svcKey);
        }
        Map<String, PodMeta> resolved = new LinkedHashMap<>();
        boolean[] failed = {false};
        List<Labels> sets = labelSets(obj, service, ref -> {
            String podKey = MetaLabels.key(
                    ref.getNamespace() == null ? obj.getMetadata().getNamespace() : ref.getNamespace(), ref.getName());
            if (!resolved.containsKey(podKey)) {
                PodMeta meta = podRefs.containsKey(podKey) ? pods.get(podKey) : lookupPod(podKey, failed);
                resolved.put(podKey, meta);
            }
            return resolved.get(podKey);
        });
        if (failed[0]) {
            failedReads.put(key, obj);
            return kept.containsKey(key);
        }
        failedReads.remove(key);
        boolean hasTargets = publisher.publish(sourcePrefix + key, sets);
        forget(key);
        if (hasTargets) {
            kept.put(key, obj);
            remember(key, svcKey, service, resolved);
        }
        return hasTargets;
    }

    private void remember(String key, String svcKey, Labels service, Map<String, PodMeta> resolved) {
        if (svcKey != null) {
            serviceRefs.computeIfAbsent(svcKey, k -> new HashSet<>()).add(key);
            if (service != null) {
                services.put(svcKey, service);
            }
        }
        resolved.forEach((podKey, meta) -> {
            podRefs.computeIfAbsent(podKey, k -> new HashSet<>()).add(key);
            if (meta != null) {
                pods.put(podKey, meta);
            }
        });
        refsByKey.put(key, new Refs(svcKey, resolved.keySet()));
    }

    private void forget(String key) {
        kept.remove(key);
        Refs refs = refsByKey.remove(key);
        if (refs == null) {
            return;
        }
        if (refs.service() != null) {
            release(serviceRefs, services, refs.service(), key);
        }
        refs.pods().forEach(podKey -> release(podRefs, pods, podKey, key));
    }

    private static void release(Map<String, Set<String>> refs, Map<String, ?> values, String ref, String key) {
        Set<String> keys = refs.get(ref);
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
            refs.remove(ref);
            values.remove(ref);
        }
    }

    private Service getService(String svcKey) {
        String[] nsName = svcKey.split("/", 2);
        return client.services().inNamespace(nsName[0]).withName(nsName[1]).get();
    }

    private PodMeta lookupPod(String podKey, boolean[] failed) {
        String[] nsName = podKey.split("/", 2);
        Pod pod = lookup(
                () -> client.pods().inNamespace(nsName[0]).withName(nsName[1]).get());
        if (pod == null && lookupHealth.failing()) {
            failed[0] = true;
        }
        return pod == null ? null : PodMeta.of(pod);
    }

    /** One API read; null when it failed (counted, logged once per failure spell). */
    private <R> R lookup(java.util.function.Supplier<R> read) {
        lookups.incrementAndGet();
        try {
            R result = read.get();
            readsRecovered |= lookupHealth.listed();
            return result;
        } catch (KubernetesClientException e) {
            lookupHealth.failed(e);
            return null;
        }
    }

    private static String key(HasMetadata obj) {
        return MetaLabels.key(
                obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }
}
