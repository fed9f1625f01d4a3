package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CollectorStateTest {
    @Test
    void aNewStateIsVersionOneBeforeTheFirstSegmentWithNothingTracked() {
        CollectorState s = new CollectorState();

        assertThat(s.version).isEqualTo(1);
        assertThat(s.committedSeq).isEqualTo(-1);
        assertThat(s.files).isEmpty();
        assertThat(s.pods).isEmpty();
        assertThat(s.retired).isEmpty();
        assertThat(s.journal).isNull();
    }

    @Test
    void aNewStateSurvivesItsCodecUnchanged() throws IOException {
        CollectorState read = StateCodec.read(StateCodec.write(new CollectorState()));

        assertThat(read.version).isEqualTo(1);
        assertThat(read.committedSeq).isEqualTo(-1);
        assertThat(read.files).isNotNull().isEmpty();
        assertThat(read.pods).isNotNull().isEmpty();
        assertThat(read.retired).isNotNull().isEmpty();
    }

    @Test
    void podsKeepTheOrderTheyWereAnnounced() throws IOException {
        CollectorState s = new CollectorState();
        s.pods.put("ns/zeta", "h1");
        s.pods.put("ns/alpha", "h2");
        s.pods.put("default/mid", "h3");

        CollectorState read = StateCodec.read(StateCodec.write(s));

        assertThat(read.pods.keySet()).containsExactly("ns/zeta", "ns/alpha", "default/mid");
        assertThat(read.pods).containsEntry("ns/alpha", "h2");
    }

    @Test
    void aRetiredFileKeepsWhereReadingStopped() throws IOException {
        CollectorState s = new CollectorState();
        CollectorState.Retired r = new CollectorState.Retired();
        r.device = 5;
        r.inode = 6;
        r.generation = 2;
        r.releasedAtMillis = 1_700_000_000_000L;
        r.offset = 123;
        r.headLen = 100;
        r.headCrc = 0xFFFF_FFFFL;
        s.retired.add(r);

        CollectorState.Retired back =
                StateCodec.read(StateCodec.write(s)).retired.get(0);

        assertThat(back).usingRecursiveComparison().isEqualTo(r);
    }
}
