package dev.kubelogs.launcher.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmxExporterJvmTest {
    @TempDir
    Path dir;

    @Test
    void exposesTheJvmMetricsTheDefaultDeclarationsSelect() throws Exception {
        try (JmxExporterJvm jvm = JmxExporterJvm.start(dir)) {
            String body = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(jvm.metricsUri()).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(body)
                    .contains(
                            "# TYPE jvm_memory_bytes_used gauge",
                            "jvm_memory_bytes_used{area=\"heap\",}",
                            "jvm_threads_current ",
                            "jvm_classes_loaded_total ",
                            "jvm_memory_pool_bytes_used{pool=");
        }
    }
}
