package dev.kubelogs.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodRecordTest {
    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static PodRecord upsert() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", "web");
        labels.put("tier", "front \"end\"");
        return PodRecord.upsert(
                1_716_000_000_123L,
                "default",
                "web-0",
                "u-1",
                "10.0.0.12",
                "ip-10-0-0-1",
                labels,
                Map.of("caf\u00e9", "\ud83d\ude00"),
                List.of(
                        new PodRecord.Container("app", ID, "sha256:ff", "nginx:1.27"),
                        new PodRecord.Container("init", "", "", "busybox"),
                        new PodRecord.Container("debug", "", "", "busybox", true)));
    }

    @Test
    void anUpsertIsWrittenInTheSpooledShape() {
        assertThat(new String(upsert().toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"event\":\"upsert\","
                        + "\"observedAt\":1716000000123,\"namespace\":\"default\",\"name\":\"web-0\",\"uid\":\"u-1\","
                        + "\"podIp\":\"10.0.0.12\",\"nodeName\":\"ip-10-0-0-1\","
                        + "\"labels\":{\"app\":\"web\",\"tier\":\"front \\\"end\\\"\"},"
                        + "\"annotations\":{\"caf\u00e9\":\"\ud83d\ude00\"},"
                        + "\"containers\":[{\"name\":\"app\",\"containerId\":\"" + ID + "\",\"imageId\":\"sha256:ff\","
                        + "\"image\":\"nginx:1.27\"},"
                        + "{\"name\":\"init\",\"containerId\":\"\",\"imageId\":\"\",\"image\":\"busybox\"},"
                        + "{\"name\":\"debug\",\"containerId\":\"\",\"imageId\":\"\",\"image\":\"busybox\","
                        + "\"ephemeral\":true}]}");
    }

    @Test
    void aDeleteHoldsOnlyItsIdentity() {
        PodRecord d = PodRecord.delete(5, "ns", "na\"me", "u");
        assertThat(new String(d.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"event\":\"delete\",\"observedAt\":5,"
                        + "\"namespace\":\"ns\",\"name\":\"na\\\"me\",\"uid\":\"u\"}");
    }

    @Test
    void roundTrips() throws IOException {
        for (PodRecord r : List.of(upsert(), PodRecord.delete(5, "ns", "na\"me", "u"))) {
            assertThat(PodRecord.parse(r.toJson())).isEqualTo(r);
            assertThat(PodRecord.parse(new String(r.toJson(), StandardCharsets.UTF_8)))
                    .isEqualTo(r);
        }
        PodRecord back = PodRecord.parse(upsert().toJson());
        assertThat(back.labels().keySet()).containsExactly("app", "tier");
        assertThat(back.container(ID).name()).isEqualTo("app");
        assertThat(back.container("other")).isNull();
        assertThat(back.containers()).extracting(PodRecord.Container::ephemeral).containsExactly(false, false, true);
        assertThat(back.key()).isEqualTo("default/web-0");
        assertThat(back.isDelete()).isFalse();
    }

    @Test
    void theContentIsTheRecordWithoutEventAndTime() {
        String content = new String(upsert().contentJson(), StandardCharsets.UTF_8);
        String record = new String(upsert().toJson(), StandardCharsets.UTF_8);
        // bytes, as the collector hashes them: characters outside the BMP escaped
        assertThat(content).startsWith("{\"namespace\":\"default\",").contains("\\uD83D\\uDE00");
        assertThat(record.replace("\"event\":\"upsert\",\"observedAt\":1716000000123,", ""))
                .isEqualTo(content.replace("\\uD83D\\uDE00", "\ud83d\ude00"));
    }

    @Test
    void readsRecordsOfOlderCollectorsAndOddValues() throws IOException {
        // no event, no observedAt, no containers; unknown fields; numbers and booleans where text is expected
        PodRecord r = PodRecord.parse(("{\"namespace\":\"b\",\"name\":\"a\",\"uid\":7,\"podIp\":null,"
                        + "\"extra\":{\"x\":[1]},"
                        + "\"labels\":{\"n\":5,\"t\":true,\"o\":{\"a\":1},\"z\":null},\"annotations\":\"s\","
                        + "\"containers\":[1,{\"name\":\"c\",\"containerId\":[],\"more\":{}}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.isDelete()).isFalse();
        assertThat(r.uid()).isEqualTo("7");
        assertThat(r.podIp()).isEmpty();
        assertThat(r.nodeName()).isEmpty();
        assertThat(r.labels()).containsExactly(Map.entry("n", "5"), Map.entry("t", "true"));
        assertThat(r.annotations()).isEmpty();
        assertThat(r.containers()).containsExactly(new PodRecord.Container("c", "", "", ""));
        assertThat(PodRecord.parse("{\"event\":\"delete\",\"namespace\":\"b\",\"name\":\"a\"}")
                        .isDelete())
                .isTrue();
        assertThat(PodRecord.parse("{\"event\":\"other\",\"namespace\":\"b\",\"name\":\"a\"}")
                        .isDelete())
                .isFalse();
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndLastValue() throws IOException {
        PodRecord r = PodRecord.parse(
                "{\"namespace\":\"b\",\"name\":\"a\",\"labels\":{\"a\":\"1\",\"b\":\"2\",\"a\":\"3\"}}");
        assertThat(r.labels()).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
    }

    @Test
    void notAPodRecordIsAnError() {
        for (String bad : new String[] {
            "",
            "[]",
            "\"x\"",
            "{\"name\":\"a\"}",
            "{\"namespace\":\"b\",\"name\":5}",
            "{\"namespace\":\"b\",\"name\":\"a\"} {}",
            "{\"namespace\":\"b\",\"name\":\"a\"",
            "not json",
            "{\"namespace\":\"b\",\"name\":\"a\",\"containers\":[{\"name\":\"c\"}"
        }) {
            assertThatThrownBy(() -> PodRecord.parse(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }
}
