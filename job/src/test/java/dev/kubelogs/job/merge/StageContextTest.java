package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StageContextTest {
    private static final OutputTag<String> SIDE = new OutputTag<>("side", Types.STRING);

    /** Elements are {@code <cluster>/<node> <command> [args]}; the context is bound as the keyed stage binds it. */
    static final class Commands extends KeyedProcessFunction<String, String, String> {
        private transient StageContext stage;

        @Override
        public void open(OpenContext openContext) {
            stage = new StageContext();
        }

        @Override
        public void processElement(String element, Context ctx, Collector<String> out) {
            stage.bind(ctx);
            String[] c = element.split(" ");
            switch (c[1]) {
                case "info" ->
                    out.collect(stage.key() + "|" + stage.cluster() + "|" + stage.node() + "|" + stage.now());
                case "schedule" -> stage.scheduleAt(Long.parseLong(c[2]));
                case "since" ->
                    out.collect(Long.toString(stage.sinceStart(Long.parseLong(c[2]), Long.parseLong(c[3]))));
                case "end" -> stage.scheduleEndOfInput();
                case "side" -> stage.output(SIDE, c[2]);
                default -> throw new IllegalArgumentException(element);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            stage.bind(ctx);
            out.collect("timer " + stage.key() + " " + timestamp + " " + ctx.timeDomain());
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<String, String, String> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Commands()), e -> e.substring(0, e.indexOf(' ')), Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(String element) throws Exception {
        harness.processElement(element, 0L);
    }

    private List<String> take() {
        List<String> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((String) r.getValue());
            }
        }
        harness.getOutput().clear();
        return out;
    }

    @Test
    void theKeyNamesClusterAndNode() throws Exception {
        harness.setProcessingTime(1234);
        send("prod/ip-10-0-1-2.eu-west-1.compute.internal info");
        send("dev/n info");
        assertThat(take())
                .containsExactly(
                        "prod/ip-10-0-1-2.eu-west-1.compute.internal|prod|ip-10-0-1-2.eu-west-1.compute.internal|1234",
                        "dev/n|dev|n|1234");
    }

    @Test
    void deadlinesAreRoundedUpToOneTimerPerTenthOfASecond() throws Exception {
        harness.setProcessingTime(1000);
        for (int t = 1201; t <= 1300; t++) {
            send("prod/n schedule " + t);
        }
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(1299);
        assertThat(take()).isEmpty();
        harness.setProcessingTime(1300);
        assertThat(take()).containsExactly("timer prod/n 1300 PROCESSING_TIME");

        send("prod/n schedule 1400");
        harness.setProcessingTime(1400);
        assertThat(take()).containsExactly("timer prod/n 1400 PROCESSING_TIME");
    }

    @Test
    void timersAreThoseOfTheKeyThatSetThem() throws Exception {
        send("prod/a schedule 50");
        send("prod/b schedule 150");
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        harness.setProcessingTime(200);
        assertThat(take()).containsExactly("timer prod/a 100 PROCESSING_TIME", "timer prod/b 200 PROCESSING_TIME");
    }

    @Test
    void deadlinesFromStateCountNoEarlierThanTheTimeoutAfterThisInstanceStarted() throws Exception {
        harness.setProcessingTime(10_000);
        send("prod/n since 500 4000");
        // a later deadline stands
        send("prod/n since 20000 4000");
        // the start is the first call's time, not each call's
        harness.setProcessingTime(60_000);
        send("prod/n since 500 4000");
        send("prod/other since 500 4000");
        assertThat(take()).containsExactly("14000", "20000", "14000", "14000");
    }

    @Test
    void theEndOfInputCompletesWhatIsPending() throws Exception {
        send("prod/n end");
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(new Watermark(Long.MAX_VALUE - 1));
        assertThat(take()).isEmpty();
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(take()).containsExactly("timer prod/n " + Long.MAX_VALUE + " EVENT_TIME");
    }

    @Test
    void sideOutputsGoToTheirTag() throws Exception {
        send("prod/n side dead-letter");
        assertThat(take()).isEmpty();
        assertThat(harness.getSideOutput(SIDE))
                .extracting(StreamRecord::getValue)
                .containsExactly("dead-letter");
    }
}
