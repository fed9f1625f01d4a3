package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import tools.jackson.databind.JsonNode;

/**
 * No Docker engine here, so the Dockerfiles are checked statically: they copy the files the Maven build really
 * produces (the shade plugin's finalName), put them where the manifests expect them, and agree with the manifests on
 * user, port and JVM sizing. Each build context whitelists exactly the copied jar.
 */
class DockerfileTest {

    static final Path JOB_DOCKERFILE = Repo.DOCKER.resolve("job.Dockerfile");
    static final Path COLLECTOR_DOCKERFILE = Repo.DOCKER.resolve("collector.Dockerfile");

    /** One Dockerfile instruction with continuation lines joined and comments removed. */
    record Instruction(String keyword, String args) {}

    @Test
    void jobImageCopiesTheShadedJarWhereTheFlinkDeploymentLooksForIt() {
        List<Instruction> ins = parse(JOB_DOCKERFILE);
        Instruction copy = single(ins, "COPY");
        String[] parts = copy.args().split("\\s+");
        assertThat(parts).hasSize(2);
        String source = parts[0];
        String dest = parts[1];
        // the shade plugin's output in job/pom.xml
        assertThat(source)
                .isEqualTo("job/target/"
                        + shadeFinalName(Repo.ROOT.resolve("job/pom.xml")).orElseThrow() + ".jar");
        String jarUri = Manifests.flinkDeployment(Manifests.load())
                .tree()
                .at("/spec/job/jarURI")
                .asString();
        assertThat(jarUri).isEqualTo("local://" + dest);
        assertThat(dest).startsWith("/opt/flink/usrlib/");
        assertThat(dockerignore(JOB_DOCKERFILE)).containsExactly("*", "!" + source);
    }

