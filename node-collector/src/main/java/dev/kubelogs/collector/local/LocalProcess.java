package dev.kubelogs.collector.local;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in's server program (the exporters' Debian packages, the local Kinesis server) run as a child process,
 * its output in a file, ended with the JVM's help if need be. Not used by the collector itself.
 */
public final class LocalProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;

    private LocalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output in {@code dir/<name>.log} and waits until {@code port} accepts. */
    public static LocalProcess start(String name, Path dir, int port, List<String> command) throws IOException {
        return start(name, dir, port, command, Map.of(), START_TIMEOUT);
    }

    /**
     * Starts {@code command} with {@code environment} added to this JVM's, its output in {@code dir/<name>.log}, and
     * waits up to {@code timeout} until {@code port} accepts; a program that exits or does not listen in time is
     * stopped and its output is the error's message.
     */
    public static LocalProcess start(
            String name, Path dir, int port, List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        LocalProcess started = new LocalProcess(name, process, log);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                started.close();
                throw new IOException(name + " did not start listening on " + port + ": "
                        + (Files.exists(log) ? Files.readString(log).strip() : "no output"));
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                started.close();
                throw new IOException("interrupted while starting " + name, e);
            }
        }
        return started;
    }

    /** Whether something accepts connections on the loopback {@code port}. */
    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if {@code program} is an executable on the PATH, an absolute path to one, or in /usr/sbin (servers). */
    public static boolean installed(String program) {
        if (program.startsWith("/")) {
            return Files.isExecutable(Path.of(program));
        }
        return onPath(program) || Files.isExecutable(Path.of("/usr/sbin", program));
    }

    /** True if {@code command} is an executable in one of the PATH's directories. */
    public static boolean onPath(String command) {
        return which(command) != null;
    }

    /** The first executable named {@code command} in the PATH's directories, or null. */
    public static Path which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command);
            }
        }
        return null;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Stops the program: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", output in " + log + ")";
    }
}
