package dev.kubelogs.collector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalKinesis} for a whole test class (register it in a static field), since a start costs seconds; each
 * test takes a stream name of its own ({@link #newStream()}, e.g. in a field initializer).
 */
public final class LocalKinesisServer implements BeforeAllCallback, AfterAllCallback {
    private final AtomicInteger streams = new AtomicInteger();
    private Path dir;
    private LocalKinesis server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("kinesis-local");
        server = LocalKinesis.start(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public LocalKinesis server() {
        return server;
    }

    /** A stream name no other test of the class uses (the stream is not created). */
    public String newStream() {
        return "stream-" + streams.incrementAndGet();
    }
}
