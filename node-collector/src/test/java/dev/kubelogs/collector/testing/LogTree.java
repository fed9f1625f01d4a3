package dev.kubelogs.collector.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A fake node log root: pods/ files, containers/ symlinks, host files. */
public final class LogTree {
    public final Path root;

    public LogTree(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("containers"));
        Files.createDirectories(root.resolve("pods"));
    }

    public static String containerId(int n) {
        return String.format("%064x", n + 0xabc000L);
    }

    /** Creates pods/ns_pod_uid/container/0.log and the containers/ symlink; returns the symlink's name. */
    public String container(String ns, String pod, String container, int idNumber) throws IOException {
        Path dir = root.resolve("pods").resolve(ns + "_" + pod + "_uid-" + pod).resolve(container);
        Files.createDirectories(dir);
        Path target = dir.resolve("0.log");
        if (!Files.exists(target)) {
            Files.createFile(target);
        }
        String name = pod + "_" + ns + "_" + container + "-" + containerId(idNumber) + ".log";
        Path link = root.resolve("containers").resolve(name);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
        return name;
    }

    public Path target(String containerLink) throws IOException {
        return root.resolve("containers").resolve(containerLink).toRealPath();
    }

    public static String docker(String text, int i) {
        return "{\"log\":\"" + text + "\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:"
                + String.format("%02d", i % 60) + ".123456789Z\"}";
    }

    public static String cri(String text, int i) {
        return "2024-05-01T10:00:" + String.format("%02d", i % 60) + ".123456789Z stdout F " + text;
    }

    public static void append(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The collector settings the tests share: this tree as log root, spool and state under {@code tmp}, read from head, fast polls. */
    public dev.kubelogs.collector.CollectorConfig.Builder collectorConfig(Path tmp) {
        return dev.kubelogs.collector.CollectorConfig.builder()
                .logRoot(root)
                .spoolDir(tmp.resolve("spool"))
                .stateDir(tmp.resolve("state"))
                .cluster("c")
                .node("n")
                .readFromHead(true)
                .maxSegmentAge(java.time.Duration.ofMillis(100))
                .pollInterval(java.time.Duration.ofMillis(50));
    }
}
