import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Two builds of the job's classes in one JVM (one class loader each, Jackson shared), alternated round by round on
 * the same lines: CRI and Docker lines (half of the Docker ones with a JSON log for Merge_Log), 10 % of the lines in
 * Java stack traces, each parsed (ContainerLineParser.parse), run through the multiline joiner with the built-in
 * rule sets (one buffer per format, its state as the keyed stage keeps it) and every record it sends on written as
 * an application event with a kubernetes block (EventJson.application). Prints thread CPU ns and bytes allocated per
 * line per arm: best round and median.
 * Usage: java -cp <deps without the job> AlternatedRecordLoop <old classes dir> <new classes dir> [rounds]
 */
public final class AlternatedRecordLoop {
    static long sink;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        Arm[] arms = {new Arm("old", Path.of(args[0])), new Arm("new", Path.of(args[1]))};
        List<byte[]> lines = lines(20_000);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int r = 0; r < rounds; r++) {
            for (Arm arm : (r % 2 == 0 ? arms : new Arm[] {arms[1], arms[0]})) {
                long c0 = mx.getCurrentThreadCpuTime();
                long a0 = mx.getThreadAllocatedBytes(tid);
                arm.run(lines);
                arm.cpu.add((double) (mx.getCurrentThreadCpuTime() - c0) / lines.size());
                arm.alloc.add((double) (mx.getThreadAllocatedBytes(tid) - a0) / lines.size());
            }
        }
        for (Arm arm : arms) {
            List<Double> steady = arm.cpu.subList(rounds / 4, rounds);
            List<Double> steadyAlloc = arm.alloc.subList(rounds / 4, rounds);
            System.out.printf("%s: best %.0f ns, median %.0f ns CPU per line; median %.0f bytes allocated per line; %d events, checksum %x%n",
                    arm.name, min(steady), median(steady), median(steadyAlloc), arm.events, arm.checksum);
        }
        System.out.println("(checksum " + sink + ")");
    }

    static final String KUBERNETES = "{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\":\"shop\",\"pod_id\":"
            + "\"3f1e9a0b-1c2d-4e5f-8a9b-0c1d2e3f4a5b\",\"host\":\"ip-10-0-1-10.us-west-2.compute.internal\","
            + "\"container_name\":\"orders\",\"docker_id\":\"3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b\","
            + "\"container_image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\","
            + "\"labels\":{\"app\":\"orders\",\"pod-template-hash\":\"7d9c6b7f9d\"}}";

    static final class Arm {
        final String name;
        final Method parse, format, record, log, time, finalPiece, application;
        final Object joiner, output;
        final Class<?> bufferClass;
        final List<Double> cpu = new ArrayList<>(), alloc = new ArrayList<>();
        long events;
        /** Of every event's bytes in order: the same in both arms when they write the same events. */
        long checksum;

        Arm(String name, Path classes) throws Exception {
            this.name = name;
            ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, AlternatedRecordLoop.class.getClassLoader()) {
                @Override
                protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                    if (n.startsWith("dev.kubelogs.job.")) {
                        synchronized (getClassLoadingLock(n)) {
                            Class<?> c = findLoadedClass(n);
                            if (c == null) {
                                c = findClass(n);
                            }
                            return c;
                        }
                    }
                    return super.loadClass(n, resolve);
                }
            };
            Class<?> parser = loader.loadClass("dev.kubelogs.job.parse.ContainerLineParser");
            parse = parser.getMethod("parse", byte[].class, int.class, int.class);
            Class<?> line = loader.loadClass("dev.kubelogs.job.parse.ContainerLine");
            format = line.getMethod("format");
            record = line.getMethod("record");
            log = line.getMethod("log");
            time = line.getMethod("timeMillis");
            Class<?> joinerClass = loader.loadClass("dev.kubelogs.job.multiline.MultilineJoiner");
            Class<?> ruleSets = loader.loadClass("dev.kubelogs.job.multiline.BuiltInRuleSets");
            Object rules = ruleSets.getField("DEFAULT_APPLICATION").get(null);
            joiner = joinerClass.getConstructor(List.class, int.class).newInstance(rules, 2_000_000);
            bufferClass = loader.loadClass("dev.kubelogs.job.merge.StreamBuffer");
            Class<?> outputClass = loader.loadClass("dev.kubelogs.job.multiline.MultilineJoiner$Output");
            Class<?> recordClass = record.getReturnType();
            finalPiece = find(joinerClass, "finalPiece");
            application = loader.loadClass("dev.kubelogs.job.enrich.EventJson").getMethod("application", recordClass, String.class);
            output = Proxy.newProxyInstance(loader, new Class<?>[] {outputClass}, (proxy, m, a) -> {
                if (!m.getName().equals("emit")) {
                    return m.getName().equals("hashCode") ? 0 : m.getName().equals("equals") ? false : "out";
                }
                byte[] event = (byte[]) application.invoke(null, a[0], KUBERNETES);
                sink += event.length;
                checksum = checksum * 31 + java.util.Arrays.hashCode(event);
                events++;
                return null;
            });
        }

        static Method find(Class<?> c, String name) {
            for (Method m : c.getMethods()) {
                if (m.getName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalStateException(name);
        }

        void run(List<byte[]> lines) throws Exception {
            Object dockerBuffer = bufferClass.getConstructor().newInstance();
            Object criBuffer = bufferClass.getConstructor().newInstance();
            long offset = 0;
            for (byte[] bytes : lines) {
                Object parsed = parse.invoke(null, bytes, 0, bytes.length);
                Object f = format.invoke(parsed);
                Object buffer = f.toString().equals("CRI") ? criBuffer : dockerBuffer;
                finalPiece.invoke(joiner, buffer, f, record.invoke(parsed), log.invoke(parsed), time.invoke(parsed), offset, output);
                offset += bytes.length;
            }
            find(joiner.getClass(), "flushAll").invoke(joiner, dockerBuffer, output);
            find(joiner.getClass(), "flushAll").invoke(joiner, criBuffer, output);
        }
    }

    static double min(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).min().orElse(0); }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }

    static List<byte[]> lines(int n) {
        Random random = new Random(7);
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (out.size() < n) {
            i++;
            boolean cri = random.nextBoolean();
            if (random.nextInt(100) < 1) {
                // a Java stack trace of about 10 lines
                int frames = 5 + random.nextInt(11);
                out.add(line(cri, "java.lang.IllegalStateException: order " + i + " failed"));
                for (int f = 0; f < frames; f++) {
                    out.add(line(cri, "\tat dev.shop.orders.OrderService.step" + f + "(OrderService.java:" + (100 + f) + ")"));
                }
                continue;
            }
            int pad = (int) Math.max(10, Math.exp(Math.log(120) + 0.5 * random.nextGaussian()));
            String filler = "abcdefghijklmnopqrstuvwxyz0123456789 ".repeat(pad / 37 + 1).substring(0, pad);
            String text = !cri && random.nextBoolean()
                    ? "{\"level\":\"info\",\"msg\":\"order created " + i + "\",\"orderId\":" + i + ",\"pad\":\"" + filler + "\"}"
                    : "INFO order created " + i + " " + filler;
            out.add(line(cri, text));
        }
        return out.subList(0, n);
    }

    static byte[] line(boolean cri, String text) {
        String s = cri
                ? "2026-12-05T07:00:00.123456789Z stdout F " + text
                : "{\"log\":" + quote(text + "\n") + ",\"stream\":\"stdout\",\"time\":\"2026-12-05T07:00:00.123456789Z\"}";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
