package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class RetainingItemStoreTest {
    private final RetainingItemStore<Pod> store = new RetainingItemStore<>(Pod::new);

    private static Pod pod(String version) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("p")
                .withResourceVersion(version)
                .addToLabels("big", "x".repeat(1000))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void keepsOnlyAStubOfAKeptObject() {
        Pod pod = pod("1");
        assertThat(store.put(store.getKey(pod), pod)).isNull();
        store.settle(pod, true);
        Pod stub = store.get("ns/p");
        assertThat(stub.getMetadata().getResourceVersion()).isEqualTo("1");
        assertThat(stub.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(stub.getSpec()).isNull();
        assertThat(store.isFullState()).isFalse();
    }

    @Test
    void forgetsAnObjectNoSubscriberKeeps() {
        Pod pod = pod("1");
        store.put(store.getKey(pod), pod);
        store.settle(pod, false);
        assertThat(store.size()).isZero();
        // so its deletion is no event
        assertThat(store.remove("ns/p")).isNull();
    }

    @Test
    void aDeletionBeforeTheAddWasHandledStillFindsTheObject() {
        Pod pod = pod("1");
        store.put(store.getKey(pod), pod);
        // the watch deletes it before the subscribers handled the add: the informer must still tell them
        assertThat(store.remove("ns/p")).isNotNull();
        store.settle(pod, true);
        assertThat(store.size()).isZero();
    }

    @Test
    void settlingAnOlderVersionLeavesTheNewerOneToBeHandled() {
        Pod v1 = pod("1");
        Pod v2 = pod("2");
        store.put(store.getKey(v1), v1);
        assertThat(store.put(store.getKey(v2), v2).getMetadata().getResourceVersion())
                .isEqualTo("1");
        store.settle(v1, false);
        assertThat(store.get("ns/p").getMetadata().getResourceVersion()).isEqualTo("2");
        store.settle(v2, false);
        assertThat(store.size()).isZero();
        assertThat(store.handedOver()).isEqualTo(2);
    }

    @Test
    void aPutOfTheVersionItHoldsIsNotCountedAsTheInformerHandsItToNoHandler() {
        Pod kept = pod("1");
        store.put(store.getKey(kept), kept);
        store.settle(kept, true);
        // a relist puts the same version again: fabric8's ProcessorStore notifies no handler of it
        assertThat(store.put(store.getKey(kept), pod("1"))).isNotNull();
        assertThat(store.handedOver()).isEqualTo(1);

        Pod changed = pod("2");
        store.put(store.getKey(changed), changed);
        assertThat(store.handedOver()).isEqualTo(2);
    }
}
