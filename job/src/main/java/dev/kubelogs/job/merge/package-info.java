/**
 * The keyed stage: {@link dev.kubelogs.job.merge.NodeProcessor}, one keyed operator per (cluster, node) with the
 * fixed uid {@code node-processor}, calling its stages in order. Each stage owns its keyed state (created from the
 * operator's runtime context in {@code open()}), its deadlines and its counters:
 * <ul>
 *   <li>{@code order.SegmentOrder} — segments that overtake an earlier one are held until it is through;</li>
 *   <li>{@code dedupe.ReplayFilter} — the next offset per file identity: a replayed segment gives nothing new;</li>
 *   <li>{@code multiline.SplitLineJoiner} — the pieces of lines the collector split;</li>
 *   <li>{@code multiline.MultilineBuffers} — runtime partial lines and stack traces per file and stream, with the
 *       flush timeout;</li>
 *   <li>{@code enrich.MetadataJoin} — the node's pods and the records waiting for theirs;
 *       {@code enrich.NodeAttributes} — the node's attributes from segment headers;</li>
 *   <li>{@code route.HostLines} — host file and journal lines; {@code route.EventOutput} — the output of events and dead
 *       letters.</li>
 * </ul>
 * This package also holds what the stages share: {@link dev.kubelogs.job.merge.StageContext} (the key, time,
 * timers and side outputs of the current call), {@link dev.kubelogs.job.merge.PerKey} and
 * {@link dev.kubelogs.job.merge.StateKeys} (a stage's view of its own state, so the hot path skips state reads),
 * {@link dev.kubelogs.job.merge.BatchLine}, {@link dev.kubelogs.job.merge.ContainerLines} (a container line's way
 * through the stages), the settings
 * ({@link dev.kubelogs.job.merge.NodeProcessorConfigOptions}) and the state POJOs ({@code HeldSegment},
 * {@code RawPiece}, {@code StreamBuffer}, {@code AwaitingEvent}). Those stay in this package under their names:
 * the POJO serializer writes the class name into every savepoint.
 */
package dev.kubelogs.job.merge;
