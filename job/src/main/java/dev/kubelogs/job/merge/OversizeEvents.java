package dev.kubelogs.job.merge;

/** What the keyed stage does with an event over CloudWatch's event size. */
public enum OversizeEvents {
    /** Split it into consecutive events that each fit (nothing lost; the default). */
    SPLIT,
    /** Leave it whole: the sink cuts it to the limit with a marker (bytes are lost). */
    TRUNCATE,
    /** Leave it whole: the sink sends it to the dead letter. */
    DEAD_LETTER
}
