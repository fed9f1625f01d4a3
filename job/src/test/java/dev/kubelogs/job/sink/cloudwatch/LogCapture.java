package dev.kubelogs.job.sink.cloudwatch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects what a logger (and its children) logs at {@code level} or above, while open. */
final class LogCapture extends AbstractAppender implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String loggerName;

    private LogCapture(String loggerName) {
        super("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = loggerName;
    }

    static LogCapture of(Class<?> loggerOrPackageOf, Level level) {
        return of(loggerOrPackageOf.getName(), level);
    }

    static LogCapture of(String loggerName, Level level) {
        LogCapture capture = new LogCapture(loggerName);
        capture.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        LoggerConfig logger = new LoggerConfig(loggerName, level, true);
        logger.addAppender(capture, level, null);
        cfg.addLogger(loggerName, logger);
        ctx.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }

    /** Captured lines of {@code level} ("WARN", "INFO", ...), each as "LEVEL message". */
    List<String> at(String level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).collect(Collectors.toList());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().removeLogger(loggerName);
        ctx.updateLoggers();
        stop();
    }
}
