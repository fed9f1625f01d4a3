package dev.kubelogs.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpoolPathsTest {

    @Test
    void namesSortNumerically() {
        assertThat(SpoolPaths.segmentFileName(0)).isEqualTo("00000000000000000000.seg");
        assertThat(SpoolPaths.segmentFileName(42)).isEqualTo("00000000000000000042.seg");
        assertThat(SpoolPaths.segmentFileName(Long.MAX_VALUE)).isEqualTo("09223372036854775807.seg");
        assertThat(SpoolPaths.segmentFileName(9).compareTo(SpoolPaths.segmentFileName(10)))
                .isNegative();
        assertThat(SpoolPaths.tempFileName(42)).isEqualTo(".00000000000000000042.seg.tmp");
        assertThatThrownBy(() -> SpoolPaths.segmentFileName(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesOnlyFinalSegmentNames() {
        assertThat(SpoolPaths.parseSegmentSeq("00000000000000000042.seg")).hasValue(42);
        assertThat(SpoolPaths.parseSegmentSeq("09223372036854775807.seg")).hasValue(Long.MAX_VALUE);
        assertThat(SpoolPaths.parseSegmentSeq("09223372036854775808.seg")).isEmpty();
        assertThat(SpoolPaths.parseSegmentSeq(".00000000000000000042.seg.tmp")).isEmpty();
        assertThat(SpoolPaths.parseSegmentSeq("42.seg")).isEmpty();
        assertThat(SpoolPaths.parseSegmentSeq("0000000000000000004a.seg")).isEmpty();
        assertThat(SpoolPaths.parseSegmentSeq("00000000000000000042.sef")).isEmpty();
        assertThat(SpoolPaths.parseSegmentSeq(SpoolPaths.SEALED)).isEmpty();
        assertThat(SpoolPaths.parseSegmentSeq(null)).isEmpty();
    }

    @Test
    void nodeDirectoryAndKey() {
        assertThat(SpoolPaths.nodeDirectory(Path.of("/spool"), "prod", "ip-1")).isEqualTo(Path.of("/spool/prod/ip-1"));
        assertThat(SpoolPaths.segmentKey("prod", "ip-1", 3)).isEqualTo("prod/ip-1/00000000000000000003.seg");
        assertThatThrownBy(() -> SpoolPaths.nodeDirectory(Path.of("/s"), "..", "n"))
                .hasMessageContaining("invalid cluster");
        assertThatThrownBy(() -> SpoolPaths.nodeDirectory(Path.of("/s"), "c", "a/b"))
                .hasMessageContaining("invalid node");
    }

    @Test
    void offsetArithmetic() {
        assertThat(LineFlags.advance(SourceKind.CONTAINER, 10, 0)).isEqualTo(11);
        assertThat(LineFlags.advance(SourceKind.HOST_FILE, 10, LineFlags.PARTIAL))
                .isEqualTo(10);
        assertThat(LineFlags.advance(SourceKind.HOST_FILE, 10, LineFlags.NO_NEWLINE))
                .isEqualTo(10);
        assertThat(LineFlags.advance(SourceKind.JOURNAL, 10, 0)).isEqualTo(1);
        assertThat(LineFlags.advance(SourceKind.JOURNAL, 10, LineFlags.PARTIAL)).isEqualTo(1);
        assertThat(LineFlags.isValid(0)).isTrue();
        assertThat(LineFlags.isValid(3)).isFalse();
        assertThat(SourceKind.ofCode(3)).isEqualTo(SourceKind.JOURNAL);
        assertThat(SourceKind.CONTAINER.code()).isEqualTo(1);
        assertThatThrownBy(() -> SourceKind.ofCode(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new FileRef("p", 1, 2, 3, SourceKind.CONTAINER).identity()).isEqualTo("1:2:3");
    }
}
