package dev.kubelogs.collector.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The local Kinesis-compatible server as a child process: started, answering the real SDK client, stopped. */
class LocalKinesisProcessTest {
    @TempDir
    Path dir;

    private static void assumeInstalled() {
        String missing = LocalKinesisProcess.missing();
        if (missing != null && "1".equals(System.getenv("KUBELOGS_REQUIRE_KINESIS"))) {
            fail(missing + " is not installed, and KUBELOGS_REQUIRE_KINESIS=1 says it must be");
        }
        assumeTrue(missing == null, missing + " is not installed (.ci/run installs it)");
    }

    @Test
    void startsOnAFreePortCreatesActiveStreamsAndStopsItsProcessOnClose() throws Exception {
        assumeInstalled();
        LocalKinesisProcess kinesis = LocalKinesisProcess.start(dir);
        int port = kinesis.endpoint().getPort();
        long pid = kinesis.pid();
        try {
            assertThat(kinesis.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(kinesis.log()).isEqualTo(dir.resolve("kinesis-local.log"));

            kinesis.createStream("segments", 2);

            assertThat(kinesis.client()
                            .describeStreamSummary(b -> b.streamName("segments"))
                            .streamDescriptionSummary()
                            .streamStatus())
                    .isEqualTo(StreamStatus.ACTIVE);
            assertThat(kinesis.client()
                            .listShards(b -> b.streamName("segments"))
                            .shards())
                    .hasSize(2);
        } finally {
            kinesis.close();
        }

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(LocalProcess.accepts(port)).as("port %d after close", port).isFalse();
    }

    @Test
    void aStreamThatDoesNotExistIsAnErrorOfTheServerNotAHang() throws Exception {
        assumeInstalled();
        try (LocalKinesisProcess kinesis = LocalKinesisProcess.start(dir)) {
            assertThatThrownBy(() -> kinesis.awaitActive("no-such-stream")).hasMessageContaining("no-such-stream");
        }
    }
}
