package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SavedNameTypesTest {

    @Test
    void aNameIsTypedByTheTargetsMetadataAfterTheScrapeAsTheParseTypesItsSamples() throws Exception {
        TargetMetadata metadata = new TargetMetadata();
        byte[] body =
                "# TYPE req counter\nreq_total 1\n# TYPE lat summary\nlat_sum 1\n".getBytes(StandardCharsets.UTF_8);
        new ExpositionParser().parse(body, body.length, ExpositionFormat.TEXT_0_0_4, metadata);

        SavedNameTypes types = new SavedNameTypes(ExpositionFormat.TEXT_0_0_4, metadata);

        assertThat(types.typeOf("req")).isEqualTo(MetricType.COUNTER);
        assertThat(types.typeOf("req_total")).isEqualTo(MetricType.COUNTER);
        assertThat(types.familyOf("lat_count")).isEqualTo("lat");
        assertThat(types.typeOf("lat_count")).isEqualTo(MetricType.SUMMARY);
        assertThat(types.typeOf("")).isEqualTo(MetricType.UNTYPED);
        assertThat(types.typeOf("absent")).isEqualTo(MetricType.UNTYPED);
    }

    @Test
    void openMetricsCreatedSamplesKeepTheirFamily() throws Exception {
        TargetMetadata metadata = new TargetMetadata();
        byte[] body = "# TYPE req counter\nreq_total 1\n# EOF\n".getBytes(StandardCharsets.UTF_8);
        new ExpositionParser().parse(body, body.length, ExpositionFormat.OPENMETRICS_1_0, metadata);

        assertThat(new SavedNameTypes(ExpositionFormat.OPENMETRICS_1_0, metadata).familyOf("req_created"))
                .isEqualTo("req");
    }
}
