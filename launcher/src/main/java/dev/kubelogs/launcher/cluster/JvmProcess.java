package dev.kubelogs.launcher.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of the local cluster, known by its pid so that another {@code ./pipeline} invocation can find it again.
 * Started in a session of its own ({@code setsid}): {@code cluster start} returns while the processes run on, and a
 * Ctrl-C in the terminal that started them must not reach them.
 */
public record JvmProcess(String name, long pid, String mainClass) {
    /** The processes this JVM started, by pid: only their parent learns their exit codes. */
    private static final Map<Long, Process> STARTED = new ConcurrentHashMap<>();

    /** Starts {@code java jvmArgs -cp classpath mainClass args}, output appended to {@code out}. */
    public static JvmProcess start(
            String name, List<String> jvmArgs, String classpath, String mainClass, List<String> args, Path out)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        cmd.add(java);
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
        STARTED.put(started.pid(), process);
        // until the exec chain (spawn helper, setsid, java) is through, the pid shows another command line, and while
        // the kernel replaces one program by the next an empty or partial one: setsid's line names the main class too,
        // so only java's own (java first) ends the start, or the process would pass for exited a moment later. A
        // process given up on here is killed, as nothing could find it again by its command line to stop it
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!started.isJava(java) && process.isAlive()) {
            if (System.nanoTime() > end) {
                process.destroyForcibly();
                throw new IOException(name + " (pid " + started.pid() + ") did not run " + java + " ... " + mainClass
                        + " within 30 s; killed it");
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

    /**
     * How the process ended, for an error message: {@code exit code N} (143 after a SIGTERM, 137 after a SIGKILL) for a
     * process this JVM started, else unknown. Waits a second for a process that has only just exited.
     */
    public String exitStatus() {
        Process process = STARTED.get(pid);
        if (process == null) {
            return "exit code unknown: not started by this launcher";
        }
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                return "still running";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "exit code unknown: interrupted";
        }
        return "exit code " + process.exitValue();
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

    /** Whether the pid runs {@code java} with this main class now, not the program that execs it. */
    private boolean isJava(String java) {
        String line = commandLine();
        return line.startsWith(java + " ") && line.contains(mainClass);
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
