package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointProcessTest {

    @Test
    void aStartedEndpointAnswersItsAdminApiAndStopsOnSigterm(@TempDir Path tmp) throws Exception {
        try (EndpointProcess e = EndpointProcess.start(
                tmp.resolve("data"), tmp.resolve("endpoint.log"), Duration.ofSeconds(60), List.of("-Xmx256m"))) {
            assertThat(e.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(e.storedEvents()).isZero();
            assertThat(e.armedFaults()).isZero();

            e.armFaults("{\"fault\":\"throttle\",\"count\":2}");

            assertThat(e.armedFaults()).isEqualTo(1);
            assertThat(e.sample()).isNotNull();
            e.stop(Duration.ofSeconds(30));
            assertThat(e.sample()).isNull();
            assertThat(e.storedEvents()).isEqualTo(-1);
        }
    }

    @Test
    void anEndpointThatCannotStartSaysWhy(@TempDir Path tmp) {
        assertThatThrownBy(() -> EndpointProcess.start(
                        tmp.resolve("data"), tmp.resolve("endpoint.log"), Duration.ofSeconds(60), List.of("-Xmx1k")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("the endpoint exited with 1:")
                .hasMessageContaining("heap");
    }

    @Test
    void itRunsOnThisJvmsJava() {
        assertThat(EndpointProcess.javaBinary()).endsWith("java");
    }
}
