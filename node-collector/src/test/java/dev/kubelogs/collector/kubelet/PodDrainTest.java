package dev.kubelogs.collector.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.collector.tail.FileTailer;
import dev.kubelogs.collector.tail.TrackedFile;
import dev.kubelogs.collector.testing.FakeKubelet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pod records from a local HTTPS kubelet into a real spool segment, and the announcements a commit records. */
class PodDrainTest {
    private static final String CONTAINER_LOG = "/var/log/containers/orders_shop_app-" + "a".repeat(64) + ".log";

    @TempDir
    static Path certs;

    static FakeKubelet.Material material;

    @TempDir
    Path tmp;

    private FakeKubelet kubelet;
    private SegmentSpool spool;
    private final CollectorMetrics metrics = new CollectorMetrics();
    private final AtomicInteger afterLine = new AtomicInteger();
    private final FileTailer.Sink sink = new FileTailer.Sink() {
        @Override
        public void line(TrackedFile file, byte[] buf, int off, int len, int flags) {
            throw new AssertionError("pod records are no lines");
        }

        @Override
        public boolean afterLine() {
            afterLine.incrementAndGet();
            return true;
        }

        @Override
        public boolean accepting() {
            return true;
        }
    };

    @BeforeAll
    static void makeCertificates() throws Exception {
        material = FakeKubelet.Material.generate(certs.resolve("kubelet"));
    }

    @BeforeEach
    void start() throws Exception {
        kubelet = new FakeKubelet(tmp.resolve("kubelet"), material);
        spool = new SegmentSpool(tmp.resolve("spool"), "c", "n", Map.of());
    }

    @AfterEach
    void stop() {
        kubelet.close();
    }

    private KubeletPoller poller(Map<String, String> announced) {
        KubeletSettings settings = new KubeletSettings(
                true,
                "127.0.0.1",
                kubelet.port(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ZERO,
                kubelet.tokenFile,
                kubelet.caFile,
                true);
        return new KubeletPoller(settings, metrics, announced, () -> {});
    }

    private static Map<String, String> committed(PodDrain drain) {
        CollectorState s = new CollectorState();
        drain.addTo(s);
        return s.pods;
    }

    @Test
    void withoutAPollerTheCommittedAnnouncementsAreCarriedOver() throws IOException {
        try (PodDrain drain = new PodDrain(null, Map.of("shop/orders", "h1"), spool, metrics)) {
            assertThat(drain.drain(1_000, sink)).isFalse();
            drain.onNewContainerFile(CONTAINER_LOG);

            assertThat(committed(drain)).containsExactly(Map.entry("shop/orders", "h1"));
            assertThat(spool.isOpen()).as("nothing written").isFalse();
        }
    }

    @Test
    void polledPodsAreSpooledAndAnnounced() throws IOException {
        kubelet.podsJson = FakeKubelet.list(
                FakeKubelet.pod("shop", "orders", "u1", "v1", "app"),
                FakeKubelet.pod("kube-system", "dns", "u2", "v1", "coredns"));
        KubeletPoller poller = poller(Map.of());
        try (PodDrain drain = new PodDrain(poller, Map.of(), spool, metrics)) {
            poller.pollOnce();

            assertThat(drain.drain(1_000, sink)).isTrue();
            assertThat(drain.drain(1_000, sink)).as("all drained").isFalse();

            assertThat(spool.isOpen()).isTrue();
            assertThat(spool.openBytes()).isPositive();
            assertThat(metrics.podRecords.getLongValue()).isEqualTo(2);
            assertThat(afterLine).hasValue(2);
            assertThat(committed(drain).keySet()).containsExactly("shop/orders", "kube-system/dns");
        }
    }

    @Test
    void aDeletedPodIsNoLongerAnnounced() throws IOException {
        kubelet.podsJson = FakeKubelet.list(
                FakeKubelet.pod("shop", "orders", "u1", "v1", "app"),
                FakeKubelet.pod("kube-system", "dns", "u2", "v1", "coredns"));
        KubeletPoller poller = poller(Map.of());
        try (PodDrain drain = new PodDrain(poller, Map.of(), spool, metrics)) {
            poller.pollOnce();
            drain.drain(1_000, sink);

            kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("kube-system", "dns", "u2", "v1", "coredns"));
            poller.pollOnce();
            assertThat(drain.drain(1_000, sink)).isTrue();

            assertThat(committed(drain).keySet()).containsExactly("kube-system/dns");
            assertThat(metrics.podRecords.getLongValue()).isEqualTo(3);
        }
    }

    @Test
    void rewindingGoesBackToTheCommittedAnnouncementsAndAnnouncesAgain() throws IOException {
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("shop", "orders", "u1", "v1", "app"));
        KubeletPoller poller = poller(Map.of());
        try (PodDrain drain = new PodDrain(poller, Map.of(), spool, metrics)) {
            poller.pollOnce();
            drain.drain(1_000, sink);
            assertThat(committed(drain)).containsKey("shop/orders");

            // the open segment holding the announcement was dropped
            drain.rewind(Map.of());

            assertThat(committed(drain)).isEmpty();
            assertThat(poller.knows("shop", "orders")).isFalse();
            poller.pollOnce();
            assertThat(drain.drain(1_000, sink)).as("announced again").isTrue();
            assertThat(committed(drain)).containsKey("shop/orders");
        }
    }
}
