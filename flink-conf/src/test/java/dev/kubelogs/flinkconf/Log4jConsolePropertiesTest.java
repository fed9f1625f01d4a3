package dev.kubelogs.flinkconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfiguration;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationBuilder;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds flink-conf/log4j-console.properties with log4j-core's own properties parser and starts it. */
class Log4jConsolePropertiesTest {

    private static final Path FILE = Path.of(System.getProperty("basedir", ".")).resolve("log4j-console.properties");

    @Test
    void buildsAndStartsWithConsoleAndRollingFileAppenders(@TempDir Path logDir) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(FILE)) {
            props.load(r);
        }
        // hot reload of the mounted file; read first, the builder consumes the properties it applies
        assertThat(props.getProperty("monitorInterval")).isEqualTo("30");
        String previous = System.getProperty("log.file");
        System.setProperty("log.file", logDir.resolve("flink-taskmanager.log").toString());
        LoggerContext context = new LoggerContext("log4j-console-test");
        try {
            PropertiesConfiguration config = new PropertiesConfigurationBuilder()
                    .setConfigurationSource(null)
                    .setRootProperties(props)
                    .setLoggerContext(context)
                    .build();
            config.initialize();
            config.start();

            Appender console = config.getAppender("ConsoleAppender");
            Appender rolling = config.getAppender("RollingFileAppender");
            assertThat(console).isInstanceOf(ConsoleAppender.class);
            assertThat(rolling).isInstanceOf(RollingFileAppender.class);
            // Flink's start scripts pass -Dlog.file; the web UI reads that file
            assertThat(((RollingFileAppender) rolling).getFileName()).startsWith(logDir.toString());

            assertThat(config.getRootLogger().getLevel()).isEqualTo(Level.INFO);
            assertThat(config.getRootLogger().getAppenders())
                    .containsOnlyKeys("ConsoleAppender", "RollingFileAppender");
            assertThat(config.getLoggerConfig("dev.kubelogs.job").getLevel()).isEqualTo(Level.INFO);
            assertThat(config.getLoggerConfig("software.amazon.awssdk.core").getLevel())
                    .isEqualTo(Level.WARN);
            assertThat(config.getLoggerConfig("org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher")
                            .getLevel())
                    .isEqualTo(Level.WARN);
            // Flink's warning at every checkpoint for the committer's gauge is dropped, other collisions are not
            LoggerConfig metricGroup = config.getLoggerConfig("org.apache.flink.metrics.MetricGroup");
            assertThat(metricGroup.isFiltered(collision("pendingCommittables"))).isTrue();
            assertThat(metricGroup.isFiltered(collision("heldBytes"))).isFalse();
            config.stop();
        } finally {
            if (previous == null) {
                System.clearProperty("log.file");
            } else {
                System.setProperty("log.file", previous);
            }
        }
    }

    /** The warning as Flink's {@code AbstractMetricGroup} logs it. */
    private static LogEvent collision(String metric) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName("org.apache.flink.metrics.MetricGroup")
                .setLevel(Level.WARN)
                .setMessage(
                        new SimpleMessage(
                                "Name collision: Group already contains a Metric with the name '" + metric
                                        + "'. Metric will not be reported.[10.0.0.7, taskmanager, job, sink-application: Committer, 0]"))
                .build();
    }

    @Test
    void containsNoDeployTokens() throws IOException {
        // envsubst only fills the tokens it is given, but an upper-case ${TOKEN} here would be a mistake all the same
        assertThat(Files.readString(FILE)).doesNotContainPattern("\\$\\{[A-Z_]+}");
    }
}
