package dev.kubelogs.job.source;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How the collectors' segments reach the job. */
public enum Transport {
    /** Files in a directory or on S3 ({@code kubelogs.source.spool}): the embedded default. */
    SPOOL,
    /** Records of a Kinesis data stream ({@code kubelogs.source.kinesis.*}): seconds less latency, no S3 requests. */
    KINESIS;

    public static final ConfigOption<Transport> OPTION = ConfigOptions.key("kubelogs.source.transport")
            .enumType(Transport.class)
            .defaultValue(SPOOL)
            .withDescription("How segments reach the job: SPOOL (kubelogs.source.spool) or KINESIS "
                    + "(kubelogs.source.kinesis.stream).");
}
