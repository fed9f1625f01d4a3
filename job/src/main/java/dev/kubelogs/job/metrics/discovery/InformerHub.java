package dev.kubelogs.job.metrics.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes watches of a whole Flink job: one fabric8 informer per {@link InformerKey}, shared by every scrape
 * job's discovery that subscribed to it before {@link #start()}. (A subscriber that comes after the watch started gets
 * a watch of its own: the shared one keeps no objects to replay to it.) Informer stores keep only what subscribers
 * keep ({@link RetainingItemStore}); reconnects and relists are fabric8's.
 */
public final class InformerHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InformerHub.class);

    private final KubernetesClient client;
    private final List<SharedWatch<?>> watches = new ArrayList<>();

    public InformerHub(KubernetesClient client) {
        this.client = client;
    }

    KubernetesClient client() {
        return client;
    }

    /**
     * Adds {@code subscriber} to the watch of {@code key}; the returned runnable takes it off again.
     *
     * @param lookedUp whether other roles read these objects when theirs change: such watches start, and list,
     *     first, so that the objects listed before the others' need no reading (see {@link ServiceBackedRole})
     */
    synchronized <T extends HasMetadata> Runnable subscribe(
            InformerKey<T> key, ObjectSubscriber<T> subscriber, boolean lookedUp) {
        SharedWatch<T> watch = null;
        for (SharedWatch<?> w : watches) {
            if (w.key.equals(key) && w.informer == null) {
                @SuppressWarnings("unchecked")
                SharedWatch<T> same = (SharedWatch<T>) w;
                watch = same;
            }
        }
        if (watch == null) {
            watch = new SharedWatch<>(key);
            watches.add(watch);
        }
        watch.subscribers.add(subscriber);
        watch.lookedUp |= lookedUp;
        SharedWatch<T> subscribed = watch;
        return () -> unsubscribe(subscribed, subscriber);
    }

    /**
     * Starts every watch not started yet: first those whose objects others look up, then the others, each time waiting
     * until their subscribers handled the first list, a minute at most in all. So when it returns, every object that
     * existed at the start has reached its subscribers (the enumerator's {@code synced()} relies on it: restored
     * targets no source reported by then are removed), unless a watch could not list within the minute.
     */
    public void start() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        startAndAwaitFirstLists(true, deadline);
        startAndAwaitFirstLists(false, deadline);
    }

    private void startAndAwaitFirstLists(boolean lookedUp, long deadline) {
        List<SharedWatch<?>> started = new ArrayList<>();
        List<CompletableFuture<Void>> listed = new ArrayList<>();
        synchronized (this) {
            for (SharedWatch<?> w : watches) {
                if (w.informer == null && (w.lookedUp || !lookedUp)) {
                    listed.add(w.start(client));
                    started.add(w);
                }
            }
        }
        try {
            CompletableFuture.allOf(listed.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (SharedWatch<?> w : started) {
                w.awaitHandled(w.store.handedOver(), deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a failing watch is counted and logged by its health; the others start all the same
        }
    }

    /** Objects the informer stores hold now (stubs of kept objects and objects still being handled). */
    public synchronized int storedObjects() {
        int n = 0;
        for (SharedWatch<?> w : watches) {
            n += w.store.size();
        }
        return n;
    }

    /** Whether every started watch has listed and is watching now. */
    public synchronized boolean watching() {
        for (SharedWatch<?> w : watches) {
            if (w.informer == null || !w.informer.isWatching()) {
                return false;
            }
        }
        return true;
    }

    /** Watches (informers) open or waiting to start. */
    synchronized int watches() {
        return watches.size();
    }

    /** List/watch errors seen since the start. */
    public synchronized long watchErrors() {
        long n = 0;
        for (SharedWatch<?> w : watches) {
            n += w.health.errors();
        }
        return n;
    }

    private synchronized <T extends HasMetadata> void unsubscribe(SharedWatch<T> watch, ObjectSubscriber<T> s) {
        watch.subscribers.remove(s);
        if (watch.subscribers.isEmpty()) {
            watch.stop();
            watches.remove(watch);
        }
    }

    @Override
    public synchronized void close() {
        watches.forEach(SharedWatch::stop);
        watches.clear();
    }

    /** One informer and the subscribers it dispatches to, in order, on fabric8's handler thread. */
    private static final class SharedWatch<T extends HasMetadata> implements ResourceEventHandler<T> {
        final InformerKey<T> key;
        final RetainingItemStore<T> store;
        final WatchHealth health;
        final List<ObjectSubscriber<T>> subscribers = new CopyOnWriteArrayList<>();
        boolean lookedUp;
        SharedIndexInformer<T> informer;
        private volatile boolean stopped;
        private long handled;

        SharedWatch(InformerKey<T> key) {
            this.key = key;
            this.store = new RetainingItemStore<>(() -> newInstance(key.type()));
            this.health = new WatchHealth(key.toString());
        }

        /** Starts the informer; the future completes once it has listed (exceptionally if that failed). */
        CompletableFuture<Void> start(KubernetesClient client) {
            FilterWatchListDeletable<T, KubernetesResourceList<T>, Resource<T>> op = key.namespace() == null
                    ? client.resources(key.type()).inAnyNamespace()
                    : client.resources(key.type()).inNamespace(key.namespace());
            if (key.labelSelector() != null) {
                op = op.withLabelSelector(key.labelSelector());
            }
            op = FieldSelector.apply(op, key.fieldSelector());
            informer = op.runnableInformer(0);
            informer.removeNamespaceIndex();
            informer.itemStore(store);
            informer.addEventHandler(this);
            informer.exceptionHandler((started, error) -> {
                if (!stopped) {
                    health.failed(error);
                }
                return true;
            });
            LOG.info("Watching {}", key);
            return informer.start().toCompletableFuture().whenComplete((ignored, error) -> {
                if (error != null && !stopped) {
                    health.failed(error);
                }
            });
        }

        void stop() {
            stopped = true;
            if (informer != null) {
                informer.stop();
            }
        }

        @Override
        public void onList(String resourceVersion, boolean initial) {
            health.listed();
        }

        /** Waits until the subscribers handled {@code count} objects handed to them, or the deadline passed. */
        synchronized void awaitHandled(long count, long deadlineNanos) throws InterruptedException {
            while (handled < count) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        private synchronized void countHandled() {
            handled++;
            notifyAll();
        }

        @Override
        public void onAdd(T obj) {
            upsert(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            upsert(newObj);
        }

        @Override
        public void onDelete(T obj, boolean finalStateUnknown) {
            for (ObjectSubscriber<T> s : subscribers) {
                try {
                    s.delete(obj);
                } catch (RuntimeException e) {
                    LOG.error(
                            "Discovery failed on the deletion of {} {}",
                            key.type().getSimpleName(),
                            store.getKey(obj),
                            e);
                }
            }
        }

        private void upsert(T obj) {
            boolean kept = false;
            for (ObjectSubscriber<T> s : subscribers) {
                try {
                    kept |= s.upsert(obj);
                } catch (RuntimeException e) {
                    // keep the stub: the subscriber's state for it is unknown, its deletion must still reach it
                    kept = true;
                    LOG.error("Discovery failed on {} {}", key.type().getSimpleName(), store.getKey(obj), e);
                }
            }
            store.settle(obj, kept);
            countHandled();
        }

        private static <T> T newInstance(Class<T> type) {
            try {
                return type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make an empty " + type.getName(), e);
            }
        }
    }
}
