import com.fasterxml.jackson.core.*;
import java.io.*;
import java.lang.reflect.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;

public class StringMicro {
    public static void main(String[] a) throws Exception {
        ClassLoader loader = new URLClassLoader(new URL[] {Path.of(a[0]).toUri().toURL()}, StringMicro.class.getClassLoader());
        Class<?> json = Class.forName("dev.kubelogs.job.parse.Json", true, loader);
        com.fasterxml.jackson.databind.ObjectMapper mapper = (com.fasterxml.jackson.databind.ObjectMapper) json.getField("MAPPER").get(null);
        Class<?> w = Class.forName("dev.kubelogs.job.enrich.FluentBitStringWriter", true, loader);
        Constructor<?> ctor = w.getDeclaredConstructor(); ctor.setAccessible(true);
        Object writer = ctor.newInstance();
        Method write = w.getDeclaredMethod("write", JsonGenerator.class, String.class); write.setAccessible(true);
        List<String> texts = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 4000; i++) {
            int pad = (int) Math.max(10, Math.exp(Math.log(180) + 0.5 * r.nextGaussian()));
            String filler = "abcdefghijklmnopqrstuvwxyz0123456789 ".repeat(pad / 37 + 1).substring(0, pad);
            texts.add(i % 2 == 0 ? "{\"level\":\"info\",\"msg\":\"order created " + i + "\",\"pad\":\"" + filler + "\"}\n"
                                 : "10.0.1.5 - - [05/Dec/2026:07:00:00 +0000] \"GET /api/orders/" + i + " HTTP/1.1\" 200 " + filler);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8);
        g.setRootValueSeparator(null);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double[] best = {1e9, 1e9};
        for (int round = 0; round < 400; round++) {
            for (int arm = 0; arm < 2; arm++) {
                long c0 = mx.getCurrentThreadCpuTime();
                for (String t : texts) {
                    if (arm == 0) g.writeString(t); else write.invoke(writer, g, t);
                    g.flush(); out.reset();
                }
                double ns = (double) (mx.getCurrentThreadCpuTime() - c0) / texts.size();
                if (round > 100) best[arm] = Math.min(best[arm], ns);
            }
        }
        System.out.printf("jackson writeString best %.0f ns, ours %.0f ns per string%n", best[0], best[1]);
    }
}
