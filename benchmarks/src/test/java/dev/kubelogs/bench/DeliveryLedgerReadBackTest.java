package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.SettableClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The live ledger (events handed over by the endpoint as it stores them) against the read-back of the same endpoint,
 * which kept every event, and against the percentiles of the sorted latencies (what the check computed before it
 * went live): a run with lost, duplicated, rejected, unknown and dead-lettered records and broken stack traces.
 */
class DeliveryLedgerReadBackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String APP = "/aws/containerinsights/c/application";
    private static final String DEAD_LETTER = "/aws/containerinsights/c/kubelogs-dead-letter";
    private static final long NOW = Instant.parse("2026-12-05T00:00:00Z").toEpochMilli();
    private static final long GEN_START = NOW - 60_000;
    private static final long WARMUP = 10_000;
    private static final long PLANNED = 50_000;
    private static final int RECORDS = 200;

    private record Sent(long timestamp, String message, boolean matched, long writeMillis) {}

    @Test
    void theLiveLedgerFindsWhatTheReadBackFindsAndTheSortedLatenciesGive() throws Exception {
        SettableClock clock = new SettableClock(Instant.ofEpochMilli(NOW));
        DeliveryLedger live = ledger();
        SplittableRandom random = new SplittableRandom(5);
        long[][] expected = {{RECORDS, RECORDS}, {RECORDS, RECORDS}};
        long lost = 0;
        long duplicated = 0;
        long broken = 0;
        Map<Integer, List<Sent>> byNode = new TreeMap<>();
        for (int n = 0; n < 2; n++) {
            List<Sent> sent = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                for (int q = 0; q < RECORDS; q++) {
                    long write = GEN_START + q * 250L + n * 7 + s * 3;
                    String message;
                    if (s == 0 && q % 10 == 0) {
                        boolean breakIt = q % 50 == 0;
                        broken += breakIt ? 1 : 0;
                        message = DeliveryLedgerTest.trace(n, q, write, 5, breakIt ? 4 : 5);
                    } else {
                        message = DeliveryLedgerTest.line(n, s, q, write);
                    }
                    double r = random.nextDouble();
                    if (r < 0.02) {
                        lost++;
                        continue;
                    }
                    sent.add(new Sent(write, message, true, write));
                    if (r < 0.05) {
                        duplicated++;
                        sent.add(new Sent(write, message, true, write));
                    }
                }
            }
            byNode.put(n, sent);
        }
        // unknown: no token, a node the run does not have, a record past what the generator wrote
        byNode.get(0).add(new Sent(GEN_START, "no token", false, 0));
        byNode.get(0).add(new Sent(GEN_START, DeliveryLedgerTest.line(5, 0, 0, GEN_START), false, 0));
        // (the live ledger takes the last one's latency when it arrives, before the run's counts are known; the
        // read-back, with the same bounds, does too)
        byNode.get(1).add(new Sent(GEN_START, DeliveryLedgerTest.line(1, 1, RECORDS, GEN_START), true, GEN_START));

        List<long[]> matched = new ArrayList<>();
        try (LocalCloudWatchLogs cw =
                LocalCloudWatchLogs.builder().clock(clock).eventListener(live).start()) {
            call(cw, "CreateLogGroup", body(APP, null));
            call(cw, "CreateLogGroup", body(DEAD_LETTER, null));
            call(cw, "CreateLogStream", body(DEAD_LETTER, "s"));
            put(cw, DEAD_LETTER, "s", List.of(new Sent(NOW, "{\"reason\":\"oversize\"}", false, 0)));
            for (Map.Entry<Integer, List<Sent>> node : byNode.entrySet()) {
                String stream = "node-" + node.getKey();
                call(cw, "CreateLogStream", body(APP, stream));
                List<Sent> all = node.getValue();
                for (int from = 0; from < all.size(); from += 37) {
                    List<Sent> batch = new ArrayList<>(all.subList(from, Math.min(all.size(), from + 37)));
                    batch.sort(Comparator.comparingLong(Sent::timestamp));
                    clock.advance(Duration.ofMillis(random.nextLong(1_500)));
                    put(cw, APP, stream, batch);
                    for (Sent e : batch) {
                        if (e.matched()) {
                            matched.add(new long[] {e.writeMillis(), clock.millis()});
                        }
                    }
                }
            }
            // a record in an event the endpoint rejects as too old never arrives: lost
            Sent tooOld = byNode.get(0).stream()
                    .filter(e -> e.message().contains("kl=0.1.7."))
                    .findFirst()
                    .orElseThrow();
            put(cw, APP, "node-0", List.of(new Sent(NOW - Duration.ofDays(15).toMillis(), tooOld.message(), false, 0)));

            DeliveryLedger readBack = ledger();
            readBack.readAll(cw);
            live.tally(expected);
            readBack.tally(expected);

            DeliveryLedger.Counts counts = live.counts();
            assertThat(counts).isEqualTo(readBack.counts());
            assertThat(counts.lost()).isEqualTo(lost).isPositive();
            assertThat(counts.duplicated()).isEqualTo(duplicated).isPositive();
            assertThat(counts.brokenTraces()).isEqualTo(broken).isPositive();
            assertThat(counts.unknown()).isEqualTo(3);
            assertThat(counts.deadLetters()).isEqualTo(1);
            assertThat(live.lostSamples()).isEqualTo(readBack.lostSamples());
            assertThat(live.lostBySource).isEqualTo(readBack.lostBySource);
            assertThat(live.eventsByGroup).isEqualTo(readBack.eventsByGroup);
            assertThat(live.samplesOfUnknown).containsExactlyInAnyOrderElementsOf(readBack.samplesOfUnknown);

            EndToEndResult fromLive = result(live);
            EndToEndResult fromReadBack = result(readBack);
            EndToEndResult sorted = sortedLatencies(matched);
            for (EndToEndResult r : List.of(fromReadBack, sorted)) {
                assertThat(fromLive.p50).isEqualTo(r.p50);
                assertThat(fromLive.p95).isEqualTo(r.p95);
                assertThat(fromLive.p99).isEqualTo(r.p99);
                assertThat(fromLive.pMax).isEqualTo(r.pMax);
                assertThat(fromLive.p99LastThird).isEqualTo(r.p99LastThird);
                assertThat(fromLive.latencyOverTime).hasSameSizeAs(r.latencyOverTime);
                for (int i = 0; i < r.latencyOverTime.size(); i++) {
                    assertThat(fromLive.latencyOverTime.get(i)).containsExactly(r.latencyOverTime.get(i));
                }
                assertThat(fromLive.deliveredLinesPerSec).isEqualTo(r.deliveredLinesPerSec);
            }
            assertThat(fromLive.p99).isGreaterThan(fromLive.p50);
        }
    }

    private static DeliveryLedger ledger() {
        return new DeliveryLedger(
                List.of("app", "messages"),
                new long[][] {{1_000, 1_000}, {1_000, 1_000}},
                new DeliveryLatency(() -> GEN_START, WARMUP, PLANNED));
    }

    /** The window: from the end of warm-up to 20 s after it. */
    private static EndToEndResult result(DeliveryLedger ledger) {
        EndToEndResult r = new EndToEndResult();
        r.linesWritten = 4 * RECORDS;
        DeliveryCheck.record(r, ledger, NOW, NOW + 20_000);
        return r;
    }

    /** What the check computed before it went live: every latency kept, sorted, nearest rank. */
    private static EndToEndResult sortedLatencies(List<long[]> matched) {
        EndToEndResult r = new EndToEndResult();
        Stats.LongList steady = new Stats.LongList();
        Stats.LongList lastThird = new Stats.LongList();
        long lastThirdFrom = GEN_START + WARMUP + (PLANNED - WARMUP) * 2 / 3;
        TreeMap<Long, Stats.LongList> perSecond = new TreeMap<>();
        long delivered = 0;
        for (long[] e : matched) {
            long latency = e[1] - e[0];
            if (e[0] >= GEN_START + WARMUP) {
                steady.add(latency);
                if (e[0] >= lastThirdFrom) {
                    lastThird.add(latency);
                }
            }
            perSecond
                    .computeIfAbsent((e[0] - GEN_START) / 1000, k -> new Stats.LongList())
                    .add(latency);
            if (e[1] >= NOW && e[1] < NOW + 20_000) {
                delivered++;
            }
        }
        long[] s = steady.sorted();
        r.p50 = Stats.percentile(s, 50);
        r.p95 = Stats.percentile(s, 95);
        r.p99 = Stats.percentile(s, 99);
        r.pMax = Stats.max(s);
        r.p99LastThird = Stats.percentile(lastThird.sorted(), 99);
        for (Map.Entry<Long, Stats.LongList> e : perSecond.entrySet()) {
            long[] v = e.getValue().sorted();
            r.latencyOverTime.add(new double[] {
                e.getKey(), Stats.percentile(v, 50), Stats.percentile(v, 95), Stats.percentile(v, 99), v.length
            });
        }
        // 800 lines in 800 records, less the lost: the rate counts events, one line each here
        r.deliveredLinesPerSec = delivered * (4.0 * RECORDS / (4 * RECORDS)) / 20.0;
        return r;
    }

    private static ObjectNode body(String group, String stream) {
        ObjectNode b = JSON.createObjectNode().put("logGroupName", group);
        if (stream != null) {
            b.put("logStreamName", stream);
        }
        return b;
    }

    private static void put(LocalCloudWatchLogs cw, String group, String stream, List<Sent> events) throws Exception {
        ObjectNode b = body(group, stream);
        ArrayNode list = b.putArray("logEvents");
        for (Sent e : events) {
            list.addObject().put("timestamp", e.timestamp()).put("message", e.message());
        }
        call(cw, "PutLogEvents", b);
    }

    private static void call(LocalCloudWatchLogs cw, String operation, ObjectNode body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(cw.endpoint())
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "Logs_20140328." + operation)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(operation + ": " + response.body()).isEqualTo(200);
    }
}
