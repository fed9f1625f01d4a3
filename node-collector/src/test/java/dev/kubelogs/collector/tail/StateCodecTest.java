package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming state codec writes what Jackson's databind wrote (so state files of earlier versions stay readable) and reads both. */
class StateCodecTest {
    /** How StateStore read and wrote state before the codec. */
    static final ObjectMapper DATABIND =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static CollectorState sample() {
        CollectorState s = new CollectorState();
        s.cluster = "prod \"eu\"";
        s.node = "ip-10-0-0-1.ec2.internal";
        s.committedSeq = 1234567890123L;
        CollectorState.FileState f = new CollectorState.FileState();
        f.path = "/var/log/containers/a_b_c-0123.log";
        f.realPath = "/var/log/pods/b_a_uid/c/0.log";
        f.device = 66307;
        f.inode = 9_000_000_001L;
        f.generation = 3;
        f.kind = "CONTAINER";
        f.offset = 1L << 40;
        f.headLen = 1024;
        f.headCrc = 4_000_000_000L;
        s.files.add(f);
        CollectorState.FileState g = new CollectorState.FileState();
        g.path = "/var/log/messages";
        g.kind = "HOST_FILE";
        s.files.add(g);
        s.journal = new CollectorState.JournalState();
        s.journal.cursor = "s=abc;i=1f;b=0\u00e9";
        s.journal.offset = 42;
        s.journal.inode = 7;
        s.pods.put("default/web-0", "uid-1 9f86d081");
        s.pods.put("kube-system/aws-node-x", "uid-2 e3b0c442");
        CollectorState.Retired r = new CollectorState.Retired();
        r.device = 1;
        r.inode = 2;
        r.generation = 3;
        r.releasedAtMillis = 1_700_000_000_000L;
        r.offset = 5;
        r.headLen = 6;
        r.headCrc = 7;
        s.retired.add(r);
        return s;
    }

    @Test
    void writesExactlyWhatDatabindWrote() throws IOException {
        for (CollectorState s : new CollectorState[] {sample(), new CollectorState()}) {
            assertThat(new String(StateCodec.write(s), StandardCharsets.UTF_8))
                    .isEqualTo(new String(DATABIND.writeValueAsBytes(s), StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsWhatDatabindWroteAndRoundTrips() throws IOException {
        byte[] json = DATABIND.writeValueAsBytes(sample());
        CollectorState back = StateCodec.read(json);
        assertThat(back).usingRecursiveComparison().isEqualTo(sample());
        assertThat(StateCodec.write(back)).isEqualTo(json);
        // and databind reads what the codec writes
        assertThat(DATABIND.readValue(StateCodec.write(sample()), CollectorState.class))
                .usingRecursiveComparison()
                .isEqualTo(sample());
    }

    @Test
    void ignoresUnknownFieldsAndKeepsDefaultsForMissingOnes() throws IOException {
        CollectorState s = StateCodec.read(
                ("{\"node\":\"n\",\"future\":{\"a\":[1,{\"b\":null}]},\"files\":[{\"inode\":5,\"x\":true}],"
                                + "\"journal\":null}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(s.version).isEqualTo(1);
        assertThat(s.node).isEqualTo("n");
        assertThat(s.committedSeq).isEqualTo(-1);
        assertThat(s.files).singleElement().satisfies(f -> assertThat(f.inode).isEqualTo(5));
        assertThat(s.journal).isNull();
        assertThat(s.pods).isEmpty();
        assertThat(s.retired).isEmpty();
        assertThat(StateCodec.read("null".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(StateCodec.read("{\"files\":null}".getBytes(StandardCharsets.UTF_8)).files)
                .isNull();
    }

    @Test
    void rejectsTruncatedOrMistypedState() {
        byte[] json;
        try {
            json = StateCodec.write(sample());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        for (int cut : new int[] {0, 1, 30, json.length / 2, json.length - 1}) {
            byte[] part = java.util.Arrays.copyOf(json, cut);
            assertThatThrownBy(() -> StateCodec.read(part)).as("cut at %d", cut).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> StateCodec.read("{\"files\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StateCodec.read("{\"committedSeq\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StateCodec.read("{} {}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
