package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.SegmentHeader;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The node attributes of the latest segment header, kept in keyed state per node. */
class NodeAttributesTest {

    /** A SEGMENT record updates the attributes; any other record asks for them. */
    static final class AttributesOnly extends KeyedProcessFunction<String, SpoolRecord, Map<String, String>> {
        private transient NodeAttributes attributes;

        @Override
        public void open(OpenContext openContext) {
            attributes = new NodeAttributes();
            attributes.open(getRuntimeContext());
        }

        @Override
        public void processElement(SpoolRecord r, Context ctx, Collector<Map<String, String>> out) throws Exception {
            if (r.type == SpoolRecord.SEGMENT) {
                attributes.remember(r);
            } else {
                out.collect(attributes.of(ctx.getCurrentKey()));
            }
        }
    }

    private static SpoolRecord start(String node, Map<String, String> attrs) {
        return SpoolRecord.segmentStart(new SegmentHeader("prod", node, 0, 1L, attrs));
    }

    private static SpoolRecord end(String node) {
        return SpoolRecord.segmentEnd(new SegmentHeader("prod", node, 0, 1L, Map.of()), 1);
    }

    @Test
    void theLatestHeaderOfEachNodeWinsAndSurvivesARestore() throws Exception {
        try (StageHarness<SpoolRecord, Map<String, String>> stage =
                new StageHarness<>(AttributesOnly::new, SpoolRecord::nodeKey)) {
            stage.send(start("a", Map.of("az", "us-west-2a")));
            stage.send(start("b", Map.of("az", "us-west-2b")));
            stage.send(start("a", Map.of("az", "us-west-2c", "ec2_instance_id", "i-1")));
            stage.send(end("a"));
            stage.send(end("b"));
            assertThat(stage.take())
                    .containsExactly(Map.of("az", "us-west-2c", "ec2_instance_id", "i-1"), Map.of("az", "us-west-2b"));

            stage.restart(stage.snapshot());
            stage.send(end("a"));
            assertThat(stage.take()).containsExactly(Map.of("az", "us-west-2c", "ec2_instance_id", "i-1"));
        }
    }
}
