package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.FakeKubelet;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.spool.PodEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletMetadataTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path certs;

    static FakeKubelet.Material material;
    static FakeKubelet.Material otherMaterial;

    @TempDir
    Path tmp;

    FakeKubelet kubelet;

    @BeforeAll
    static void makeCertificates() throws Exception {
        material = FakeKubelet.Material.generate(certs.resolve("kubelet"));
        otherMaterial = FakeKubelet.Material.generate(certs.resolve("other"));
    }

    @BeforeEach
    void startKubelet() throws Exception {
        kubelet = new FakeKubelet(tmp.resolve("kubelet"), material);
    }

    @AfterEach
    void stopKubelet() {
        kubelet.close();
    }

    CollectorConfig.Builder config() throws IOException {
        return CollectorConfig.builder()
                .logRoot(new LogTree(tmp.resolve("log")).root)
                .spoolDir(tmp.resolve("spool"))
                .stateDir(tmp.resolve("state"))
                .cluster("c")
                .node("ip-10-0-0-1.ec2.internal")
                .maxSegmentAge(Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(50))
                .kubeletEnabled(true)
                .kubeletHost("127.0.0.1")
                .kubeletPort(kubelet.port())
                .kubeletCaFile(kubelet.caFile)
                .kubeletTokenFile(kubelet.tokenFile)
                .kubeletPollInterval(Duration.ofMillis(200))
                .kubeletTimeout(Duration.ofMillis(500))
                .kubeletDeleteGrace(Duration.ZERO);
    }

    static List<JsonNode> pods(NodeCollector c) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (PodEntry p : SpoolContents.read(c.nodeSpoolDirectory()).pods) {
            out.add(JSON.readTree(p.json()));
        }
        return out;
    }

    static void awaitPodRecords(NodeCollector c, long n) {
        Await.until(
                n + " pod records",
                Duration.ofSeconds(20),
                () -> c.metrics().podRecords.get() >= n);
    }

    @Test
    void podsAppearingChangingAndDisappearingBecomePodRecords() throws Exception {
        String web1 = FakeKubelet.pod("shop", "web-1", "uid-1", "web", "web", "sidecar");
        String web10 = FakeKubelet.pod("shop", "web-10", "uid-10", "web", "web");
        kubelet.podsJson = FakeKubelet.list(web1, web10);
        NodeCollector c = new NodeCollector(config().build());
        c.start();
        awaitPodRecords(c, 2);
        int before = kubelet.requests.get();
        Await.until("more polls", Duration.ofSeconds(10), () -> kubelet.requests.get() >= before + 2);
        assertThat(c.metrics().podRecords.get())
                .as("unchanged pods are not announced again")
                .isEqualTo(2);

        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("shop", "web-1", "uid-1", "web-v2", "web", "sidecar"));
        awaitPodRecords(c, 4);
        c.drainAndSeal();

        List<JsonNode> pods = pods(c);
        assertThat(pods).hasSize(4);
        JsonNode first = pods.stream()
                .filter(p -> p.path("name").asText().equals("web-1"))
                .findFirst()
                .orElseThrow();
        assertThat(first.path("event").asText()).isEqualTo("upsert");
        assertThat(first.path("namespace").asText()).isEqualTo("shop");
        assertThat(first.path("uid").asText()).isEqualTo("uid-1");
        assertThat(first.path("podIp").asText()).isEqualTo("192.168.20.7");
        assertThat(first.path("nodeName").asText()).isEqualTo("ip-10-0-0-1.ec2.internal");
        assertThat(first.path("labels").path("app").asText()).isEqualTo("web");
        assertThat(first.path("annotations").path("fluentbit.io/exclude").asText())
                .isEqualTo("false");
        assertThat(first.path("observedAt").asLong()).isPositive();
        JsonNode containers = first.path("containers");
        assertThat(containers).hasSize(3);
        assertThat(containers.get(0).path("name").asText()).isEqualTo("web");
        assertThat(containers.get(0).path("containerId").asText()).hasSize(64).doesNotContain("://");
        assertThat(containers.get(0).path("imageId").asText()).startsWith("docker.io/library/app@sha256:");
        assertThat(containers.get(0).path("image").asText()).isEqualTo("docker.io/library/app:1.0");
        assertThat(containers.get(2).path("name").asText()).isEqualTo("init");
        assertThat(pods.subList(2, 4))
                .extracting(p -> p.path("event").asText() + " " + p.path("name").asText())
                .containsExactlyInAnyOrder("upsert web-1", "delete web-10");
        JsonNode deleted = pods.stream()
                .filter(p -> p.path("event").asText().equals("delete"))
                .findFirst()
                .orElseThrow();
        assertThat(deleted.path("uid").asText()).isEqualTo("uid-10");
        assertThat(c.metrics().kubeletRequests("200")).isPositive();
    }

    @Test
    void deleteIsAnnouncedOnlyAfterTheGracePeriod() throws Exception {
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("a", "short", "u1", "x", "c"));
        NodeCollector c = new NodeCollector(
                config().kubeletDeleteGrace(Duration.ofSeconds(1)).build());
        c.start();
        awaitPodRecords(c, 1);
        kubelet.podsJson = FakeKubelet.list();
        long t0 = System.nanoTime();
        int before = kubelet.requests.get();
        Await.until("a poll without the pod", Duration.ofSeconds(10), () -> kubelet.requests.get() >= before + 2);
        assertThat(c.metrics().podRecords.get())
                .as("not deleted within the grace")
                .isEqualTo(1);
        awaitPodRecords(c, 2);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1000);
        c.drainAndSeal();
        assertThat(pods(c)).extracting(p -> p.path("event").asText()).containsExactly("upsert", "delete");
    }

    @Test
    void aContainerFileOfAnUnknownPodTriggersAnEarlyPoll() throws Exception {
        kubelet.podsJson = FakeKubelet.list();
        CollectorConfig cfg =
                config().kubeletPollInterval(Duration.ofMinutes(5)).build();
        NodeCollector c = new NodeCollector(cfg);
        c.start();
        Await.until("first poll", Duration.ofSeconds(10), () -> c.metrics().kubeletRequests("200") == 1);
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("shop", "new-pod", "u9", "x", "app"));
        LogTree tree = new LogTree(cfg.tail().logRoot());
        String link = tree.container("shop", "new-pod", "app", 5);
        LogTree.append(tree.target(link), "first line\n");
        awaitPodRecords(c, 1);
        assertThat(c.metrics().kubeletRequests("200")).isEqualTo(2);
        c.close();
    }

    @Test
    void restartAnnouncesOnlyChangesAndDeletesPodsGoneWhileDown() throws Exception {
        kubelet.podsJson = FakeKubelet.list(
                FakeKubelet.pod("a", "p1", "u1", "x", "c"), FakeKubelet.pod("a", "p2", "u2", "x", "c"));
        NodeCollector c1 = new NodeCollector(config().build());
        c1.start();
        awaitPodRecords(c1, 2);
        c1.close();
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("a", "p1", "u1", "x", "c"));
        NodeCollector c2 = new NodeCollector(config().build());
        c2.start();
        awaitPodRecords(c2, 1);
        int before = kubelet.requests.get();
        Await.until("more polls", Duration.ofSeconds(10), () -> kubelet.requests.get() >= before + 2);
        c2.drainAndSeal();
        List<JsonNode> pods = pods(c2);
        assertThat(pods)
                .extracting(p -> p.path("event").asText() + " " + p.path("name").asText())
                .containsExactly("upsert p1", "upsert p2", "delete p2");
    }

    @Test
    void errorsAreCountedAndPollingRecovers() throws Exception {
        kubelet.expectedToken = "other-token";
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("a", "p1", "u1", "x", "c"));
        NodeCollector c = new NodeCollector(config().build());
        c.start();
        Await.until("401 counted", Duration.ofSeconds(10), () -> c.metrics().kubeletRequests("401") >= 2);
        assertThat(c.metrics().errors("kubelet"))
                .as("one log line + error per distinct problem")
                .isEqualTo(1);
        Files.writeString(kubelet.tokenFile, "other-token"); // a rotated projected token is re-read
        awaitPodRecords(c, 1);

        kubelet.status = 500;
        Await.until("500 counted", Duration.ofSeconds(10), () -> c.metrics().kubeletRequests("500") >= 1);
        kubelet.status = 200;
        kubelet.hang = new CountDownLatch(1);
        Await.until("timeout counted", Duration.ofSeconds(10), () -> c.metrics().kubeletRequests("timeout") >= 1);
        kubelet.hang.countDown();
        kubelet.hang = null;
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("a", "p1", "u1", "changed", "c"));
        awaitPodRecords(c, 2);
        assertThat(c.stats().errors()).isGreaterThanOrEqualTo(3);
        c.close();
    }

    @Test
    void untrustedCertificateIsRejectedUnlessVerificationIsOff() throws Exception {
        kubelet.podsJson = FakeKubelet.list(FakeKubelet.pod("a", "p1", "u1", "x", "c"));
        Path otherCa = otherMaterial.certificate();
        NodeCollector strict = new NodeCollector(config().kubeletCaFile(otherCa).build());
        strict.start();
        Await.until(
                "TLS failure counted",
                Duration.ofSeconds(10),
                () -> strict.metrics().kubeletRequests("error") >= 1);
        assertThat(strict.metrics().podRecords.get()).isZero();
        strict.close();

        NodeCollector lax = new NodeCollector(config().stateDir(tmp.resolve("state2"))
                .spoolDir(tmp.resolve("spool2"))
                .kubeletCaFile(otherCa)
                .kubeletTlsVerify(false)
                .build());
        lax.start();
        awaitPodRecords(lax, 1);
        lax.close();
    }
}
