package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class MetaLabelsTest {

    @Test
    void sanitizeReplacesEveryCharacterOutsideLabelNamesWithAnUnderscore() {
        assertThat(MetaLabels.sanitize("app.kubernetes.io/name")).isEqualTo("app_kubernetes_io_name");
        assertThat(MetaLabels.sanitize("prometheus.io/scrape")).isEqualTo("prometheus_io_scrape");
        // one underscore per character, as Go's regexp replaces runes
        assertThat(MetaLabels.sanitize("é-x")).isEqualTo("__x");
        assertThat(MetaLabels.sanitize("ok_Name9")).isEqualTo("ok_Name9");
    }

    @Test
    void objectMetaGivesNameLabelsAnnotationsAndTheirPresence() {
        Labels.Builder b = Labels.builder();
        MetaLabels.addObjectMeta(
                b,
                "service",
                new ObjectMetaBuilder()
                        .withName("web")
                        .addToLabels("app/name", "web")
                        .addToLabels("empty", "")
                        .addToAnnotations("prometheus.io/port", "9150")
                        .build());
        assertThat(b.build())
                .isEqualTo(Labels.of(
                        "__meta_kubernetes_service_name", "web",
                        "__meta_kubernetes_service_label_app_name", "web",
                        "__meta_kubernetes_service_labelpresent_app_name", "true",
                        // an empty value is no label, but its presence is
                        "__meta_kubernetes_service_labelpresent_empty", "true",
                        "__meta_kubernetes_service_annotation_prometheus_io_port", "9150",
                        "__meta_kubernetes_service_annotationpresent_prometheus_io_port", "true"));
    }

    @Test
    void joinHostPortBracketsIpv6() {
        assertThat(MetaLabels.joinHostPort("1.2.3.4", 9000)).isEqualTo("1.2.3.4:9000");
        assertThat(MetaLabels.joinHostPort("2001:db8::1", 9000)).isEqualTo("[2001:db8::1]:9000");
    }
}
