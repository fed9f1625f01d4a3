package dev.kubelogs.job.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmfLimitsTest {

    @Test
    void theUnitsAreCloudWatchsStandardUnitsSpelledAsItSpellsThem() {
        // PutMetricData's StandardUnit: 27 values, case-sensitive
        assertThat(EmfLimits.UNITS)
                .hasSize(27)
                .contains("Seconds", "Microseconds", "Milliseconds", "Percent", "Count", "None")
                .contains("Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes")
                .contains("Bits", "Kilobits", "Megabits", "Gigabits", "Terabits")
                .contains("Bytes/Second", "Terabits/Second", "Count/Second")
                .doesNotContain("seconds", "Second", "Count/Minute", "Nanoseconds", "");
    }

    @Test
    void theErrorEndingListsTheUnitsSorted() {
        String ending = EmfLimits.notAUnit();

        assertThat(ending)
                .startsWith("is not a CloudWatch unit (one of [Bits, Bits/Second, Bytes, Bytes/Second, Count, "
                        + "Count/Second, Gigabits,")
                .endsWith("Terabytes, Terabytes/Second])");
        for (String unit : EmfLimits.UNITS) {
            assertThat(ending).contains(unit);
        }
    }

    @Test
    void aDeclaredDimensionSetHasAtMostTheAgentsTen() {
        assertThat(EmfLimits.MAX_DECLARED_DIMENSIONS).isEqualTo(10);
    }
}
