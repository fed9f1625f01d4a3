package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorFleetTest {

    @TempDir
    Path tmp;

    @Test
    void aGeneratedNodesCollectorReadsItsOwnLogsIntoTheSharedSpool() {
        Map<String, String> env = CollectorFleet.nodeEnv(
                EndToEndTest.spec("rocksdb", null),
                "ip-10-0-1-10.us-west-2.compute.internal",
                Path.of("/w/nodes/0"),
                Path.of("/w/nodes/0/journal"),
                Path.of("/w/spool"),
                Path.of("/w/state"),
                Path.of("/w/journalctl"));

        assertThat(env)
                .containsEntry("CLUSTER_NAME", "bench")
                .containsEntry("HOST_NAME", "ip-10-0-1-10.us-west-2.compute.internal")
                .containsEntry("LOG_ROOT", "/w/nodes/0")
                .containsEntry("SPOOL_DIR", "/w/spool")
                .containsEntry("STATE_DIR", "/w/state/ip-10-0-1-10.us-west-2.compute.internal")
                .containsEntry("HOST_LOGS", "files")
                .containsEntry("JOURNAL_DIR", "/w/nodes/0/journal")
                .containsEntry("JOURNALCTL", "/w/journalctl");
        assertThat(env.get("NODE_ATTRIBUTES"))
                .isEqualTo("az=us-west-2a,ec2_instance_id=i-0"
                        + LoadGenerator.sha256Hex("ip-10-0-1-10.us-west-2.compute.internal")
                                .substring(0, 16));
        assertThat(env).doesNotContainKeys("USE_KUBELET", "SPOOL_S3_URI");
    }

    @Test
    void anIdleNodeHasNoHostLogsNoJournalAndNoKubelet() {
        Map<String, String> env =
                CollectorFleet.idleEnv("idle-0", Path.of("/w/idle/idle-0"), Path.of("/w/spool"), Path.of("/w/state"));

        assertThat(env)
                .containsEntry("HOST_NAME", "idle-0")
                .containsEntry("LOG_ROOT", "/w/idle/idle-0")
                .containsEntry("STATE_DIR", "/w/state/idle-0")
                .containsEntry("HOST_LOGS", "none")
                .containsEntry("JOURNAL_DIR", "/w/idle/idle-0/no-journal")
                .containsEntry("USE_KUBELET", "Off");
    }

    @Test
    void kubeletAndS3SettingsNameTheStandInsAndTheBenchsKeys() {
        assertThat(CollectorFleet.kubeletEnv(10250, Path.of("/k/token"), Path.of("/k/ca.pem")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "USE_KUBELET", "On",
                        "KUBELET_HOST", "127.0.0.1",
                        "KUBELET_PORT", "10250",
                        "KUBELET_TOKEN_FILE", "/k/token",
                        "KUBELET_CA_FILE", "/k/ca.pem"));
        assertThat(CollectorFleet.s3Env(EndToEndTest.s3Run()))
                .containsEntry("SPOOL_S3_URI", "s3://spool/bench")
                .containsEntry("SPOOL_S3_ENDPOINT", "http://127.0.0.1:9000")
                .containsEntry("AWS_REGION", "us-west-2")
                .containsEntry("AWS_ACCESS_KEY_ID", CountingS3.ACCESS_KEY)
                .containsEntry("AWS_SECRET_ACCESS_KEY", CountingS3.SECRET_KEY)
                .containsEntry("SPOOL_ROLL_BYTES", "1000000");
    }

    @Test
    void theJournalctlStandInFollowsTheJournalFromItsHead() throws Exception {
        Path journal = Files.createDirectories(tmp.resolve("journal"));
        Files.writeString(
                journal.resolve("journal.jsonl"),
                "{\"__CURSOR\":\"s=b;i=1\",\"MESSAGE\":\"one \\\"q\\\" \\\\ x\"}\n{\"MESSAGE\":\"two\"}\n");
        Path script = CollectorFleet.fakeJournalctl(tmp);

        Process p =
                new ProcessBuilder(script.toString(), "--output=export", "--directory=" + journal, "--follow").start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("__CURSOR=s=b;i=1");
            assertThat(out.readLine()).isEqualTo("MESSAGE=one \"q\" \\ x");
            assertThat(out.readLine()).isEmpty();
            assertThat(out.readLine()).isEqualTo("MESSAGE=two");
            assertThat(out.readLine()).isEmpty();
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutFollowTheStandInReportsAnEmptyJournal() throws Exception {
        Path journal = Files.createDirectories(tmp.resolve("journal"));
        Files.writeString(journal.resolve("journal.jsonl"), "{\"MESSAGE\":\"one\"}\n");
        Path script = CollectorFleet.fakeJournalctl(tmp);

        Process p = new ProcessBuilder(script.toString(), "--output=json", "--directory=" + journal, "-n", "0").start();

        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(p.getInputStream().readAllBytes()).isEmpty();
    }
}
