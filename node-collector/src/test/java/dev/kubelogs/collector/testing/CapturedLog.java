package dev.kubelogs.collector.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the WARN and ERROR lines of one class's logger, or of every class of a package, while open (log4j is the
 * tests' backend).
 */
public final class CapturedLog implements AutoCloseable {
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final String loggerName;
    private final boolean wholePackage;
    private final AbstractAppender appender;

    public CapturedLog(Class<?> source) {
        this(source.getName(), false);
    }

    /** The loggers of every class in the package of {@code source}. */
    public static CapturedLog ofPackage(Class<?> source) {
        return new CapturedLog(source.getPackageName(), true);
    }

    private CapturedLog(String loggerName, boolean wholePackage) {
        this.loggerName = loggerName;
        this.wholePackage = wholePackage;
        this.appender = new AbstractAppender("captured-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (captures(event.getLoggerName()) && event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    warnings.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.WARN, null);
        ctx.updateLoggers();
    }

    private boolean captures(String name) {
        return wholePackage ? name.startsWith(loggerName + ".") : name.equals(loggerName);
    }

    /** WARN and ERROR messages so far, formatted. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** How many WARN/ERROR messages so far contain {@code text}. */
    public long count(String text) {
        return warnings.stream().filter(m -> m.contains(text)).count();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
        ctx.updateLoggers();
        appender.stop();
    }
}
