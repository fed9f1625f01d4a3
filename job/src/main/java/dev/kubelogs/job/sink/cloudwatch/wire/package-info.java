/**
 * The sink's wire fast path: {@link dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody} writes a PutLogEvents
 * body straight from the events' buffered UTF-8 bytes (byte for byte what the SDK's marshaller writes) and its
 * {@link dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody.Interceptor} puts it on the wire through the SDK
 * client; {@link dev.kubelogs.job.sink.cloudwatch.wire.Utf8} and {@link dev.kubelogs.job.sink.cloudwatch.wire.Words}
 * are the UTF-8 and eight-bytes-a-step helpers it shares with the committable serializer. Switched off by the
 * sink builder's {@code fastRequestBodies(false)}.
 */
package dev.kubelogs.job.sink.cloudwatch.wire;
