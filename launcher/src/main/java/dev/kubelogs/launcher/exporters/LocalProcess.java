package dev.kubelogs.launcher.exporters;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server program run from its Debian package, its output in a file, ended with the JVM's help if need be. */
public final class LocalProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private LocalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output in {@code dir/<name>.log} and waits until {@code port} accepts. */
    static LocalProcess start(String name, Path dir, int port, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalProcess started = new LocalProcess(name, process, log);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
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
                throw new IOException("interrupted while starting " + name, e);
            }
        }
        return started;
    }

    /** A port free on this machine right now (the OS's choice), for a server started by another process. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** True if {@code program} is an executable on the PATH, an absolute path to one, or in /usr/sbin (servers). */
    static boolean installed(String program) {
        if (program.startsWith("/")) {
            return Files.isExecutable(Path.of(program));
        }
        return onPath(program) || Files.isExecutable(Path.of("/usr/sbin", program));
    }

    /** True if {@code command} is an executable in one of the PATH's directories. */
    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

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
