package dev.kubelogs.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A bundle keeps one stream's events in order, as the events they stand for. */
class CloudWatchEventBundleTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsEventsInOrderBeyondItsFirstCapacity() {
        CloudWatchEventBundle b = new CloudWatchEventBundle("/aws/containerinsights/c/prometheus", "job-a", 1);
        long bytes = 0;
        for (int i = 0; i < 100; i++) {
            byte[] m = utf8("{\"n\":" + i + "}");
            b.add(1_000L + i, m);
            bytes += m.length;
        }
        assertThat(b.size()).isEqualTo(100);
        assertThat(b.messageBytes()).isEqualTo(bytes);
        assertThat(b.timestamp(37)).isEqualTo(1_037L);
        assertThat(new String(b.messageUtf8(99), StandardCharsets.UTF_8)).isEqualTo("{\"n\":99}");
    }

    @Test
    void anEventIsTheOneTheSinkWouldHaveGotAlone() {
        CloudWatchEventBundle b = new CloudWatchEventBundle("g", "s");
        byte[] m = utf8("{\"é\":1}");
        b.add(42L, m);
        CloudWatchEvent e = b.event(0);
        assertThat(e).isEqualTo(CloudWatchEvent.ofUtf8("g", "s", 42L, m, null, -1L, null));
        assertThat(e.messageUtf8).isSameAs(m);
    }

    @Test
    void refusesWhatItCannotCarry() {
        assertThatThrownBy(() -> new CloudWatchEventBundle(null, "s")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CloudWatchEventBundle("g", null)).isInstanceOf(NullPointerException.class);
        CloudWatchEventBundle b = new CloudWatchEventBundle("g", "s");
        assertThatThrownBy(() -> b.add(1L, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.event(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void equalWhenStreamAndEventsAreEqual() {
        CloudWatchEventBundle a = new CloudWatchEventBundle("g", "s");
        CloudWatchEventBundle b = new CloudWatchEventBundle("g", "s", 1);
        a.add(1L, utf8("x"));
        b.add(1L, utf8("x"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        b.add(2L, utf8("y"));
        assertThat(a).isNotEqualTo(b);
        assertThat(new CloudWatchEventBundle("g", "t")).isNotEqualTo(new CloudWatchEventBundle("g", "s"));
    }
}
