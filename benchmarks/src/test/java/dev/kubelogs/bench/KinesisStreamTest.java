package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KinesisStreamTest {

    @Test
    void aStreamHasOneShardPerNodeAndAtLeastOne() {
        assertThat(KinesisStream.shardsFor(0)).isEqualTo(1);
        assertThat(KinesisStream.shardsFor(1)).isEqualTo(1);
        assertThat(KinesisStream.shardsFor(4)).isEqualTo(4);
    }

    @Test
    void theReportLineNamesTheStreamItsShardsAndTheUnbilledServer() {
        assertThat(new KinesisStream("http://127.0.0.1:1", "s", 3).describe())
                .startsWith("transport kinesis: stream s of 3 shard(s)")
                .contains("not billed");
    }
}
