package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The job's watches against fabric8's mock API server in CRUD mode: one watch per kind, namespace and selectors for
 * every subscriber that asked before the start, informer stores holding stubs of kept objects only, release and close.
 * A server per test: when a watch closes, the mock server's event loop can wait up to a minute for its event sender
 * (WatchEventsListener.onClosed), and a shared server's next test would wait with it, or lose events.
 */
class InformerHubTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final CrudApiServer api = new CrudApiServer();
    private final KubernetesClient client = api.client;

    @AfterEach
    void stopApiServer() {
        api.close();
    }

    private final Log log = new Log();

    private Pod pod(String ns, String name, String... labels) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata();
        for (int i = 0; i < labels.length; i += 2) {
            pod.editMetadata().addToLabels(labels[i], labels[i + 1]).endMetadata();
        }
        return client.pods().resource(pod.build()).create();
    }

    private void service(String ns, String name) {
        client.services()
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(ns)
                        .endMetadata()
                        .build())
                .create();
    }

    private static <T extends HasMetadata> InformerKey<T> key(Class<T> type, String ns) {
        return new InformerKey<>(type, ns, null, null);
    }

    /** What reached the subscribers of one test, in order: "name upsert ns/object" or "name delete ns/object". */
    private static final class Log {
        private final List<String> events = new ArrayList<>();

        synchronized void add(String event) {
            events.add(event);
            notifyAll();
        }

        synchronized List<String> of(String subscriber) {
            return events.stream().filter(e -> e.startsWith(subscriber + " ")).toList();
        }

        synchronized List<String> all() {
            return List.copyOf(events);
        }

        synchronized void await(String what, Predicate<List<String>> condition) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!condition.test(events)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; events: " + events);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        void awaitEvent(String event) throws InterruptedException {
            await(event, e -> e.contains(event));
        }
    }

    /** Logs what reaches it and keeps what {@code keep} accepts. */
    private final class Recorder<T extends HasMetadata> implements ObjectSubscriber<T> {
        private final String name;
        private final Predicate<T> keep;

        Recorder(String name, Predicate<T> keep) {
            this.name = name;
            this.keep = keep;
        }

        @Override
        public boolean upsert(T obj) {
            log.add(name + " upsert "
                    + MetaLabels.key(
                            obj.getMetadata().getNamespace(), obj.getMetadata().getName()));
            return keep.test(obj);
        }

        @Override
        public void delete(T obj) {
            log.add(name + " delete "
                    + MetaLabels.key(
                            obj.getMetadata().getNamespace(), obj.getMetadata().getName()));
        }
    }

    private <T extends HasMetadata> Recorder<T> keepingAll(String name) {
        return new Recorder<>(name, obj -> true);
    }

    /** For state that notifies no one: checks it again every 20 ms until the deadline. */
    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        new RecordingListener(DEADLINE).awaitTrue(what, condition);
    }

    @Test
    void subscribersOfOneKeyShareAWatchAndEachOtherKeyGetsItsOwnWithItsSelectorsOnTheServer() throws Exception {
        pod("share", "p1", "tier", "web");
        pod("share", "p2", "tier", "db");
        pod("share-b", "p3");
        try (InformerHub hub = new InformerHub(client)) {
            hub.subscribe(key(Pod.class, "share"), keepingAll("a"), false);
            hub.subscribe(key(Pod.class, "share"), keepingAll("b"), false);
            hub.subscribe(key(Pod.class, "share-b"), keepingAll("other-ns"), false);
            hub.subscribe(new InformerKey<>(Pod.class, "share", "tier=web", null), keepingAll("labels"), false);
            hub.subscribe(new InformerKey<>(Pod.class, "share", null, "metadata.name=p4"), keepingAll("fields"), false);
            assertThat(hub.watches()).isEqualTo(4);
            assertThat(hub.watching()).as("not started yet").isFalse();

            hub.start();
            // a change after the start: watch events come in order, so once it arrived, nothing listed is missing
            pod("share", "p4", "tier", "web");
            for (String s : List.of("a", "b", "labels", "fields")) {
                log.awaitEvent(s + " upsert share/p4");
            }
            log.awaitEvent("other-ns upsert share-b/p3");

            assertThat(log.of("a")).containsExactly("a upsert share/p1", "a upsert share/p2", "a upsert share/p4");
            assertThat(log.of("b")).containsExactly("b upsert share/p1", "b upsert share/p2", "b upsert share/p4");
            assertThat(log.of("labels")).containsExactly("labels upsert share/p1", "labels upsert share/p4");
            assertThat(log.of("fields")).containsExactly("fields upsert share/p4");
            assertThat(log.of("other-ns")).containsExactly("other-ns upsert share-b/p3");
            // the list came first; each watch is open a moment later
            awaitTrue("every watch to watch", hub::watching);
            assertThat(hub.watchErrors()).isZero();
        }
    }

    @Test
    void theStoresHoldStubsOfKeptObjectsAndOnlyTheirDeletionsReachTheSubscribers() throws Exception {
        pod("stubs", "kept", "scrape", "yes");
        pod("stubs", "dropped");
        pod("stubs", "later");
        try (InformerHub hub = new InformerHub(client)) {
            hub.subscribe(
                    key(Pod.class, "stubs"),
                    new Recorder<Pod>(
                            "s",
                            p -> p.getMetadata().getLabels() != null
                                    && "yes".equals(p.getMetadata().getLabels().get("scrape"))),
                    false);
            hub.start();
            // a change after the start: once it is handled, so is all the list and the watch brought before
            pod("stubs", "sentinel");
            log.awaitEvent("s upsert stubs/sentinel");
            // the sentinel's own stub goes once the subscribers returned
            awaitTrue("the stores to hold the kept pod only", () -> hub.storedObjects() == 1);

            // an object that was not kept comes back whole when it changes, and may be kept then
            client.pods()
                    .inNamespace("stubs")
                    .withName("later")
                    .edit(p -> new PodBuilder(p)
                            .editMetadata()
                            .addToLabels("scrape", "yes")
                            .endMetadata()
                            .build());
            client.pods().inNamespace("stubs").withName("dropped").delete();
            client.pods().inNamespace("stubs").withName("kept").delete();
            client.pods().inNamespace("stubs").withName("later").delete();
            log.awaitEvent("s delete stubs/later");

            List<String> events = log.of("s");
            assertThat(events).doesNotContain("s delete stubs/dropped");
            assertThat(events.subList(events.size() - 3, events.size()))
                    .containsExactly("s upsert stubs/later", "s delete stubs/kept", "s delete stubs/later");
            awaitTrue("the stores to be empty", () -> hub.storedObjects() == 0);
        }
    }

    @Test
    void aSubscriberThatFailsStillGetsTheDeletionAndTheOthersTheirEvents() throws Exception {
        pod("fails", "p");
        try (InformerHub hub = new InformerHub(client)) {
            hub.subscribe(
                    key(Pod.class, "fails"),
                    new Recorder<Pod>("broken", p -> {
                        throw new IllegalStateException("a bug in a role");
                    }),
                    false);
            hub.subscribe(key(Pod.class, "fails"), new Recorder<Pod>("other", p -> false), false);
            hub.start();
            log.awaitEvent("other upsert fails/p");
            // a change after the start: once it is handled, the watch is open (the mock does not replay a deletion
            // made between the list and the watch)
            pod("fails", "sentinel");
            log.awaitEvent("other upsert fails/sentinel");
            // the failing subscriber's state for them is unknown: the stubs stay so that their deletions reach it
            awaitTrue("the stubs to stay", () -> hub.storedObjects() == 2);

            client.pods().inNamespace("fails").withName("p").delete();
            log.awaitEvent("other delete fails/p");
            assertThat(log.of("broken"))
                    .containsExactly("broken upsert fails/p", "broken upsert fails/sentinel", "broken delete fails/p");
        }
    }

    @Test
    void releaseTakesASubscriberOffAndTheLastOneLeavingStopsTheWatch() throws Exception {
        pod("release", "p1");
        try (InformerHub hub = new InformerHub(client)) {
            Runnable releaseFirst = hub.subscribe(key(Pod.class, "release"), keepingAll("first"), false);
            Runnable releaseSecond = hub.subscribe(key(Pod.class, "release"), keepingAll("second"), false);
            hub.start();
            log.awaitEvent("second upsert release/p1");

            releaseFirst.run();
            pod("release", "p2");
            // the first subscriber is called before the second one: had it still been on, it would have seen p2
            log.awaitEvent("second upsert release/p2");
            assertThat(log.of("first")).containsExactly("first upsert release/p1");
            assertThat(hub.watches()).isEqualTo(1);

            releaseSecond.run();
            assertThat(hub.watches()).isZero();
            assertThat(hub.storedObjects()).isZero();
        }
    }

    @Test
    void aSubscriberAfterTheStartGetsAWatchOfItsOwnThatListsWhatExists() throws Exception {
        pod("late", "p1");
        try (InformerHub hub = new InformerHub(client)) {
            hub.subscribe(key(Pod.class, "late"), keepingAll("early"), false);
            hub.start();
            log.awaitEvent("early upsert late/p1");

            // the running watch keeps no objects to replay: the latecomer needs a list of its own
            hub.subscribe(key(Pod.class, "late"), keepingAll("latecomer"), false);
            assertThat(hub.watches()).isEqualTo(2);
            assertThat(hub.watching()).isFalse();
            hub.start();
            log.awaitEvent("latecomer upsert late/p1");
            awaitTrue("both watches to watch", hub::watching);
        }
    }

    @Test
    void watchesOthersLookUpStartFirstAndTheirListIsHandledBeforeTheOthersStart() throws Exception {
        String ns = "order";
        for (String name : List.of("a", "b", "c")) {
            service(ns, name);
            client.endpoints()
                    .resource(new EndpointsBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withNamespace(ns)
                            .endMetadata()
                            .build())
                    .create();
        }
        try (InformerHub hub = new InformerHub(client)) {
            // subscribed first, started last
            hub.subscribe(key(Endpoints.class, ns), keepingAll("endpoints"), false);
            hub.subscribe(key(Service.class, ns), keepingAll("services"), true);
            hub.start();
            log.await("every object", e -> e.size() >= 6);

            List<String> events = log.all();
            assertThat(events.subList(0, 3)).allMatch(e -> e.startsWith("services upsert"));
            assertThat(events.subList(3, 6)).allMatch(e -> e.startsWith("endpoints upsert"));
        }
    }

    @Test
    void startReturnsOnceEveryWatchsFirstListWasHandled() throws Exception {
        String ns = "first-lists";
        service(ns, "a");
        service(ns, "b");
        try (InformerHub hub = new InformerHub(client)) {
            // not looked up by others, and held in its first handling until the test sees start() still waiting
            CountDownLatch handling = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            hub.subscribe(
                    key(Service.class, ns),
                    new Recorder<>("slow", obj -> {
                        handling.countDown();
                        try {
                            release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return true;
                    }),
                    false);
            CompletableFuture<Void> started = CompletableFuture.runAsync(hub::start);
            assertThat(handling.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the first list reached the subscriber")
                    .isTrue();
            assertThat(started)
                    .as("start() while the first list is being handled")
                    .isNotDone();
            release.countDown();
            started.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(log.of("slow"))
                    .containsExactlyInAnyOrder("slow upsert first-lists/a", "slow upsert first-lists/b");
        }
    }

    @Test
    void aLaterStartDoesNotWaitForObjectsTheInformerHandsToNoSubscriber() throws Exception {
        String ns = "restart";
        service(ns, "a");
        try (InformerHub hub = new InformerHub(client)) {
            hub.subscribe(key(Service.class, ns), keepingAll("services"), true);
            hub.start();
            // the mock server's watch hands the listed service over once more, as a relist does: the store has its
            // stub at that version, so the informer tells no subscriber. Once a later change arrived, that was put.
            service(ns, "b");
            log.awaitEvent("services upsert restart/b");

            // another scrape job's discovery starts on the same hub: it must not wait out the minute for a handling
            // that never comes
            hub.subscribe(key(Pod.class, ns), keepingAll("pods"), false);
            assertTimeoutPreemptively(Duration.ofSeconds(30), hub::start);
            assertThat(log.of("services")).containsExactly("services upsert restart/a", "services upsert restart/b");
        }
    }

    @Test
    void closeStopsAndForgetsEveryWatch() throws Exception {
        pod("close", "p");
        InformerHub hub = new InformerHub(client);
        hub.subscribe(key(Pod.class, "close"), keepingAll("s"), false);
        hub.subscribe(key(Service.class, "close"), keepingAll("t"), true);
        hub.start();
        log.awaitEvent("s upsert close/p");
        awaitTrue("the kept pod's stub", () -> hub.storedObjects() == 1);

        hub.close();
        assertThat(hub.watches()).isZero();
        assertThat(hub.storedObjects()).isZero();
        assertThat(hub.watchErrors()).isZero();
    }
}
