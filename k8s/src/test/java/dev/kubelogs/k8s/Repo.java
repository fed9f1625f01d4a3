package dev.kubelogs.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Paths of the files under test, relative to this module (surefire runs with basedir = k8s/). */
final class Repo {
    static final Path MODULE =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    static final Path ROOT = MODULE.getParent();
    static final Path MANIFESTS = MODULE.resolve("manifests");
    /** Manifests that are not applied by default (README): parsed like the manifests, never rendered. */
    static final Path EXAMPLES = MODULE.resolve("examples");
    /** The Kinesis transport's variant: a kustomize overlay of {@link #MANIFESTS} (README, "The Kinesis transport"). */
    static final Path KINESIS = MODULE.resolve("kinesis");

    static final Path IAM = MODULE.resolve("iam");
    static final Path README = MODULE.resolve("README.md");
    static final Path FLINK_CONF_DIR = ROOT.resolve("flink-conf");
    static final Path DOCKER = ROOT.resolve("docker");

    /** The deploy tokens, ${UPPER_CASE}; log4j lookups such as ${sys:log.file} do not match. */
    static final Pattern TOKEN = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private Repo() {}

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest files in apply order (their numeric prefixes), without the base's kustomization. */
    static List<Path> manifestFiles() {
        return yamlFiles(MANIFESTS).stream()
                .filter(p -> !p.getFileName().toString().equals(Kustomization.FILE))
                .toList();
    }

    /** The Kinesis overlay's kustomization and patches. */
    static List<Path> kinesisFiles() {
        return yamlFiles(KINESIS);
    }

    static List<Path> exampleFiles() {
        return yamlFiles(EXAMPLES);
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> iamFiles() {
        try (Stream<Path> s = Files.list(IAM)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file the README's render command runs through envsubst. */
    static List<Path> templatedFiles() {
        List<Path> all = new ArrayList<>(manifestFiles());
        all.addAll(kinesisFiles());
        all.addAll(iamFiles());
        all.add(FLINK_CONF_DIR.resolve("config.yaml"));
        return all;
    }

    static Set<String> tokensIn(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** What envsubst does when given an explicit variable list: only those ${NAME}s are replaced. */
    static String envsubst(String text, Map<String, String> values) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Realistic values for every documented token, to check that the rendered files are still valid. */
    static Map<String, String> sampleValues() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("CLUSTER_NAME", "prod-eu");
        v.put("AWS_REGION", "eu-west-1");
        v.put("AWS_ACCOUNT_ID", "123456789012");
        v.put("KUBELOGS_BUCKET", "acme-kubelogs-eu-west-1");
        v.put("IMAGE_REGISTRY", "123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        v.put("KUBELOGS_VERSION", "0.1.0");
        v.put("PROMETHEUS_NAMESPACE", "monitoring");
        v.put("FLINK_OPERATOR_NAMESPACE", "flink-operator");
        return v;
    }
}
