package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.state.CompressibleFSDataOutputStream;
import org.apache.flink.runtime.state.UncompressedStreamCompressionDecorator;
import org.junit.jupiter.api.Test;

/**
 * Pins what benchmarks/RESULTS.md ("Flink writes the committer's state one byte at a time") measured: Flink writes every
 * managed operator state through {@link CompressibleFSDataOutputStream}, which passes bulk writes on one byte at a time
 * (to the compressing stream when snapshot compression is on). That is why the committer keeps its committables (a
 * checkpoint's events) in raw operator state ({@link CommittableRawState}) since; earlier versions' list state went
 * this way. If this fails, Flink now passes them on whole: managed state would be as cheap; update RESULTS.md.
 */
class OperatorStateByteWritesTest {

    /** The checkpoint file's stream, counting how it is called. */
    static final class CountingStream extends FSDataOutputStream {
        long singleBytes;
        long bulkCalls;
        long pos;

        @Override
        public void write(int b) {
            singleBytes++;
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bulkCalls++;
            pos += len;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {}

        @Override
        public void close() {}
    }

    @Test
    void theCommitterStateReachesTheCheckpointFileOneByteAtATime() throws Exception {
        List<SinkEvent> events = List.of(
                new SinkEvent(1L, "{\"a\":1}".repeat(100), "s", 0), new SinkEvent(2L, "{\"b\":2}".repeat(100), "s", 1));
        byte[] committerState = new CloudWatchLogsCommittableSerializer()
                .serialize(new CloudWatchLogsCommittable("g", "s", -1, 0, 0, 0, events));
        CountingStream file = new CountingStream();
        CompressibleFSDataOutputStream stream =
                new CompressibleFSDataOutputStream(file, UncompressedStreamCompressionDecorator.INSTANCE);
        // as PartitionableListState wrote Sink V2's committer state (one byte[] per element); the committer operator's
        // earlier list state (CommittableTypeSerializer: version, length, bytes per committable) reached it the same
        // way
        BytePrimitiveArraySerializer.INSTANCE.serialize(committerState, new DataOutputViewStreamWrapper(stream));
        stream.flush();
        assertThat(file.bulkCalls)
                .as("bulk writes reaching the checkpoint file")
                .isZero();
        assertThat(file.singleBytes).isEqualTo(4 + committerState.length);
    }
}
