package dev.kubelogs.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Every string comes back exactly; ASCII costs its bytes and a one-byte header. */
class Utf8StringsTest {

    @Test
    void everyStringComesBackExactly() throws IOException {
        String[] strings = {
            null,
            "",
            "http_requests_total",
            "héllo wörld € 中 😀",
            "lone high \ud83d and low \ude00 and ? marks",
            "swapped pair \ude00\ud83d",
            "?".repeat(10),
            "x".repeat(70_000)
        };
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (String s : strings) {
            Utf8Strings.write(s, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (String s : strings) {
            assertThat(Utf8Strings.read(in)).isEqualTo(s);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void aStringWrittenAsUtf8CanBeReadAsItsBytesAndOneWithUnpairedSurrogatesOnlyAsText() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        Utf8Strings.write("héllo 😀", out);
        Utf8Strings.write("lone \ud83d", out);
        Utf8Strings.write(null, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

        long utf8 = Utf8Strings.readHeader(in);
        assertThat(Utf8Strings.isUtf8(utf8)).isTrue();
        assertThat(Utf8Strings.readUtf8(utf8, in)).isEqualTo("héllo 😀".getBytes(StandardCharsets.UTF_8));
        long utf16 = Utf8Strings.readHeader(in);
        assertThat(Utf8Strings.isUtf8(utf16)).isFalse();
        assertThatThrownBy(() -> Utf8Strings.readUtf8(utf16, in)).isInstanceOf(IOException.class);
        assertThat(Utf8Strings.read(utf16, in)).isEqualTo("lone \ud83d");
        long none = Utf8Strings.readHeader(in);
        assertThat(Utf8Strings.isUtf8(none)).isFalse();
        assertThat(Utf8Strings.read(none, in)).isNull();
        assertThat(in.available()).isZero();
    }

    @Test
    void aShortAsciiStringIsAOneByteHeaderAndItsBytes() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        Utf8Strings.write("job", out);

        assertThat(out.getCopyOfBuffer()).containsExactly((3 << 2) | 1, 'j', 'o', 'b');
    }

    @Test
    void anUnknownHeaderIsACorruptStream() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {3});

        assertThatThrownBy(() -> Utf8Strings.read(in))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt string header 3");
    }
}
