package dev.kubelogs.collector.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server program (a one-file Java program run by the JDK's launcher) started, waited for and stopped. */
class LocalProcessTest {
    private static final String SERVER = """
            public class Server {
                public static void main(String[] args) throws Exception {
                    System.out.println("greeting " + System.getenv("GREETING"));
                    if (args[0].equals("fail")) {
                        System.out.println("no port for you");
                        System.exit(3);
                    }
                    try (var socket = new java.net.ServerSocket(Integer.parseInt(args[0]))) {
                        while (true) {
                            socket.accept().close();
                        }
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    private List<String> server(String arg) throws IOException {
        Path source = Files.writeString(dir.resolve("Server.java"), SERVER);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, source.toString(), arg);
    }

    @Test
    void startWaitsUntilThePortAcceptsAndCloseEndsTheProgram() throws IOException {
        int port = LoopbackPorts.pick();
        assertThat(LocalProcess.accepts(port)).isFalse();

        LocalProcess p = LocalProcess.start(
                "server",
                dir,
                port,
                server(Integer.toString(port)),
                Map.of("GREETING", "hello"),
                Duration.ofMinutes(1));
        assertThat(LocalProcess.accepts(port)).isTrue();
        assertThat(ProcessHandle.of(p.pid())).isPresent();
        assertThat(p.log()).isEqualTo(dir.resolve("server.log"));
        assertThat(Files.readString(p.log())).contains("greeting hello");

        p.close();
        assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(LocalProcess.accepts(port)).isFalse();
    }

    @Test
    void aProgramThatExitsBeforeListeningIsAnErrorWithItsOutput() throws IOException {
        int port = LoopbackPorts.pick();
        List<String> command = server("fail");

        assertThatThrownBy(() -> LocalProcess.start("server", dir, port, command, Map.of(), Duration.ofMinutes(1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("server did not start listening on " + port)
                .hasMessageContaining("no port for you");
    }

    @Test
    void programsAreFoundOnThePath() {
        Path sh = LocalProcess.which("sh");
        assertThat(sh).isNotNull();
        assertThat(Files.isExecutable(sh)).isTrue();
        assertThat(LocalProcess.onPath("sh")).isTrue();
        assertThat(LocalProcess.which("no-such-program-anywhere")).isNull();
        assertThat(LocalProcess.installed("no-such-program-anywhere")).isFalse();
        assertThat(LocalProcess.installed(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                .isTrue();
    }
}