    @Test
    void jobImageIsTheOfficialFlinkImageOfTheProjectsFlinkVersionWithS3Enabled() {
        List<Instruction> ins = parse(JOB_DOCKERFILE);
        String flinkVersion = property(Repo.ROOT.resolve("pom.xml"), "flink.version");
        Instruction arg = ins.stream()
                .filter(i -> i.keyword().equals("ARG") && i.args().startsWith("FLINK_IMAGE="))
                .findFirst()
                .orElseThrow();
        assertThat(arg.args()).isEqualTo("FLINK_IMAGE=flink:" + flinkVersion + "-java17");
        assertThat(single(ins, "FROM").args()).isEqualTo("${FLINK_IMAGE}");
        String flinkVersionEnum = Manifests.flinkDeployment(Manifests.load())
                .tree()
                .at("/spec/flinkVersion")
                .asString();
        assertThat(flinkVersionEnum).isEqualTo("v" + flinkVersion.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2"));
        String run = String.join(
                "\n",
                ins.stream()
                        .filter(i -> i.keyword().equals("RUN"))
                        .map(Instruction::args)
                        .toList());
        assertThat(run)
                .contains(
                        "/opt/flink/opt/flink-s3-fs-presto-",
                        "/opt/flink/plugins/s3-fs-presto",
                        "flink-metrics-prometheus");
        // the unverified tag is called out where someone building the image will read it
        assertThat(Repo.read(JOB_DOCKERFILE)).contains("UNVERIFIED");
        // the operator generates /opt/flink/conf; a baked config would be dead weight with one cluster's bucket in it
        assertThat(ins).noneMatch(i -> i.args().contains("/opt/flink/conf"));
    }

    @Test
    void collectorImageCopiesTheFatJarAndRunsTheCollectorsMainClass() {
        List<Instruction> ins = parse(COLLECTOR_DOCKERFILE);
        Instruction copy = single(ins, "COPY");
        String[] parts = copy.args().split("\\s+");
        assertThat(parts).hasSize(2);
        String source = parts[0];
        assertThat(source).isEqualTo("node-collector/target/kubelogs-node-collector.jar");
        assertThat(dockerignore(COLLECTOR_DOCKERFILE)).containsExactly("*", "!" + source);

        List<String> entrypoint = execForm(single(ins, "ENTRYPOINT"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        int cp = entrypoint.indexOf("-cp");
        assertThat(cp).isPositive();
        assertThat(entrypoint.get(cp + 1)).isEqualTo(parts[1]);
        String mainClass = entrypoint.get(cp + 2);
        assertThat(mainClass).isEqualTo("dev.kubelogs.collector.CollectorCommand");
        Path mainSource = Repo.ROOT.resolve("node-collector/src/main/java/" + mainClass.replace('.', '/') + ".java");
        assertThat(mainSource).isRegularFile();
        assertThat(Repo.read(mainSource)).contains("public static void main(String[] args)");
    }

    /** The fat jar's name comes from node-collector's packaging plugin once it has one; until then it is the contract. */
    @Test
    void collectorJarNameMatchesTheCollectorBuild() {
        Optional<String> finalName = shadeFinalName(Repo.ROOT.resolve("node-collector/pom.xml"));
        assertThat(finalName).as("node-collector/pom.xml packages a fat jar").isPresent();
        assertThat(single(parse(COLLECTOR_DOCKERFILE), "COPY").args())
                .startsWith("node-collector/target/" + finalName.get() + ".jar ");
    }

    @Test
    void collectorImageAgreesWithTheDaemonSet() {
        List<Instruction> ins = parse(COLLECTOR_DOCKERFILE);
        DaemonSet ds = Manifests.one(Manifests.load(), DaemonSet.class, "kubelogs-collector");
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(single(ins, "USER").args())
                .isEqualTo(pod.getSecurityContext().getRunAsUser() + ":"
                        + pod.getSecurityContext().getRunAsGroup());
        assertThat(single(ins, "EXPOSE").args())
                .isEqualTo(String.valueOf(c.getPorts().get(0).getContainerPort()));
        assertThat(Repo.read(COLLECTOR_DOCKERFILE))
                .contains("useradd --system --uid " + pod.getSecurityContext().getRunAsUser());
        // HOST_LOGS=journald runs journalctl, so the image must have it
        assertThat(String.join(
                        "\n",
                        ins.stream()
                                .filter(i -> i.keyword().equals("RUN"))
                                .map(Instruction::args)
                                .toList()))
                .contains("systemd", "journalctl --version");
        assertThat(single(ins, "FROM").args()).isEqualTo("${JRE_IMAGE}");
        assertThat(ins)
                .anySatisfy(i -> assertThat(i.args()).startsWith("JRE_IMAGE=").contains("17-jre"));
    }

    /**
     * The collector's JVM policy, from the numbers in benchmarks/results/s2-collector/ (issue #3: start-up CPU of the
     * 1M-line tail test, RSS at 10k lines/s): C1 only, an AppCDS archive, two malloc arenas, a small young generation,
     * the heap sized from the container limit rather than -Xmx (a lower cap did not lower RSS: the heap only grows as
     * needed).
     */
    @Test
    void collectorJvmFlagsFitTheMemoryLimit() {
        List<String> entrypoint = execForm(single(parse(COLLECTOR_DOCKERFILE), "ENTRYPOINT"));
        assertThat(entrypoint).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData");
        // C1 only: C2 compiling start-up code cost more CPU per start than it saved over 1M lines, and ~6 MB of RSS
        assertThat(entrypoint).contains("-XX:TieredStopAtLevel=1");
        assertThat(entrypoint)
                .noneMatch(f -> f.startsWith("-Xmx")
                        || f.startsWith("-XX:MaxHeapSize")); // sized from the container limit instead
        double percent = entrypoint.stream()
                .filter(f -> f.startsWith("-XX:MaxRAMPercentage="))
                .map(f -> Double.parseDouble(f.substring(f.indexOf('=') + 1)))
                .findFirst()
                .orElseThrow();
        DaemonSet ds = Manifests.one(Manifests.load(), DaemonSet.class, "kubelogs-collector");
        Quantity limit = ds.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits()
                .get("memory");
        double heapMiB = Quantity.getAmountInBytes(limit).doubleValue() * percent / 100 / (1024 * 1024);
        // enough heap for the segment buffers, and at least ~48 MiB left for metaspace, code cache, stacks, NIO
        assertThat(heapMiB).isBetween(48.0, Quantity.getAmountInBytes(limit).doubleValue() / (1024 * 1024) - 48);
        assertThat(entrypoint).anySatisfy(f -> assertThat(f).matches("-Xss\\d+k"));
        // a 2 MiB young generation: ~3 MB less RSS than a third of the heap, no measurable CPU cost
        assertThat(entrypoint).contains("-Xmn2m");
        // one malloc arena per thread would add MBs of RSS for nothing
        assertThat(parse(COLLECTOR_DOCKERFILE))
                .anySatisfy(i -> assertThat(i.keyword() + " " + i.args()).isEqualTo("ENV MALLOC_ARENA_MAX=2"));
    }

    /**
     * The CDS archive the ENTRYPOINT maps is made in the image by a training run with the same JVM flags and the same
     * jar path (an archive made with other flags or another classpath is silently ignored: the start would just be
     * slower), before USER so that it is root-owned like the jar, by a training class that exists.
     */
    @Test
    void collectorImageTrainsTheCdsArchiveItsEntrypointMaps() {
        List<Instruction> ins = parse(COLLECTOR_DOCKERFILE);
        List<String> entrypoint = execForm(single(ins, "ENTRYPOINT"));
        int cp = entrypoint.indexOf("-cp");
        String jar = entrypoint.get(cp + 1);
        List<String> jvmFlags = entrypoint.subList(1, cp);
        String archiveFlag = jvmFlags.stream()
                .filter(f -> f.startsWith("-XX:SharedArchiveFile="))
                .findFirst()
                .orElseThrow();
        String archive = archiveFlag.substring(archiveFlag.indexOf('=') + 1);
        assertThat(archive).startsWith("/opt/kubelogs/").endsWith(".jsa");

        List<Instruction> trainings = ins.stream()
                .filter(i -> i.keyword().equals("RUN") && i.args().contains("-XX:ArchiveClassesAtExit="))
                .toList();
        assertThat(trainings).hasSize(1);
        Instruction training = trainings.get(0);
        String javaCommand = training.args().split(";")[0].strip();
        List<String> words = List.of(javaCommand.split("\\s+"));
        assertThat(words.get(0)).isEqualTo("java");
        int tcp = words.indexOf("-cp");
        assertThat(words.get(tcp + 1)).isEqualTo(jar);
        String trainingMain = words.get(tcp + 2);
        assertThat(words).hasSize(tcp + 3);
        assertThat(Repo.ROOT.resolve("node-collector/src/main/java/" + trainingMain.replace('.', '/') + ".java"))
                .isRegularFile();
        List<String> trainingFlags = new ArrayList<>(words.subList(1, tcp));
        assertThat(trainingFlags.remove("-XX:ArchiveClassesAtExit=" + archive))
                .as("archives to %s", archive)
                .isTrue();
        List<String> runtimeFlags = new ArrayList<>(jvmFlags);
        runtimeFlags.remove(archiveFlag);
        assertThat(trainingFlags).as("the training run's JVM flags").containsExactlyElementsOf(runtimeFlags);
        assertThat(training.args()).contains("test -s " + archive);

        int copyAt = ins.indexOf(single(ins, "COPY"));
        int trainAt = ins.indexOf(training);
        int userAt = ins.indexOf(single(ins, "USER"));
        assertThat(trainAt).isGreaterThan(copyAt).isLessThan(userAt);
    }

    // --- helpers ---

    static List<Instruction> parse(Path dockerfile) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = null;
        for (String raw : Repo.read(dockerfile).split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current == null)) {
                continue; // comments, including the parser directive, and blank lines between instructions
            }
            boolean continues = line.endsWith("\\");
            String body = continues ? line.substring(0, line.length() - 1).strip() : line;
            current = current == null
                    ? new StringBuilder(body)
                    : current.append(' ').append(body);
            if (!continues) {
                String s = current.toString().strip();
                int sp = s.indexOf(' ');
                out.add(new Instruction(
                        s.substring(0, sp).toUpperCase(), s.substring(sp + 1).strip()));
                current = null;
            }
        }
        assertThat(current).as("dangling line continuation in %s", dockerfile).isNull();
        return out;
    }

