package dev.kubelogs.bench.chaos;

import dev.kubelogs.bench.CollectorProcess;
import dev.kubelogs.bench.DeliveryLedger;
import dev.kubelogs.bench.Dirs;
import dev.kubelogs.bench.EndpointProcess;
import dev.kubelogs.bench.LineSizes;
import dev.kubelogs.bench.LoadGenerator;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.launcher.cluster.ClusterConfig;
import dev.kubelogs.launcher.cluster.JvmProcess;
import dev.kubelogs.launcher.cluster.LocalFlinkCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * One drill: N nodes' logs written at a steady rate, one collector process per node, the local endpoint in its own JVM,
 * the job's shaded jar run over REST on a {@link LocalFlinkCluster} (ZooKeeper HA, RocksDB, file checkpoints), and the
 * {@link Schedule}'s faults injected for real (signals to processes, the endpoint's fault switches, REST calls). Then
 * every generated record is looked for by content in every log group.
 */
final class ChaosRun {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** What to run. */
    private static final long ROTATE_EVERY_MILLIS = 20_000;

    /**
     * Rotated files a node keeps: the whole run's. A kubelet keeps 5 files of 10 MiB per container, ~17 minutes of a
     * container writing at the drill's rate, longer than any outage the drill makes; rotating every 20 s to exercise
     * rotation, the drill keeps as much time instead. (With kubelet's 4 rotated files here, a collector killed during
     * a long outage finds its files deleted: lost, as for any node-local shipper, and counted by the collector.)
     */
    static int rotatedFilesKept(Duration duration) {
        return Math.max(4, (int) (duration.toMillis() / ROTATE_EVERY_MILLIS) + 4);
    }

    record Options(
            Path repoRoot,
            Path work,
            int nodes,
            double ratePerNode,
            Duration duration,
            Schedule schedule,
            Duration checkpointInterval,
            String taskManagerMemory,
            long spoolMaxBytes,
            long segmentMaxBytes,
            Duration drainTimeout,
            TmLostMode tmLost) {

        int taskManagers() {
            return tmLost.taskManagers((int) schedule.faults().stream()
                    .filter(f -> f.kind() == FaultKind.TM_LOST)
                    .count());
        }

        int parallelism() {
            return tmLost.parallelism(taskManagers());
        }
    }

    /** What happened. */
    record Result(
            long linesWritten,
            long recordsExpected,
            DeliveryLedger.Counts counts,
            List<String> lostSamples,
            List<Outcome> outcomes,
            List<Monitor.Sample> samples,
            long spoolFullPauses,
            long startMillis,
            DeliveryLedger ledger,
            String error) {
        boolean passed() {
            return error == null && counts != null && counts.clean();
        }
    }

    private final Options options;
    private final PrintStream out;
    private DrillCollectors collectors;
    private LocalFlinkCluster cluster;
    private EndpointProcess endpoint;
    private DrillJob job;
    /** When the generator stops writing: a spool cannot fill after it. */
    private volatile long writingEndsMillis = Long.MAX_VALUE;

    private TaskManagerFaults taskManagerFaults;

    ChaosRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    Result run() throws Exception {
        Path work = options.work().toAbsolutePath().normalize();
        Dirs.deleteRecursively(work);
        Path spool = Files.createDirectories(work.resolve("spool"));
        Path data = work.resolve("endpoint-data");
        Path logs = Files.createDirectories(work.resolve("logs"));
        List<Outcome> outcomes = new ArrayList<>();
        LoadGenerator.Config gc = new LoadGenerator.Config(
                options.nodes(),
                options.ratePerNode(),
                LineSizes.parse("lognormal:220,0.5"),
                0.05,
                5,
                20,
                ROTATE_EVERY_MILLIS,
                rotatedFilesKept(options.duration()),
                0,
                1500,
                LoadGenerator.HostMode.FILES,
                options.schedule().seed());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < options.nodes(); i++) {
            names.add(
                    String.format(Locale.ROOT, "ip-10-0-%d-%d.us-west-2.compute.internal", 1 + i / 200, 10 + i % 200));
        }
        Monitor monitor = null;
        long linesWritten = 0;
        long start = -1;
        try (LoadGenerator gen = new LoadGenerator(work.resolve("nodes"), names, gc)) {
            endpoint = EndpointProcess.start(data, logs.resolve("endpoint.log"), START_TIMEOUT, List.of("-Xmx512m"));
            say("endpoint %s (own JVM, data in %s)", endpoint.endpoint(), data);
            cluster = LocalFlinkCluster.start(
                    options.repoRoot(),
                    work.resolve("cluster"),
                    new ClusterConfig.Settings(
                            options.taskManagers(), options.taskManagerMemory(), "768m", options.checkpointInterval()),
                    START_TIMEOUT);
            taskManagerFaults = new TaskManagerFaults(cluster, options.tmLost(), () -> job.status());
            say(
                    "Flink cluster: ZooKeeper, JobManager, %d TaskManagers (job parallelism %d); REST %s, logs %s",
                    options.taskManagers(),
                    options.parallelism(),
                    cluster.rest().base(),
                    cluster.logDir());
            startCollectors(gen, names, spool, work, logs);
            job = new DrillJob(
                    cluster,
                    DrillJob.args(spool, endpoint.endpoint(), options.parallelism()),
                    options.parallelism(),
                    START_TIMEOUT,
                    message -> say("%s", message));
            job.submit(null);
            say("job %s running (jar uploaded and run over REST)", job.id());
            monitor = new Monitor(cluster.rest(), job::id, endpoint);

            Thread generator = new Thread(
                    () -> {
                        try {
                            gen.run(options.duration().toMillis());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    "chaos-generator");
            start = System.currentTimeMillis();
            writingEndsMillis = start + options.duration().toMillis();
            generator.start();
            List<Future<Outcome>> running = injectAll(start, monitor);
            generator.join();
            linesWritten = gen.totalLines();
            say(
                    "generated %,d lines in %.0f s; waiting for the faults to end and for delivery…",
                    linesWritten, (System.currentTimeMillis() - start) / 1000.0);
            List<Outcome> pending = new ArrayList<>();
            for (Future<Outcome> f : running) {
                pending.add(f.get());
            }
            awaitDelivery(DeliveryLedger.totalExpectedRecords(gen));
            monitor.close();
            List<Monitor.Sample> samples = monitor.samples();
            for (Outcome o : pending) {
                outcomes.add(Outcome.of(o.fault(), o.injectedMillis(), o.healedMillis(), o.note(), samples));
            }
            shutDown();
            DeliveryLedger ledger =
                    DeliveryLedger.afterRun(gen, 0, options.duration().toMillis());
            try (LocalCloudWatchLogs cw =
                    LocalCloudWatchLogs.builder().dataDir(data).port(0).start()) {
                ledger.readAll(cw);
            }
            ledger.tally(DeliveryLedger.expectedRecords(gen));
            List<Outcome> measured = DrillCheck.withLatencyPeaks(outcomes, ledger::maxLatencyIngestedBetween);
            return new Result(
                    linesWritten,
                    ledger.expectedRecords(),
                    ledger.counts(),
                    ledger.lostSamples(),
                    measured,
                    samples,
                    DrillCheck.spoolFullPauses(logs),
                    start,
                    ledger,
                    null);
        } catch (Exception e) {
            say("drill failed: %s", e);
            e.printStackTrace(out);
            return new Result(
                    linesWritten,
                    0,
                    null,
                    List.of(),
                    outcomes,
                    monitor == null ? List.of() : monitor.samples(),
                    DrillCheck.spoolFullPauses(logs),
                    start,
                    null,
                    e.toString());
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            shutDown();
        }
    }

    private void startCollectors(LoadGenerator gen, List<String> names, Path spool, Path work, Path logs)
            throws Exception {
        List<Map<String, String>> envs = new ArrayList<>();
        List<Path> collectorLogs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CLUSTER_NAME", "chaos");
            env.put("HOST_NAME", names.get(i));
            env.put("LOG_ROOT", gen.logRoot(i).toString());
            env.put("SPOOL_DIR", spool.toString());
            env.put(
                    "STATE_DIR",
                    work.resolve("collector-state").resolve(names.get(i)).toString());
            env.put("HOST_LOGS", "files");
            env.put("SPOOL_MAX_BYTES", Long.toString(options.spoolMaxBytes()));
            env.put("SEGMENT_MAX_BYTES", Long.toString(options.segmentMaxBytes()));
            env.put(
                    "NODE_ATTRIBUTES",
                    "az=us-west-2a,ec2_instance_id=i-0"
                            + Integer.toHexString(names.get(i).hashCode()));
            envs.add(env);
            collectorLogs.add(logs.resolve("collector-" + (i + 1) + ".log"));
        }
        collectors = new DrillCollectors(
                options.repoRoot(), CollectorProcess.flags(options.repoRoot(), "docker", "128m"), START_TIMEOUT);
        collectors.start(envs, collectorLogs);
    }

