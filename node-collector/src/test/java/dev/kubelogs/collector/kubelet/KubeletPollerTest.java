package dev.kubelogs.collector.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.FakeKubelet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One poll at a time against a local HTTPS kubelet: what each answer queues for the spool. */
class KubeletPollerTest {
    @TempDir
    static Path certs;

    static FakeKubelet.Material material;

    @TempDir
    Path tmp;

    FakeKubelet kubelet;
    final CollectorMetrics metrics = new CollectorMetrics();
    final AtomicInteger wakes = new AtomicInteger();

    @BeforeAll
    static void makeCertificates() throws Exception {
        material = FakeKubelet.Material.generate(certs.resolve("kubelet"));
    }

    @BeforeEach
    void startKubelet() throws Exception {
        kubelet = new FakeKubelet(tmp.resolve("kubelet"), material);
    }

    @AfterEach
    void stopKubelet() {
        kubelet.close();
    }

    private KubeletPoller poller(Duration deleteGrace, Map<String, String> announced) {
        KubeletSettings settings = new KubeletSettings(
                true,
                "127.0.0.1",
                kubelet.port(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                deleteGrace,
                kubelet.tokenFile,
                kubelet.caFile,
                true);
        return new KubeletPoller(settings, metrics, announced, wakes::incrementAndGet);
    }

    private static List<KubeletPoller.PodChange> queued(KubeletPoller p) {
        List<KubeletPoller.PodChange> out = new ArrayList<>();
        KubeletPoller.PodChange r;
        while ((r = p.poll()) != null) {
            out.add(r);
        }
        return out;
    }

    @Test
    void newAndChangedPodsAreQueuedOnceAndUnchangedOnesNotAgain() {
        KubeletPoller p = poller(Duration.ZERO, Map.of());
        kubelet.podsJson = FakeKubelet.list(
                FakeKubelet.pod("shop", "orders", "u1", "v1", "app"),
                FakeKubelet.pod("kube-system", "dns", "u2", "v1", "coredns"));
        p.pollOnce();
        List<KubeletPoller.PodChange> first = queued(p);
        assertThat(first).extracting(KubeletPoller.PodChange::key).containsExactly("shop/orders", "kube-system/dns");
        assertThat(first)
                .allSatisfy(r -> assertThat(r.hash()).startsWith(r.key().endsWith("orders") ? "u1 " : "u2 "));
        assertThat(p.knows("shop", "orders")).isTrue();
        assertThat(wakes).hasValue(1);

        p.pollOnce();
        assertThat(queued(p)).as("nothing changed").isEmpty();

        kubelet.podsJson = FakeKubelet.list(
                FakeKubelet.pod("shop", "orders", "u1", "v2", "app"),
                FakeKubelet.pod("kube-system", "dns", "u2", "v1", "coredns"));
        p.pollOnce();
        assertThat(queued(p)).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("shop/orders");
            assertThat(r.hash()).isNotEqualTo(first.get(0).hash());
        });
        assertThat(metrics.kubeletRequests("200")).isEqualTo(3);
    }

    @Test
    void aPodGoneFromTheListIsDeletedOnlyAfterTheGrace() {
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("shop", "orders", "u1", "v1", "app"));
        KubeletPoller patient = poller(Duration.ofHours(1), Map.of());
        patient.pollOnce();
        queued(patient);
        kubelet.podsJson = FakeKubelet.list();
        patient.pollOnce();
        assertThat(queued(patient)).as("within the grace").isEmpty();
        assertThat(patient.knows("shop", "orders")).isTrue();

        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("shop", "orders", "u1", "v1", "app"));
        KubeletPoller prompt = poller(Duration.ZERO, Map.of());
        prompt.pollOnce();
        queued(prompt);
        kubelet.podsJson = FakeKubelet.list();
        prompt.pollOnce();
        assertThat(queued(prompt)).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("shop/orders");
            assertThat(r.hash()).as("a delete").isNull();
        });
        assertThat(prompt.knows("shop", "orders")).isFalse();
    }

    @Test
    void whatWasAnnouncedBeforeARestartIsNotAnnouncedAgain() {
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("shop", "orders", "u1", "v1", "app"));
        KubeletPoller before = poller(Duration.ZERO, Map.of());
        before.pollOnce();
        KubeletPoller.PodChange announced = queued(before).get(0);

        KubeletPoller after = poller(Duration.ZERO, Map.of(announced.key(), announced.hash()));
        after.pollOnce();
        assertThat(queued(after)).isEmpty();
    }

    @Test
    void resetAnnouncedDropsTheQueueAndAnnouncesAgainFromThere() {
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("shop", "orders", "u1", "v1", "app"));
        KubeletPoller p = poller(Duration.ZERO, Map.of());
        p.pollOnce();
        p.resetAnnounced(Map.of());
        assertThat(p.poll()).as("the queued record was never committed").isNull();
        p.pollOnce();
        assertThat(queued(p)).extracting(KubeletPoller.PodChange::key).containsExactly("shop/orders");
    }

    @Test
    void aRefusedRequestIsCountedQueuesNothingAndTheNextPollRecovers() {
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("shop", "orders", "u1", "v1", "app"));
        kubelet.status = 401;
        KubeletPoller p = poller(Duration.ZERO, Map.of());
        p.pollOnce();
        assertThat(queued(p)).isEmpty();
        assertThat(metrics.kubeletRequests("401")).isEqualTo(1);

        kubelet.status = 200;
        p.pollOnce();
        assertThat(queued(p)).hasSize(1);
    }
}
