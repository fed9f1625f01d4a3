package dev.kubelogs.job.metrics.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer store that keeps a stub (namespace, name, resourceVersion) only of the objects a subscriber still
 * needs, so that an informer's memory grows with the kept targets, not with the objects in the cluster (#1358).
 *
 * <p>Every object the informer puts is kept until the subscribers have seen it ({@link #settle}): a delete that
 * arrives before its add was handled then still reaches them. Since this store is not a full state, the informer
 * hands every list item and event to its handlers at once, with the full object; an object that is not kept comes
 * back as an add each time it changes. A relist removes the kept stubs that are gone, as deletes.
 */
final class RetainingItemStore<T extends HasMetadata> implements ItemStore<T> {
    private final ConcurrentHashMap<String, T> stubs = new ConcurrentHashMap<>();
    private final Supplier<T> factory;
    private final AtomicLong handedOver = new AtomicLong();

    RetainingItemStore(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        T previous = stubs.put(key, stub(obj));
        String version = obj.getMetadata().getResourceVersion();
        if (previous == null || !Objects.equals(previous.getMetadata().getResourceVersion(), version)) {
            handedOver.incrementAndGet();
        }
        return previous;
    }

    /**
     * Objects put so far that the informer hands to its handlers, each once: not those put again at the version the
     * store holds (a relist, a watch starting over), of which fabric8's informer tells no handler.
     */
    long handedOver() {
        return handedOver.get();
    }

    @Override
    public T remove(String key) {
        return stubs.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return stubs.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return stubs.values().stream();
    }

    @Override
    public int size() {
        return stubs.size();
    }

    @Override
    public T get(String key) {
        return stubs.get(key);
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    /**
     * Called after the subscribers handled {@code obj}: forgets it unless one of them keeps it, and unless a newer
     * version was put meanwhile (that one is still to be handled).
     */
    void settle(T obj, boolean kept) {
        if (kept) {
            return;
        }
        String version = obj.getMetadata().getResourceVersion();
        stubs.computeIfPresent(
                getKey(obj),
                (k, stub) -> Objects.equals(stub.getMetadata().getResourceVersion(), version) ? null : stub);
    }

    private T stub(T obj) {
        T stub = factory.get();
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(obj.getMetadata().getNamespace());
        meta.setName(obj.getMetadata().getName());
        meta.setResourceVersion(obj.getMetadata().getResourceVersion());
        stub.setMetadata(meta);
        return stub;
    }
}
