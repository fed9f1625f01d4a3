package dev.kubelogs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the numbers were taken on: cores, memory, CPU model, OS, JVM, and how busy the machine was. */
public final class MachineInfo {
    private MachineInfo() {}

    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(
                "cores (available to the JVM)",
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("cpu model", cpuModel());
        m.put("memory", String.format(Locale.ROOT, "%.1f GiB", memTotalKb() / 1024.0 / 1024.0));
        m.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        m.put(
                "jvm",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                        + System.getProperty("java.vm.vendor") + ")");
        m.put(
                "harness jvm flags",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("harness max heap", (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        return m;
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "?";
    }

    static long memTotalKb() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
            for (String l : lines) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
