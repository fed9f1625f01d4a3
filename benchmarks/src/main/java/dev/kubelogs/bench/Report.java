package dev.kubelogs.bench;

import static dev.kubelogs.bench.ReportText.row;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the parts' results and writes {@code report.md}, the PNG plots and {@code results.json} into the results
 * folder (rewritten after every part, so an interrupted suite still leaves what it measured).
 */
public final class Report {
    private final Path dir;
    private final PrintStream out;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> sections = new ArrayList<>();
    private final List<String[]> targets = new ArrayList<>();
    private Map<String, String> machine;
    private String loadStart;
    private String loadEnd;
    private String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    private CollectorProcess.JvmFlags flags;

    public Report(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    public void machine(Map<String, String> m, String load) {
        machine = m;
        loadStart = load;
        json.put("machine", m);
        json.put("started", started);
        json.put("loadAtStart", load);
    }

    public void collectorFlags(CollectorProcess.JvmFlags f) {
        flags = f;
        json.put("collectorJvmFlags", f.toString());
    }

    // ------------------------------------------------------------------ parts

    public void endToEnd(EndToEndResult r) throws IOException {
        json.put("e2e", r);
        add(EndToEndSection.render(r, dir));
    }

    public void collectorRates(List<EndToEndResult> rs) throws IOException {
        json.put("collectorRates", rs);
        add(CollectorSection.render(rs, flags, dir));
    }

    public void tail(TailThroughput.Result r) throws IOException {
        json.put("tail", r);
        add(TailSection.render(r));
    }

    public void state(List<EnumeratorStateBench.Row> rows) throws IOException {
        json.put("enumeratorState", rows);
        add(StateSection.render(rows));
    }

    public void saturation(Saturation.Result s, Duration bound) throws IOException {
        json.put("saturation", s);
        add(SaturationSection.render(s, bound, dir));
    }

    public void sink(SinkBench.Result fast, SinkBench.Result paced) throws IOException {
        json.put("sink", Map.of("unpaced", fast, "paced", paced));
        add(SinkSection.render(fast, paced));
    }

    public void jmh(List<Jmh.Row> rows) throws IOException {
        json.put("jmh", rows);
        add(JmhSection.render(rows));
    }

    public void finish(String load) throws IOException {
        loadEnd = load;
        json.put("loadAtEnd", load);
        write();
    }

    // ------------------------------------------------------------------ output

    /** Puts the section in (replacing an earlier one of the same key) with its targets, and rewrites the files. */
    private void add(ReportSection section) throws IOException {
        String key = section.key();
        sections.removeIf(s -> s.startsWith("<!-- " + key + " -->"));
        sections.add("<!-- " + key + " -->\n" + section.text());
        for (ReportSection.Target t : section.targets()) {
            targets.removeIf(old -> old[0].equals(t.what()));
            targets.add(new String[] {t.what(), t.measured(), t.met() ? "met" : "**not met**"});
        }
        write();
    }

    private void write() throws IOException {
        StringBuilder b = new StringBuilder("# kubelogs benchmark report\n\n");
        b.append("Started ")
                .append(started)
                .append(". Load average (1/5/15 min) at start: ")
                .append(loadStart)
                .append(loadEnd != null ? ", at end: " + loadEnd : "")
                .append(". ");
        b.append("Shared machines make numbers noisy: compare runs only at similar load.\n\n");
        if (machine != null) {
            b.append("| machine | |\n|---|---|\n");
            machine.forEach((k, v) -> row(b, k, v));
            if (flags != null) {
                row(b, "collector JVM flags", "`" + String.join(" ", flags.flags()) + "` (" + flags.source() + ")");
            }
            b.append('\n');
        }
        if (!targets.isEmpty()) {
            b.append("## Targets (issue 7)\n\n| target | measured | |\n|---|---|---|\n");
            for (String[] t : targets) {
                b.append("| ")
                        .append(t[0])
                        .append(" | ")
                        .append(t[1])
                        .append(" | ")
                        .append(t[2])
                        .append(" |\n");
            }
            b.append('\n');
        }
        for (String s : sections) {
            b.append(s).append('\n');
        }
        Files.writeString(dir.resolve("report.md"), b.toString());
        com.fasterxml.jackson.databind.module.SimpleModule asText =
                new com.fasterxml.jackson.databind.module.SimpleModule();
        for (Class<?> c : List.of(Duration.class, Path.class, LineSizes.class, CollectorProcess.JvmFlags.class)) {
            asText.addSerializer(c, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance);
        }
        ObjectMapper m = new ObjectMapper()
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .registerModule(asText);
        m.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
        try {
            m.writeValue(dir.resolve("results.json").toFile(), json);
        } catch (IOException | RuntimeException e) {
            out.println("  (results.json not written: " + e + ")");
        }
    }
}