    /** Runs every fault on its own thread at its planned moment, so faults overlap as planned. */
    private List<Future<Outcome>> injectAll(long start, Monitor monitor) {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chaos-fault");
            t.setDaemon(true);
            return t;
        });
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Schedule.Fault f : options.schedule().faults()) {
            futures.add(pool.submit(() -> {
                long wait = start + f.at().toMillis() - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                return inject(f);
            }));
        }
        pool.shutdown();
        return futures;
    }

    private Outcome inject(Schedule.Fault f) {
        long injected = System.currentTimeMillis();
        String note = "";
        try {
            note = switch (f.kind()) {
                case TM_KILL -> taskManagerFaults.kill(f);
                case TM_LOST -> taskManagerFaults.lose(f);
                case SPOOL_FULL -> fillSpools();
                case JM_KILL -> {
                    synchronized (cluster) {
                        cluster.state().jobManager().kill(Duration.ofSeconds(30));
                    }
                    Thread.sleep(3_000);
                    yield startJobManager();
                }
                case COLLECTOR_KILL, COLLECTOR_TERM -> collectors.restart(f);
                case THROTTLE -> arm("{\"fault\":\"throttle\",\"operation\":\"PutLogEvents\",\"count\":20}");
                case UNAVAILABLE ->
                    arm("{\"fault\":\"unavailable\",\"operation\":\"PutLogEvents\",\"count\":10,\"status\":503}");
                case DROP_ANSWER -> arm("{\"fault\":\"dropResponse\",\"count\":3}");
                case STALL -> arm("{\"fault\":\"delayResponse\",\"count\":1,\"delayMillis\":35000}");
                case SAVEPOINT_RESTORE -> job.upgrade();
            };
        } catch (Exception e) {
            note = "injection failed: " + e;
            synchronized (out) {
                out.println("  fault #" + f.id() + " " + f.kind().id() + ": injection failed");
                e.printStackTrace(out);
            }
        }
        long healed = System.currentTimeMillis();
        say(
                "  fault #%d %s on %s: injected, healed after %.1f s %s",
                f.id(), f.kind().id(), f.targetName(), (healed - injected) / 1000.0, note);
        return new Outcome(f, injected, healed, -1, -1, -1, note);
    }

    /**
     * spool-full: every TaskManager frozen with SIGSTOP, so the job reads nothing while the collectors go on writing,
     * until each collector has paused tailing at its spool limit (its log says so), 2 minutes passed or the writing ended;
     * then resumed.
     */
    private String fillSpools() throws Exception {
        List<JvmProcess> frozen = new ArrayList<>();
        List<Long> before = new ArrayList<>();
        List<Path> logs = collectors.logs();
        for (Path log : logs) {
            before.add(CollectorLog.pauses(log));
        }
        long from = System.currentTimeMillis();
        int paused = 0;
        try {
            synchronized (cluster) {
                for (JvmProcess tm : cluster.state().taskManagers()) {
                    if (tm.alive()) {
                        tm.pause();
                        frozen.add(tm);
                    }
                }
            }
            // until every collector paused, 2 minutes, or shortly after the last line was written
            long end = Math.min(from + 120_000, Math.max(from, writingEndsMillis) + 5_000);
            while (System.currentTimeMillis() < end) {
                paused = 0;
                for (int i = 0; i < logs.size(); i++) {
                    // one paused before the freeze (the job was down already) logs no new pause: it is at its limit all
                    // the same
                    CollectorLog.Pauses now = CollectorLog.read(logs.get(i));
                    paused += now.count() > before.get(i) || now.pausedNow() ? 1 : 0;
                }
                if (paused == logs.size()) {
                    break;
                }
                Thread.sleep(500);
            }
        } finally {
            for (JvmProcess tm : frozen) {
                tm.resume();
            }
        }
        return String.format(
                Locale.ROOT,
                "%d TaskManagers frozen %.1f s; %d of %d collectors paused at their spool limit",
                frozen.size(),
                (System.currentTimeMillis() - from) / 1000.0,
                paused,
                logs.size());
    }

    /**
     * Starts the JobManager and waits for its REST API, as a Kubernetes Deployment would restart it: a JobManager that
     * exits on its own while recovering (a fatal error) is started again, up to 3 times, and named in the note.
     */
    private String startJobManager() throws Exception {
        List<String> exits = new ArrayList<>();
        for (int attempt = 0; attempt < 4; attempt++) {
            synchronized (cluster) {
                cluster.startJobManager();
            }
            long end = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < end
                    && cluster.state().jobManager().alive()
                    && cluster.rest().overviewOrNull() == null) {
                Thread.sleep(250);
            }
            // a fatal error in recovery comes a little after the REST API is up
            Thread.sleep(10_000);
            if (cluster.state().jobManager().alive()) {
                return exits.isEmpty()
                        ? ""
                        : "the restarted JobManager exited on its own " + exits.size()
                                + " time(s) ("
                                + String.join("; ", exits) + "); started again";
            }
            exits.add(lastFatalError());
        }
        throw new IOException("the JobManager exits on every start: " + String.join("; ", exits));
    }

    private String lastFatalError() {
        try (Stream<String> lines = Files.lines(cluster.logDir().resolve("jobmanager.log"))) {
            List<String> causes = lines.filter(l -> l.startsWith("Caused by:") || l.contains("Fatal error"))
                    .toList();
            return causes.isEmpty() ? "no fatal error logged" : causes.get(causes.size() - 1);
        } catch (IOException e) {
            return "log unreadable: " + e.getMessage();
        }
    }

    private String arm(String json) throws IOException {
        endpoint.armFaults(json);
        return "";
    }

    /** Waits until the endpoint holds at least every generated record and stops growing, or the drain timeout. */
    private void awaitDelivery(long expected) throws InterruptedException {
        long end = System.nanoTime() + options.drainTimeout().toNanos();
        long quiet = Math.max(10_000, options.checkpointInterval().toMillis() * 4);
        long last = -1;
        long since = System.currentTimeMillis();
        while (System.nanoTime() < end) {
            long stored = endpoint.storedEvents();
            if (stored != last) {
                last = stored;
                since = System.currentTimeMillis();
            } else if (stored >= expected && System.currentTimeMillis() - since >= quiet) {
                say("delivered: %,d events stored for %,d records generated", stored, expected);
                return;
            }
            Thread.sleep(500);
        }
        say("drain timeout: %,d events stored for %,d records generated", last, expected);
    }

    synchronized void shutDown() {
        if (collectors != null) {
            try {
                collectors.stopAll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (cluster != null) {
            try {
                if (job != null) {
                    job.cancel();
                }
            } catch (IOException ignored) {
                // the cluster is stopped next anyway
            }
            try {
                cluster.stop(Duration.ofSeconds(30));
            } catch (IOException e) {
                say("cluster stop: %s", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (endpoint != null) {
            try {
                endpoint.stop(Duration.ofSeconds(30));
            } catch (IOException e) {
                say("endpoint stop: %s", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endpoint = null;
        }
        cluster = null;
    }

    private void say(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
