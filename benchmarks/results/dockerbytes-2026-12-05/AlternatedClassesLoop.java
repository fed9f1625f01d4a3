import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the job's classes in one JVM (one class loader each, Jackson shared), alternated round by round on the
 * same lines: Docker json-file lines whose log is JSON (Merge_Log) and CRI lines, each parsed
 * (ContainerLineParser.parse) and written as an application event with a kubernetes block (EventJson.application).
 * Prints thread CPU ns and bytes allocated per line, per arm: best round and median.
 * Usage: java -cp <deps without the job> AlternatedClassesLoop <old classes dir> <new classes dir> [rounds] [docker]
 * ("docker": the Docker lines alone)
 */
public final class AlternatedClassesLoop {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        Arm[] arms = {new Arm("old", Path.of(args[0])), new Arm("new", Path.of(args[1]))};
        List<byte[]> lines = lines(20_000);
        if (args.length > 3) {
            // "docker": the Docker lines alone (each with a JSON log that Merge_Log takes)
            List<byte[]> docker = new ArrayList<>();
            for (int i = 0; i < lines.size(); i += 2) {
                docker.add(lines.get(i));
            }
            lines = docker;
        }
        String kubernetes = "{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\":\"shop\",\"pod_id\":"
                + "\"3f1e9a0b-1c2d-4e5f-8a9b-0c1d2e3f4a5b\",\"host\":\"ip-10-0-1-10.us-west-2.compute.internal\","
                + "\"container_name\":\"orders\",\"docker_id\":\"3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b\","
                + "\"container_image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\","
                + "\"labels\":{\"app\":\"orders\",\"pod-template-hash\":\"7d9c6b7f9d\"}}";
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (Arm arm : (r % 2 == 0 ? arms : new Arm[] {arms[1], arms[0]})) {
                long c0 = mx.getCurrentThreadCpuTime();
                long a0 = mx.getThreadAllocatedBytes(tid);
                for (byte[] line : lines) {
                    Object parsed = arm.parse.invoke(null, line, 0, line.length);
                    ObjectNode record = (ObjectNode) arm.record.invoke(parsed);
                    byte[] event = (byte[]) arm.application.invoke(null, record, kubernetes);
                    sink += event.length;
                }
                arm.cpu.add((double) (mx.getCurrentThreadCpuTime() - c0) / lines.size());
                arm.alloc.add((double) (mx.getThreadAllocatedBytes(tid) - a0) / lines.size());
            }
        }
        for (Arm arm : arms) {
            List<Double> steady = arm.cpu.subList(rounds / 4, rounds);
            List<Double> steadyAlloc = arm.alloc.subList(rounds / 4, rounds);
            System.out.printf("%s: best %.0f ns, median %.0f ns CPU per line; median %.0f bytes allocated per line%n",
                    arm.name, min(steady), median(steady), median(steadyAlloc));
        }
        System.out.println("(checksum " + sink + ")");
    }

    static double min(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).min().orElse(0); }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }

    static List<byte[]> lines(int n) {
        java.util.Random random = new java.util.Random(7);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int pad = (int) Math.max(10, Math.exp(Math.log(120) + 0.5 * random.nextGaussian()));
            String filler = "abcdefghijklmnopqrstuvwxyz0123456789 ".repeat(pad / 37 + 1).substring(0, pad);
            String line = i % 2 == 0
                    ? "{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"order created n1-s0-" + i
                            + "\\\",\\\"orderId\\\":" + i + ",\\\"pad\\\":\\\"" + filler
                            + "\\\"}\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-05T07:00:00.123456789Z\"}"
                    : "2026-12-05T07:00:00.123456789Z stdout F 10.0.1." + (i % 250) + " - - [05/Dec/2026:07:00:00 +0000]"
                            + " \"GET /api/orders/" + i + " HTTP/1.1\" 200 512 " + filler;
            out.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static final class Arm {
        final String name;
        final Method parse;
        final Method record;
        final Method application;
        final List<Double> cpu = new ArrayList<>();
        final List<Double> alloc = new ArrayList<>();

        Arm(String name, Path classes) throws Exception {
            this.name = name;
            ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, AlternatedClassesLoop.class.getClassLoader());
            Class<?> parser = Class.forName("dev.kubelogs.job.parse.ContainerLineParser", true, loader);
            parse = parser.getMethod("parse", byte[].class, int.class, int.class);
            record = Class.forName("dev.kubelogs.job.parse.ContainerLine", true, loader).getMethod("record");
            application = Class.forName("dev.kubelogs.job.enrich.EventJson", true, loader)
                    .getMethod("application", ObjectNode.class, String.class);
        }
    }
}
