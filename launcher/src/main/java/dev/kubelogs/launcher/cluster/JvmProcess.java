package dev.kubelogs.launcher.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of the local cluster, known by its pid so that another {@code ./pipeline} invocation can find it again.
 * Started in a session of its own ({@code setsid}): {@code cluster start} returns while the processes run on, and a
 * Ctrl-C in the terminal that started them must not reach them.
 */
public record JvmProcess(String name, long pid, String mainClass) {

    /** Starts {@code java jvmArgs -cp classpath mainClass args}, output appended to {@code out}. */
    public static JvmProcess start(
            String name, List<String> jvmArgs, String classpath, String mainClass, List<String> args, Path out)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.createDirectories(out.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        // setsid execs the JVM in place (a child of the JVM is no process group leader), so the pid is the JVM's
        Process process = pb.start();
        JvmProcess started = new JvmProcess(name, process.pid(), mainClass);
        // until the exec chain (spawn helper, setsid, java) is through, the pid shows another command line; a process
        // given up on here is killed, as nothing could find it again by its command line to stop it
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!started.commandLine().contains(mainClass) && process.isAlive()) {
            if (System.nanoTime() > end) {
                process.destroyForcibly();
                throw new IOException(name + " (pid " + started.pid() + ") did not show " + mainClass
                        + " on its command line within 30 s; killed it");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting " + name + "; killed it", e);
            }
        }
        if (!process.isAlive()) {
            throw new IOException(name + " exited at once with " + process.exitValue() + "; see " + out);
        }
        return started;
    }

    /** The live process, if this pid still runs this main class (a pid can be reused after the JVM is gone). */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> commandLine().contains(mainClass));
    }

    public boolean alive() {
        return handle().isPresent();
    }

    /** SIGKILL, as the kernel's OOM killer or a lost node does it; returns once the process is gone. */
    public void kill(Duration timeout) throws IOException, InterruptedException {
        Optional<ProcessHandle> h = handle();
        if (h.isPresent()) {
            h.get().destroyForcibly();
            awaitExit(h.get(), timeout);
        }
    }

    /** SIGSTOP: the process freezes (as in a long GC pause or a stalled node) until {@link #resume}. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a paused process runs on. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (handle().isEmpty()) {
            return;
        }
        // ProcessHandle sends only TERM and KILL
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (kill.waitFor() != 0 && alive()) {
            throw new IOException("kill -" + signal + " " + pid + " (" + name + "): " + out.trim());
        }
    }

    /** SIGTERM (Flink's and ZooKeeper's shutdown hooks run), SIGKILL after the timeout. */
    public void stop(Duration timeout) throws IOException, InterruptedException {
        Optional<ProcessHandle> h = handle();
        if (h.isEmpty()) {
            return;
        }
        h.get().destroy();
        try {
            awaitExit(h.get(), timeout);
        } catch (IOException stillRunning) {
            kill(timeout);
        }
    }

    private void awaitExit(ProcessHandle h, Duration timeout) throws IOException, InterruptedException {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(name + " (pid " + pid + ") did not exit within " + timeout);
        }
    }

    private String commandLine() {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
