import dev.kubelogs.bench.LineSizes;
import dev.kubelogs.bench.LoadGenerator;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two builds of the job's classes in one JVM (one class loader each, Jackson shared), alternated round by round on the
 * same lines: the container lines of one second of one node of the end-to-end bench (LoadGenerator at 5,000 lines/s,
 * lognormal:220,0.5, 5 % in stack traces), each parsed (ContainerLineParser.parse) and written as an application event
 * with a kubernetes block (EventJson.application). Prints thread CPU ns and bytes allocated per line, per arm: best
 * round and median of the last three quarters.
 * Usage: java -cp <benchmarks classes and deps, without the job> AlternatedEventLoop <old classes> <new classes> [rounds]
 */
public final class AlternatedEventLoop {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Arm[] arms = {new Arm("old", Path.of(args[0])), new Arm("new", Path.of(args[1]))};
        List<byte[]> lines = lines();
        String kubernetes = "{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\":\"shop\",\"pod_id\":"
                + "\"3f1e9a0b-1c2d-4e5f-8a9b-0c1d2e3f4a5b\",\"host\":\"ip-10-0-1-10.us-west-2.compute.internal\","
                + "\"container_name\":\"orders\",\"docker_id\":\"3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b\","
                + "\"container_image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\","
                + "\"labels\":{\"app\":\"orders\",\"pod-template-hash\":\"7d9c6b7f9d\"}}";
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long[] sums = new long[2];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int a = r % 2 == 0 ? k : 1 - k;
                Arm arm = arms[a];
                long c0 = mx.getCurrentThreadCpuTime();
                long a0 = mx.getThreadAllocatedBytes(tid);
                long sum = 0;
                for (byte[] line : lines) {
                    Object parsed = arm.parse.invoke(null, line, 0, line.length);
                    Object record = arm.record.invoke(parsed);
                    byte[] event = (byte[]) arm.application.invoke(null, record, kubernetes);
                    for (byte b : event) {
                        sum = sum * 31 + b;
                    }
                }
                arm.cpu.add((double) (mx.getCurrentThreadCpuTime() - c0) / lines.size());
                arm.alloc.add((double) (mx.getThreadAllocatedBytes(tid) - a0) / lines.size());
                sums[a] = sum;
            }
        }
        System.out.printf("%d lines; events equal in both arms: %s%n", lines.size(), sums[0] == sums[1]);
        for (Arm arm : arms) {
            List<Double> steady = arm.cpu.subList(rounds / 4, rounds);
            List<Double> steadyAlloc = arm.alloc.subList(rounds / 4, rounds);
            System.out.printf(
                    "%s: best %.0f ns, median %.0f ns CPU per line; median %.0f bytes allocated per line%n",
                    arm.name, min(steady), median(steady), median(steadyAlloc));
        }
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }

    /** The container lines of one second of one node, as the end-to-end bench writes them. */
    static List<byte[]> lines() throws Exception {
        Path root = Files.createTempDirectory("alternated-event-loop");
        LoadGenerator.Config config = new LoadGenerator.Config(
                1, 5_000, LineSizes.parse("lognormal:220,0.5"), 0.05, 8, 30, 0, 0, 0, 0,
                LoadGenerator.HostMode.FILES, 7);
        Path logRoot;
        try (LoadGenerator generator = new LoadGenerator(root, List.of("node-1"), config)) {
            generator.run(1000);
            logRoot = generator.logRoot(0);
        }
        List<byte[]> out = new ArrayList<>();
        try (DirectoryStream<Path> containers = Files.newDirectoryStream(logRoot.resolve("containers"))) {
            for (Path link : containers) {
                byte[] file = Files.readAllBytes(link);
                int start = 0;
                for (int i = 0; i < file.length; i++) {
                    if (file[i] == '\n') {
                        out.add(java.util.Arrays.copyOfRange(file, start, i));
                        start = i + 1;
                    }
                }
            }
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
            ClassLoader loader =
                    new URLClassLoader(new URL[] {classes.toUri().toURL()}, AlternatedEventLoop.class.getClassLoader());
            Class<?> parser = Class.forName("dev.kubelogs.job.parse.ContainerLineParser", true, loader);
            parse = parser.getMethod("parse", byte[].class, int.class, int.class);
            Class<?> line = Class.forName("dev.kubelogs.job.parse.ContainerLine", true, loader);
            record = line.getMethod("record");
            Class<?> lineRecord = Class.forName("dev.kubelogs.job.parse.LineRecord", true, loader);
            application = Class.forName("dev.kubelogs.job.enrich.EventJson", true, loader)
                    .getMethod("application", lineRecord, String.class);
        }
    }
}
