package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodMetadataTest {
    @Test
    void anImageIdWithoutAColonGivesNoContainerHashButTheImage() throws Exception {
        PodMetadata pod = PodMetadata.parse("{\"namespace\":\"shop\",\"name\":\"orders-0\",\"containers\":["
                + "{\"name\":\"orders\",\"containerId\":\"c1\",\"imageId\":\"abc123\",\"image\":\"orders:1\"},"
                + "{\"name\":\"side\",\"containerId\":\"c2\",\"imageId\":\"x:/y\",\"image\":\"side:1\"}]}");
        assertThat(EventJson.write(pod.kubernetesBlock(pod.container("c1"), false, false)))
                .isEqualTo("{\"pod_name\":\"orders-0\",\"namespace_name\":\"shop\",\"container_name\":\"orders\","
                        + "\"docker_id\":\"c1\",\"container_image\":\"orders:1\"}");
        assertThat(EventJson.write(pod.kubernetesBlock(pod.container("c2"), false, false)))
                .contains("\"container_hash\":\"y\",");
    }

    /** Fluent Bit's kube_meta.c extract_hash: after the first colon's run of slashes, the whole id without one. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "NONE",
            value = {
                "docker-pullable://repo/orders@sha256:ab12|repo/orders@sha256:ab12",
                "sha256:ff|sha256:ff",
                "repo/orders@sha256:ab12|repo/orders@sha256:ab12",
                "a:/b|b",
                "a:b://c|a:b://c",
                "docker://|NONE",
                "no-colon|NONE",
                "x|NONE",
                "''|NONE"
            })
    void theContainerHashIsTheImageIdAsFluentBitCutsIt(String imageId, String hash) {
        assertThat(PodMetadata.containerHash(imageId)).isEqualTo(hash);
    }
}