    static Instruction single(List<Instruction> ins, String keyword) {
        List<Instruction> hits =
                ins.stream().filter(i -> i.keyword().equals(keyword)).toList();
        assertThat(hits).as("%s instructions", keyword).hasSize(1);
        return hits.get(0);
    }

    /** ENTRYPOINT/CMD in exec form (JSON array), so the process is PID 1 and receives SIGTERM itself. */
    static List<String> execForm(Instruction i) {
        assertThat(i.args()).startsWith("[");
        List<String> out = new ArrayList<>();
        for (JsonNode n : Manifests.LENIENT.readTree(i.args())) {
            out.add(n.asString());
        }
        return out;
    }

    static List<String> dockerignore(Path dockerfile) {
        Path ignore = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
        assertThat(ignore).isRegularFile();
        return Repo.read(ignore)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    /** {@code <finalName>} of a maven-shade-plugin or maven-assembly-plugin configuration in the given pom. */
    static Optional<String> shadeFinalName(Path pom) {
        if (!Files.isRegularFile(pom)) {
            return Optional.empty();
        }
        NodeList names = (NodeList)
                xpath(
                        pom,
                        "//*[local-name()='plugin'][*[local-name()='artifactId' and "
                                + "(text()='maven-shade-plugin' or text()='maven-assembly-plugin')]]//*[local-name()='finalName']");
        return names.getLength() == 0
                ? Optional.empty()
                : Optional.of(names.item(0).getTextContent().strip());
    }

    static String property(Path pom, String name) {
        NodeList n = (NodeList)
                xpath(pom, "/*[local-name()='project']/*[local-name()='properties']/*[local-name()='" + name + "']");
        assertThat(n.getLength()).as("property %s in %s", name, pom).isEqualTo(1);
        return n.item(0).getTextContent().strip();
    }

    private static Object xpath(Path pom, String expr) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(Repo.read(pom))));
            return XPathFactory.newInstance().newXPath().evaluate(expr, doc, XPathConstants.NODESET);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + pom, e);
        }
    }
}
