package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

class ScrapeSourceConfigOptionsTest {

    @Test
    void defaultsAndSetValuesBecomeTheReaderSettings() {
        assertThat(ScrapeSourceConfigOptions.settings(new Configuration()))
                .isEqualTo(new ScrapeReaderSettings(8, 64L << 20));
        Configuration conf = new Configuration();
        conf.set(ScrapeSourceConfigOptions.SCRAPE_THREADS, 3);
        conf.set(ScrapeSourceConfigOptions.BODY_SIZE_LIMIT, MemorySize.parse("10mb"));

        assertThat(ScrapeSourceConfigOptions.settings(conf)).isEqualTo(new ScrapeReaderSettings(3, 10L << 20));
    }

    @Test
    void valuesOutOfRangeAreErrorsNamingTheOption() {
        Configuration noThreads = new Configuration();
        noThreads.set(ScrapeSourceConfigOptions.SCRAPE_THREADS, 0);
        Configuration hugeBodies = new Configuration();
        hugeBodies.set(ScrapeSourceConfigOptions.BODY_SIZE_LIMIT, MemorySize.parse("2gb"));

        assertThatThrownBy(() -> ScrapeSourceConfigOptions.settings(noThreads))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("kubelogs.metrics.scrape.threads");
        assertThatThrownBy(() -> ScrapeSourceConfigOptions.settings(hugeBodies))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("kubelogs.metrics.scrape.body-size-limit");
    }
}
