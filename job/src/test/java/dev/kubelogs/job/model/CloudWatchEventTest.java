package dev.kubelogs.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloudWatchEventTest {
    private static final String GROUP = "/aws/containerinsights/prod/application";
    private static final String STREAM = "node-1-application.var.log.containers.web_shop_nginx-abc.log";
    private static final String JSON = "{\"log\":\"héllo € 😀\",\"stream\":\"stdout\"}";

    @Test
    void theShortConstructorsLeaveSourceAndOwnerUnset() {
        CloudWatchEvent e = new CloudWatchEvent(GROUP, STREAM, 5L, JSON);
        assertThat(e.sourceId).isNull();
        assertThat(e.sourceOffset).isEqualTo(-1L);
        assertThat(e.ownerKey).isNull();
        assertThat(e.messageUtf8).isNull();
        assertThat(e.message()).isEqualTo(JSON);
        assertThat(new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "f", 12L).ownerKey)
                .isNull();
    }

    @Test
    void aUtf8EventKeepsItsArrayAndReadsAsText() {
        byte[] utf8 = JSON.getBytes(StandardCharsets.UTF_8);
        CloudWatchEvent e = CloudWatchEvent.ofUtf8(GROUP, STREAM, 5L, utf8, "f", 12L, "prod/node-1");
        assertThat(e.message).isNull();
        assertThat(e.messageUtf8).isSameAs(utf8);
        assertThat(e.message()).isEqualTo(JSON);
        assertThatThrownBy(() -> CloudWatchEvent.ofUtf8(GROUP, STREAM, 5L, null, "f", 12L, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("messageUtf8");
    }

    @Test
    void theTwoFormsOfOneEventAreEqualWithEqualHashes() {
        CloudWatchEvent text = new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "f", 12L, "prod/node-1");
        CloudWatchEvent utf8 = CloudWatchEvent.ofUtf8(
                GROUP, STREAM, 5L, JSON.getBytes(StandardCharsets.UTF_8), "f", 12L, "prod/node-1");
        assertThat(text).isEqualTo(utf8).hasSameHashCodeAs(utf8);
        assertThat(utf8).isEqualTo(text);
    }

    @Test
    void everyFieldTakesPartInEquality() {
        CloudWatchEvent e = new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "f", 12L, "prod/node-1");
        assertThat(e).isEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "f", 12L, "prod/node-1"));
        assertThat(e).isNotEqualTo(new CloudWatchEvent(GROUP + "x", STREAM, 5L, JSON, "f", 12L, "prod/node-1"));
        assertThat(e).isNotEqualTo(new CloudWatchEvent(GROUP, STREAM + "x", 5L, JSON, "f", 12L, "prod/node-1"));
        assertThat(e).isNotEqualTo(new CloudWatchEvent(GROUP, STREAM, 6L, JSON, "f", 12L, "prod/node-1"));
        assertThat(e).isNotEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, JSON + " ", "f", 12L, "prod/node-1"));
        assertThat(e).isNotEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "g", 12L, "prod/node-1"));
        assertThat(e).isNotEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "f", 13L, "prod/node-1"));
        assertThat(e).isNotEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "f", 12L, "prod/node-2"));
        assertThat(e).isNotEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "f", 12L, null));
        assertThat(e).isNotEqualTo(JSON);
    }

    @Test
    void anEventWithoutAMessageIsEqualToItself() {
        CloudWatchEvent none = new CloudWatchEvent(GROUP, STREAM, 5L, null);
        assertThat(none.message()).isNull();
        assertThat(none)
                .isEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, null))
                .isNotEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, ""));
        assertThat(none.hashCode()).isEqualTo(new CloudWatchEvent(GROUP, STREAM, 5L, null).hashCode());
    }

    @Test
    void withOwnerKeyChangesOnlyTheOwnerAndSharesTheMessage() {
        byte[] utf8 = JSON.getBytes(StandardCharsets.UTF_8);
        CloudWatchEvent e = CloudWatchEvent.ofUtf8(GROUP, STREAM, 5L, utf8, "f", 12L, null);
        CloudWatchEvent owned = e.withOwnerKey("prod/node-1");
        assertThat(owned.ownerKey).isEqualTo("prod/node-1");
        assertThat(e.ownerKey).isNull();
        assertThat(owned.messageUtf8).isSameAs(utf8);
        assertThat(owned.message).isNull();
        assertThat(owned.logGroup).isEqualTo(GROUP);
        assertThat(owned.logStream).isEqualTo(STREAM);
        assertThat(owned.timestamp).isEqualTo(5L);
        assertThat(owned.sourceId).isEqualTo("f");
        assertThat(owned.sourceOffset).isEqualTo(12L);
        assertThat(owned).isEqualTo(CloudWatchEvent.ofUtf8(GROUP, STREAM, 5L, utf8, "f", 12L, "prod/node-1"));

        CloudWatchEvent text = new CloudWatchEvent(GROUP, STREAM, 5L, JSON, "f", 12L, "a/b").withOwnerKey(null);
        assertThat(text.message).isSameAs(JSON);
        assertThat(text.ownerKey).isNull();
    }

    @Test
    void toStringShowsWhereWhenAndWhat() {
        assertThat(CloudWatchEvent.ofUtf8(GROUP, STREAM, 5L, JSON.getBytes(StandardCharsets.UTF_8), "f", 1, null)
                        .toString())
                .isEqualTo(GROUP + " / " + STREAM + " @5: " + JSON);
    }
}
