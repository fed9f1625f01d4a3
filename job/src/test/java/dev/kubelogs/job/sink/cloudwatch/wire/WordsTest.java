package dev.kubelogs.job.sink.cloudwatch.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordsTest {

    private static int naiveSuffix(byte[] a, int aFrom, int aEnd, byte[] b, int bFrom, int bEnd) {
        int k = 0;
        while (k < aEnd - aFrom && k < bEnd - bFrom && a[aEnd - 1 - k] == b[bEnd - 1 - k]) {
            k++;
        }
        return k;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void wordsReadAndWriteLowestByteFirst() {
        byte[] b = new byte[10];
        Words.put(b, 1, 0x0807060504030201L);
        assertThat(b).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 0);
        assertThat(Words.at(b, 1)).isEqualTo(0x0807060504030201L);
        assertThat(Words.repeated(0x22)).isEqualTo(0x2222222222222222L);
        assertThat(Words.repeated(0x1FF)).isEqualTo(-1L);
    }

    @Test
    void theLowestFlaggedByteIsAlwaysTheFirstZeroByte() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong();
            // make some bytes zero and some one, the values that fool a borrow-based zero test
            for (int j = 0; j < 8; j++) {
                int pick = random.nextInt(4);
                if (pick == 0) {
                    v &= ~(0xFFL << (8 * j));
                } else if (pick == 1) {
                    v = (v & ~(0xFFL << (8 * j))) | (1L << (8 * j));
                }
            }
            long flags = Words.zeroBytes(v);
            int firstZero = -1;
            for (int j = 0; j < 8; j++) {
                if (((v >>> (8 * j)) & 0xFF) == 0) {
                    firstZero = j;
                    break;
                }
            }
            if (firstZero < 0) {
                assertThat(flags).as("%016x", v).isZero();
            } else {
                assertThat(Long.numberOfTrailingZeros(flags) / 8).as("%016x", v).isEqualTo(firstZero);
            }
        }
    }

    @Test
    void commonSuffixOfSharedKubernetesBlocks() {
        String block = ",\"kubernetes\":{\"pod_name\":\"web\",\"namespace_name\":\"shop\"}}";
        byte[] a = utf8("{\"log\":\"GET /a 200\"" + block);
        byte[] b = utf8("{\"log\":\"POST /b 201\"" + block);
        // "200" and "201" differ in their last digit: the quote after them starts the common end
        assertThat(Words.commonSuffixLength(a, b)).isEqualTo(utf8("\"" + block).length);
        assertThat(Words.commonSuffixLength(a, a.clone())).isEqualTo(a.length);
        assertThat(Words.commonSuffixLength(utf8("abc"), utf8("abd"))).isZero();
        assertThat(Words.commonSuffixLength(new byte[0], a)).isZero();
        assertThat(Words.commonSuffixLength(utf8("c"), utf8("abc"))).isEqualTo(1);
    }

    @Test
    void commonSuffixMatchesTheByteByByteAnswerAtEveryLengthAndOffset() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] shared = new byte[random.nextInt(40)];
            random.nextBytes(shared);
            byte[] a = new byte[random.nextInt(20) + shared.length + 3];
            byte[] b = new byte[random.nextInt(20) + shared.length + 3];
            random.nextBytes(a);
            random.nextBytes(b);
            int aEnd = a.length - random.nextInt(3);
            int bEnd = b.length - random.nextInt(3);
            System.arraycopy(shared, 0, a, aEnd - shared.length, shared.length);
            System.arraycopy(shared, 0, b, bEnd - shared.length, shared.length);
            int aFrom = random.nextInt(aEnd - shared.length + 1);
            int bFrom = random.nextInt(bEnd - shared.length + 1);
            assertThat(Words.commonSuffixLength(a, aFrom, aEnd, b, bFrom, bEnd))
                    .isEqualTo(naiveSuffix(a, aFrom, aEnd, b, bFrom, bEnd));
            assertThat(Words.commonSuffixLength(a, b)).isEqualTo(naiveSuffix(a, 0, a.length, b, 0, b.length));
        }
    }

    @Test
    void aRangeNeverReadsBeforeItsStart() {
        // equal bytes before aFrom/bFrom must not count
        byte[] a = utf8("SAME-xyz-tail-of-sixteen");
        byte[] b = utf8("SAME-abc-tail-of-sixteen");
        assertThat(Words.commonSuffixLength(a, 9, a.length, b, 9, b.length)).isEqualTo(15);
        assertThat(Words.commonSuffixLength(a, 5, a.length, b, 5, b.length)).isEqualTo(16);
        byte[] c = utf8("xxxxxxxxxxxxxxxxxxxx");
        assertThat(Words.commonSuffixLength(c, 12, 20, c, 4, 20)).isEqualTo(8);
    }

    @Test
    void aHintGivesTheSameAnswerWhateverItIs() {
        byte[] a = utf8("first event,\"kubernetes\":{\"pod_name\":\"web-1\"}}");
        byte[] b = utf8("second one!,\"kubernetes\":{\"pod_name\":\"web-1\"}}");
        int exact = Words.commonSuffixLength(a, b);
        for (int hint = -1; hint <= a.length + 2; hint++) {
            assertThat(Words.commonSuffixLength(a, b, hint)).as("hint %d", hint).isEqualTo(exact);
        }
    }
}
