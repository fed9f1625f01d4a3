package dev.kubelogs.job.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Cases of alecthomas/units ParseBase2Bytes, which Prometheus uses for body_size_limit. */
class Base2BytesTest {

    @Test
    void unitsArePowersOf1024AndNumbersMayHaveFractions() {
        assertThat(Base2Bytes.parse("0")).isZero();
        assertThat(Base2Bytes.parse("512B")).isEqualTo(512);
        assertThat(Base2Bytes.parse("10MB")).isEqualTo(10L << 20);
        assertThat(Base2Bytes.parse("10MiB")).isEqualTo(10L << 20);
        assertThat(Base2Bytes.parse("2GiB512MiB")).isEqualTo((2L << 30) + (512L << 20));
        assertThat(Base2Bytes.parse("1.5KB")).isEqualTo(1536);
        assertThat(Base2Bytes.parse("1.KB")).isEqualTo(1024);
        assertThat(Base2Bytes.parse("+1EB")).isEqualTo(1L << 60);
        assertThat(Base2Bytes.parse("-1KiB")).isEqualTo(-1024);
    }

    @Test
    void malformedSizesAreRefused() {
        assertThatThrownBy(() -> Base2Bytes.parse("10")).hasMessage("units: unknown unit  in 10");
        assertThatThrownBy(() -> Base2Bytes.parse("1mb")).hasMessage("units: unknown unit mb in 1mb");
        assertThatThrownBy(() -> Base2Bytes.parse("1GiB1GB")).hasMessage("units: unknown unit GiB in 1GiB1GB");
        assertThatThrownBy(() -> Base2Bytes.parse(".KB")).hasMessage("units: invalid .KB");
        assertThatThrownBy(() -> Base2Bytes.parse("")).hasMessage("units: invalid ");
        assertThatThrownBy(() -> Base2Bytes.parse("9EB")).hasMessage("units: overflow parsing unit");
        // any failure with the IEC units is retried with the older ones, whose error is the one reported
        assertThatThrownBy(() -> Base2Bytes.parse("9EiB")).hasMessage("units: unknown unit EiB in 9EiB");
    }
}
