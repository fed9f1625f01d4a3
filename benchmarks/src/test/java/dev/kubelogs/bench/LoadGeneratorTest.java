package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator is the ground truth every benchmark and the chaos drill count against: each record must be on disk
 * once, with a token naming node, source and sequence, in the format and layout of a real EKS node.
 */
class LoadGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("kl=(\\d+)\\.(\\d+)\\.(\\d+)\\.\\d+(?: frames=(\\d+))?");
    private static final Pattern CRI = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z stdout F .*");
    private static final List<String> NODES = List.of("ip-10-0-1-10.ec2.internal", "ip-10-0-1-11.ec2.internal");

    @TempDir
    Path tmp;

    private static LoadGenerator.Config config(long rotateEveryMillis, long copytruncateEveryMillis) {
        return new LoadGenerator.Config(
                NODES.size(),
                2_000,
                LineSizes.parse("lognormal:220,0.5"),
                0.05,
                3,
                8,
                rotateEveryMillis,
                4,
                copytruncateEveryMillis,
                copytruncateEveryMillis / 4,
                LoadGenerator.HostMode.FILES,
                7);
    }

    @Test
    void everyRecordIsOnDiskOnceInItsSourcesFormatAndTheLineCountsAddUp() throws Exception {
        LoadGenerator gen = new LoadGenerator(tmp, NODES, config(0, 0));
        gen.run(1_000);
        gen.close();

        long traceLines = 0;
        for (int node = 0; node < NODES.size(); node++) {
            Read read = read(gen.logRoot(node), node);
            assertThat(read.lines).as("lines on disk of node %d", node).isEqualTo(gen.linesWritten(node));
            for (int s = 0; s < gen.sources().size(); s++) {
                assertThat(read.seqs.getOrDefault(s, new ArrayList<>()))
                        .as(
                                "sequence numbers of %s on node %d",
                                gen.sources().get(s).name(), node)
                        .containsExactlyElementsOf(range(0, gen.records(node, s)));
            }
            traceLines += read.traceLines;
        }
        assertThat(gen.traces()).isPositive();
        double share = traceLines / (double) gen.totalLines();
        assertThat(share).as("share of lines in stack traces (asked: 0.05)").isBetween(0.025, 0.10);
    }

    @Test
    void rotationKeepsFourFilesAndCopytruncateLosesNoLineOfWhatItKeeps() throws Exception {
        LoadGenerator gen = new LoadGenerator(tmp, NODES, config(200, 300));
        gen.run(1_500);
        gen.close();

        assertThat(gen.rotations()).isPositive();
        assertThat(gen.copytruncates()).isPositive();
        for (int node = 0; node < NODES.size(); node++) {
            Read read = read(gen.logRoot(node), node);
            for (int s = 0; s < gen.sources().size(); s++) {
                List<Long> seqs = read.seqs.getOrDefault(s, new ArrayList<>());
                long records = gen.records(node, s);
                // older files are gone (kubelet keeps 5, logrotate 1 copy): what is kept is the newest records, whole
                assertThat(seqs)
                        .as("%s on node %d", gen.sources().get(s).name(), node)
                        .isNotEmpty()
                        .containsExactlyElementsOf(range(records - seqs.size(), records));
            }
        }
        try (Stream<Path> files = Files.walk(gen.logRoot(0).resolve("pods"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("0.log."))
                            .map(Path::getParent)
                            .collect(Collectors.groupingBy(p -> p, Collectors.counting())))
                    .allSatisfy((dir, rotated) ->
                            assertThat(rotated).as(dir.toString()).isBetween(1L, 4L));
        }
    }

    @Test
    void containerLogsHaveTheKubeletLayoutAndTheKubeletListsTheirPods() throws Exception {
        LoadGenerator gen = new LoadGenerator(tmp, NODES, config(0, 0));
        gen.close();

        JsonNode pods = JSON.readTree(gen.podsJson(1));
        List<String> links = new ArrayList<>();
        try (Stream<Path> files = Files.list(gen.logRoot(1).resolve("containers"))) {
            files.forEach(p -> links.add(p.getFileName().toString()));
        }
        assertThat(links).hasSize(pods.path("items").size()).hasSize(LoadGenerator.CONTAINERS.size());
        for (JsonNode pod : pods.path("items")) {
            String name = pod.at("/metadata/name").asText();
            String ns = pod.at("/metadata/namespace").asText();
            String container = pod.at("/status/containerStatuses/0/name").asText();
            String id =
                    pod.at("/status/containerStatuses/0/containerID").asText().replace("containerd://", "");
            assertThat(pod.at("/spec/nodeName").asText()).isEqualTo(NODES.get(1));
            Path link =
                    gen.logRoot(1).resolve("containers").resolve(name + "_" + ns + "_" + container + "-" + id + ".log");
            assertThat(Files.isSymbolicLink(link)).as(link.toString()).isTrue();
            assertThat(Files.readSymbolicLink(link))
                    .isEqualTo(gen.logRoot(1)
                            .resolve("pods")
                            .resolve(ns + "_" + name + "_"
                                    + pod.at("/metadata/uid").asText())
                            .resolve(container)
                            .resolve("0.log")
                            .toAbsolutePath());
        }
    }

    /** Tokens found in a node's files by source (sorted, duplicates kept), lines and lines of stack traces. */
    private static final class Read {
        final Map<Integer, List<Long>> seqs = new TreeMap<>();
        long lines;
        long traceLines;
    }

    private static Read read(Path logRoot, int node) throws IOException {
        Read read = new Read();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(logRoot)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList(); // the containers/ links are read through their pods/ files
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            boolean docker = file.toString().contains("/orders/");
            boolean cri = file.toString().contains("/pods/") && !docker;
            int framesLeft = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                read.lines++;
                String text = line;
                if (docker) {
                    JsonNode entry = JSON.readTree(line);
                    assertThat(entry.path("stream").asText()).as(name).isEqualTo("stdout");
                    assertThat(entry.path("time").asText()).as(name).isNotEmpty();
                    text = entry.path("log").asText();
                    assertThat(text).as(name).endsWith("\n");
                } else if (cri) {
                    assertThat(line).as(name).matches(CRI);
                }
                if (framesLeft > 0) {
                    assertThat(text).as("a frame of a stack trace in " + name).contains("\tat com.example.bench.F");
                    framesLeft--;
                    read.traceLines++;
                    continue;
                }
                Matcher m = TOKEN.matcher(text);
                assertThat(m.find())
                        .as("a record's token in %s: %s", name, line)
                        .isTrue();
                assertThat(Integer.parseInt(m.group(1))).isEqualTo(node);
                read.seqs
                        .computeIfAbsent(Integer.parseInt(m.group(2)), k -> new ArrayList<>())
                        .add(Long.parseLong(m.group(3)));
                if (m.group(4) != null) {
                    framesLeft = Integer.parseInt(m.group(4));
                    read.traceLines++;
                }
            }
            assertThat(framesLeft).as("a stack trace cut at the end of " + name).isZero();
        }
        read.seqs.values().forEach(Collections::sort); // files are read in no particular order
        return read;
    }

    private static List<Long> range(long from, long to) {
        List<Long> all = new ArrayList<>();
        for (long i = from; i < to; i++) {
            all.add(i);
        }
        return all;
    }
}
