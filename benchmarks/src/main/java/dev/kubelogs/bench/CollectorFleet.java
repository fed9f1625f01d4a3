package dev.kubelogs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The collectors of an end-to-end run, one process per node as the DaemonSet runs them, configured by environment:
 * the generated nodes (each with a kubelet stand-in when the spec asks for pod metadata), then the idle nodes of an
 * S3 run. Starts them, drains them (read everything, then stop and seal) and closes them with their kubelets.
 */
public final class CollectorFleet implements AutoCloseable {
    private final List<CollectorProcess> collectors = new ArrayList<>();
    private final List<FakeKubelet> kubelets = new ArrayList<>();

    /** The processes, in start order: generated nodes, then idle ones. Also what the sampler reads. */
    List<CollectorProcess> processes() {
        return collectors;
    }

    /**
     * Starts one collector per generated node (and the spec's idle ones), {@code extraEnv} over each node's environment,
     * and waits until each serves its metrics.
     */
    void start(
            EndToEnd.Spec spec,
            Path repoRoot,
            Path work,
            Path spool,
            LoadGenerator gen,
            List<String> names,
            Map<String, String> extraEnv)
            throws Exception {
        Path collectorLogs = Files.createDirectories(work.resolve("collector-logs"));
        Path journalctl = fakeJournalctl(work);
        for (int i = 0; i < spec.nodes(); i++) {
            Map<String, String> env = nodeEnv(
                    spec, names.get(i), gen.logRoot(i), gen.journalDir(i), spool, work.resolve("state"), journalctl);
            if (spec.kubelet()) {
                FakeKubelet k = new FakeKubelet(
                        FakeKubelet.Material.generate(work.getParent().resolve("kubelet-tls")), gen.podsJson(i));
                kubelets.add(k);
                env.putAll(kubeletEnv(k.port(), k.tokenFile(), k.caFile()));
            }
            if (spec.s3() != null) {
                env.putAll(s3Env(spec.s3()));
            }
            env.putAll(extraEnv);
            collectors.add(CollectorProcess.start(
                    repoRoot, spec.collectorFlags(), env, collectorLogs.resolve(names.get(i) + ".log")));
        }
        for (int i = 0; spec.s3() != null && i < spec.s3().idleNodes(); i++) {
            String name = "idle-" + i;
            Path logRoot = Files.createDirectories(work.resolve("idle").resolve(name));
            Map<String, String> env = idleEnv(name, logRoot, spool, work.resolve("state"));
            env.putAll(s3Env(spec.s3()));
            collectors.add(
                    CollectorProcess.start(repoRoot, spec.collectorFlags(), env, collectorLogs.resolve(name + ".log")));
        }
        for (CollectorProcess c : collectors) {
            c.awaitUp(Duration.ofSeconds(60));
        }
    }

    /**
     * Waits until the first {@code nodes} collectors have read what the generator wrote for their node (false when
     * the deadline passed first), then stops and seals every collector, all at once.
     */
    boolean drain(LoadGenerator gen, int nodes, long deadlineNanos) throws Exception {
        boolean caughtUp = true;
        for (int i = 0; i < nodes; i++) {
            while (collectors.get(i).recordsRead() < gen.linesWritten(i)) {
                if (System.nanoTime() > deadlineNanos) {
                    caughtUp = false;
                    break;
                }
                Thread.sleep(100);
            }
        }
        List<CompletableFuture<Integer>> stops = new ArrayList<>();
        for (CollectorProcess c : collectors) {
            stops.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return c.stopAndSeal(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    return -1;
                }
            }));
        }
        for (CompletableFuture<Integer> f : stops) {
            f.get();
        }
        return caughtUp;
    }

    @Override
    public void close() {
        for (CollectorProcess c : collectors) {
            c.close();
        }
        for (FakeKubelet k : kubelets) {
            k.close();
        }
    }

    /** A generated node's collector: its log root and journal, the shared spool, its own state directory. */
    static Map<String, String> nodeEnv(
            EndToEnd.Spec spec,
            String name,
            Path logRoot,
            Path journalDir,
            Path spool,
            Path stateRoot,
            Path journalctl) {
        Map<String, String> env = commonEnv(name, logRoot, spool, stateRoot);
        env.put("HOST_LOGS", spec.hostMode().name().toLowerCase(Locale.ROOT));
        env.put("JOURNAL_DIR", journalDir.toString());
        env.put("JOURNALCTL", journalctl.toString());
        env.put(
                "NODE_ATTRIBUTES",
                "az=us-west-2a,ec2_instance_id=i-0"
                        + LoadGenerator.sha256Hex(name).substring(0, 16));
        return env;
    }

    /** What every collector of the run has: the cluster, its node, its log root, the shared spool, its own state. */
    private static Map<String, String> commonEnv(String name, Path logRoot, Path spool, Path stateRoot) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLUSTER_NAME", "bench");
        env.put("HOST_NAME", name);
        env.put("LOG_ROOT", logRoot.toString());
        env.put("SPOOL_DIR", spool.toString());
        env.put("STATE_DIR", stateRoot.resolve(name).toString());
        return env;
    }

    /** Pod metadata from the node's kubelet stand-in. */
    static Map<String, String> kubeletEnv(int port, Path tokenFile, Path caFile) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("USE_KUBELET", "On");
        env.put("KUBELET_HOST", "127.0.0.1");
        env.put("KUBELET_PORT", Integer.toString(port));
        env.put("KUBELET_TOKEN_FILE", tokenFile.toString());
        env.put("KUBELET_CA_FILE", caFile.toString());
        return env;
    }

    /** A collector of a node that writes no logs: an empty log root, no journal, no pods. */
    public static Map<String, String> idleEnv(String name, Path logRoot, Path spool, Path stateRoot) {
        Map<String, String> env = commonEnv(name, logRoot, spool, stateRoot);
        env.put("HOST_LOGS", "none");
        env.put("JOURNAL_DIR", logRoot.resolve("no-journal").toString());
        env.put("USE_KUBELET", "Off");
        return env;
    }

    /** The collectors' S3 settings: the bucket, the endpoint, the bench's keys (the SDK's chain reads them). */
    static Map<String, String> s3Env(EndToEnd.S3Run s3) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPOOL_S3_URI", s3.spoolUri());
        env.put("SPOOL_S3_ENDPOINT", s3.endpoint());
        env.put("AWS_REGION", "us-west-2");
        env.put("AWS_ACCESS_KEY_ID", CountingS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", CountingS3.SECRET_KEY);
        env.putAll(s3.collectorEnv());
        return env;
    }

    /**
     * A journalctl stand-in: follows the node's journal.jsonl (journal-like JSON entries) from its head and writes
     * them in journalctl's export format, which the collector reads.
     */
    static Path fakeJournalctl(Path work) throws IOException {
        Path script = work.resolve("journalctl");
        Files.writeString(script, """
                #!/bin/sh
                # benchmark stand-in for journalctl --output=export --follow: streams the generated entries (journal.jsonl, one flat
                # JSON object of string values a line) as export-format entries, from the file's head
                f=; for a in "$@"; do case "$a" in
                  --directory=*) d="${a#--directory=}";; --follow) f=1;; esac; done
                # without --follow (the tail position at a first start, the read to the end at seal) it
                # cannot honour a cursor, so it reports an empty journal instead of repeating entries
                [ -n "$f" ] || exit 0
                exec perl -e '
                $| = 1;
                my $path = shift;
                my $f;
                until (open($f, "<", $path)) { select(undef, undef, undef, 0.2); }
                my $buf = "";
                while (1) {
                  my $n = sysread($f, my $chunk, 65536);
                  if (!$n) { select(undef, undef, undef, 0.1); next; }
                  $buf .= $chunk;
                  while ((my $i = index($buf, "\\n")) >= 0) {
                    my $line = substr($buf, 0, $i);
                    $buf = substr($buf, $i + 1);
                    my $out = "";
                    while ($line =~ /"((?:[^"\\\\]|\\\\.)*)"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"/g) {
                      my ($k, $v) = ($1, $2);
                      $v =~ s/\\\\(.)/$1 eq "t" ? "\\t" : $1/ge;
                      $out .= "$k=$v\\n";
                    }
                    print $out, "\\n" if length $out;
                  }
                }' "$d/journal.jsonl"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
