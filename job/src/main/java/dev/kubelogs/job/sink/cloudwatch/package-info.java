/**
 * Exactly-once sink into CloudWatch Logs ({@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink}).
 *
 * <h2>Delivery chain</h2>
 * <ol>
 *   <li><b>Writer</b> ({@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkWriter}): each event is checked
 *       and normalised ({@link dev.kubelogs.job.sink.cloudwatch.BatchCutter#prepare}: unpaired surrogates → U+FFFD,
 *       empty / oversize / bad names / negative timestamps by policy or to the dead letter; an event that comes as
 *       well-formed UTF-8 within the limits is taken as it is) and appended to its (log group, log stream)'s
 *       {@link dev.kubelogs.job.sink.cloudwatch.StreamBuffer}: straight into the layout of the committables it will
 *       be cut into ({@link dev.kubelogs.job.sink.cloudwatch.EventArenaBuilder}, in arrays reused from one interval
 *       to the next), not an object per event. Names and stream ownership (by the builder's {@code streamOwner} key)
 *       are checked once per stream, not per event. Nothing is sent.
 *   <li><b>Barrier</b> ({@code prepareCommit}, called by {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsWriterOperator}
 *       before it forwards the barrier): each stream's buffer is stable-sorted by timestamp and cut into
 *       batches (≤ 10,000 events, Σ(UTF-8 + 26) ≤ 1,048,576 bytes, span &lt; 24 h); events that arrived in
 *       timestamp order were cut so as they came, and the barrier only puts each batch's header in front of its
 *       bytes (a stream with an event older than the one before is decoded and cut anew). Each batch becomes a
 *       {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsCommittable} carrying its events, handed to the
 *       {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsCommitterOperator} chained after the writer (a reference:
 *       its type's serializer, {@link dev.kubelogs.job.sink.cloudwatch.CommittableTypeSerializer}, copies nothing).
 *       The committer keeps every committable not yet stored as one partition of its raw operator state
 *       ({@link dev.kubelogs.job.sink.cloudwatch.CommittableRawState}): the snapshot copies the list of pending
 *       committables (references) and opens the checkpoint stream on the task thread, and writes each committable in
 *       bulk in the snapshot's asynchronous part (earlier versions kept them in the operator list state
 *       {@code cloudwatch_logs_committables}, which Flink writes one byte at a time; restored, it is taken over and
 *       emptied), as the versioned bytes of
 *       {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsCommittableSerializer} (no Kryo; version 4 is
 *       varint/delta coded with source ids once per committable, the messages one after the other and the end a
 *       run of them shares, the container's kubernetes block, stored once; versions 1 to 3 are still read). A
 *       committable holds its events in those bytes from the cut on, the writer's buffer wrote them ({@link dev.kubelogs.job.sink.cloudwatch.EventArena}: one array, not an object and an array per
 *       event), every snapshot writes that array as it is and the put writes its body from slices of it. Buffers are then
 *       empty: no writer state is needed, the source replays what came after the last checkpoint.
 *   <li><b>Commit</b> (after a checkpoint that holds the committable completed;
 *       {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsCommitter}, run by the committer operator on its own
 *       commit thread, one commit at a time so a stream's batches stay in order): the task goes on reading input
 *       meanwhile; the outcome comes back through the task's mailbox, where stored committables leave the state and a
 *       failure fails the task. Only after the end of input (final checkpoint) and a stop-with-savepoint does the
 *       commit run on the task thread, so the task does not end before it.
 *       One PutLogEvents per batch, SDK retries off. {@link dev.kubelogs.job.sink.cloudwatch.BatchDeliverer} is the
 *       loop over its parts: {@link dev.kubelogs.job.sink.cloudwatch.PutAttempt} (one put and its outcome),
 *       {@link dev.kubelogs.job.sink.cloudwatch.ReadBack} with its {@link dev.kubelogs.job.sink.cloudwatch.Ledger},
 *       {@link dev.kubelogs.job.sink.cloudwatch.ResourceCreator}, {@link dev.kubelogs.job.sink.cloudwatch.RetryPolicy}
 *       and {@link dev.kubelogs.job.sink.cloudwatch.BatchDeadLetters}. The request body is written by
 *       {@link dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody} straight from the buffered UTF-8 bytes (byte
 *       for byte what the SDK's marshaller writes; a shared message end is escaped once per batch) and handed to the
 *       SDK client, which signs and sends it ({@code fastRequestBodies(false)}: the SDK's own marshaller writes it).
 *       Outcomes: success (rejected events → dead letter with
 *       reason); throttled → backoff, put again; ResourceNotFound → create group (+ retention) / stream, put
 *       again; timeout / reset / 5xx (ambiguous) → backoff, <b>read back</b>, put only what is missing;
 *       invalid → dead letter (or fail) by policy; anything else, or the retry budget spent → fail the job (and
 *       restart it by the restart strategy). Failures retrying cannot heal — refused permissions, credentials or
 *       signatures, a KMS key CloudWatch may not use, an endpoint host that never resolved, a name CloudWatch
 *       refuses ({@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier#unhealable}) — end the job
 *       at once without restarts ({@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsFatalException}, one line:
 *       operation, group, stream, AWS error code, what to check). Healable failures are logged per state change
 *       ({@link dev.kubelogs.job.sink.cloudwatch.DeliveryHealth}: one WARN when delivery starts failing, one INFO
 *       when it works again), not per attempt.
 *   <li><b>Read-back</b>: GetLogEvents on the stream over {@code [minTs, maxTs + 1)}, startFromHead, paging until
 *       the token repeats; the batch minus what is stored, as a multiset of exact {@code (timestamp, message)},
 *       is what is missing. Done after an ambiguous failure and for every committable restored after a failover (its writer epoch — the checkpoint its writer was restored from —
 *       differs from the committer's). The event JSON is never changed or marked.
 *   <li><b>Failover</b>: the job restarts from the last completed checkpoint; committables in it are read back
 *       and completed (a commit that was running is interrupted; its committables are in that checkpoint); events
 *       after it are replayed by the source and cut into new batches. A rescale redistributes the committables over
 *       the committer's subtasks.
 *   <li><b>Earlier layout</b>: the operators' uids are those Flink's Sink V2 derived for this sink's writer and
 *       committer ({@code uid} and "Sink Committer: " + {@code uid}), so a checkpoint or savepoint of the Sink V2 sink
 *       restores: the committables in its committer state ({@code streaming_committer_raw_states}) are read with
 *       Flink's own serializer ({@link dev.kubelogs.job.sink.cloudwatch.SinkV2CommitterState}), delivered and from
 *       then on kept in the new state; the writer's {@code end_of_input_state} is dropped.
 * </ol>
 *
 * <h2>Why not Flink's Sink V2</h2>
 * Its committer operator snapshots by writing every pending committable through {@code CommittableCollectorSerializer},
 * three nested {@code DataOutputSerializer}s that each grow by doubling and end with a copy, then copies the result
 * again for the state backend: a checkpoint's events (tens of MB per TaskManager) were copied about eight times into
 * large arrays on the task thread (~45 % of a TaskManager's allocation, full GCs with SerialGC), and its
 * {@code commit} blocks the task thread, which runs the source and the keyed stage too, until every batch is stored.
 * Flink 2.3 has no option for either (object reuse does not reach the committer's state; commits are synchronous by
 * the Sink V2 contract). See benchmarks/RESULTS.md, "The sink's checkpoint path".
 *
 * <h2>Assumptions</h2>
 * <ul>
 *   <li><b>Single writer per stream.</b> Only this sink, and within it only one subtask, writes a given log
 *       stream; otherwise a read-back may count someone else's identical event as ours. Key the input with
 *       {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink#streamKeySelector()}, or chain the sink to a keyed
 *       stage whose key the events carry ({@link dev.kubelogs.job.model.CloudWatchEvent#ownerKey},
 *       {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink#ownerKeySelector()}: the job's keyBy(cluster,
 *       node)); the writer checks each stream's key-group owner by that key ({@code streamOwner}) and fails the job
 *       on a violation ({@code streamOwnershipCheck}). Input in bundles of one stream's events
 *       ({@code addBundlesTo}, keyed by {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink#bundleStreamKeySelector()},
 *       the same key) is checked event by event as single events are. After a
 *       rescale, restored committables of a stream may be committed by another subtask than new ones, briefly.
 *   <li><b>Settle delay.</b> A read-back waits {@code readBackSettleDelay} (default 2 s) after the ambiguous
 *       attempt (or after the committer started, for restored committables), assuming that a stored put is
 *       visible to GetLogEvents by then. CloudWatch does not document its read-after-write delay; measure it.
 *   <li><b>Time.</b> Batches are committed a checkpoint interval (plus commit time) after the events arrived,
 *       so events close to the 14-day / retention edge can be rejected because of that delay (→ dead letter).
 * </ul>
 *
 * <h2>Residual risk (documented, not hidden)</h2>
 * <ul>
 *   <li>A put that becomes visible only after the settle delay is written again: duplicate.
 *   <li>If the same {@code (timestamp, message)} also lies in another, already committed batch of the same
 *       stream within this batch's time range, a read-back counts it as present: that copy is not re-sent.
 *       Only in the read-back path (ambiguous failure, retry, failover), only for byte-identical events with
 *       the same millisecond, and only if that other batch was committed in an earlier commit call (within one
 *       call — e.g. all committables restored after a failover, or the batches of one checkpoint — the committer
 *       keeps a per-stream ledger and does not count another batch's copies as this batch's).
 *   <li>Dead letters are at-least-once: a batch replayed after a failover dead-letters its rejected events again.
 *   <li>AT_LEAST_ONCE mode puts directly and re-puts after a failover whatever came after the last checkpoint.
 *   <li>State: committables hold the events themselves, so checkpoint size ≈ data per checkpoint interval (message
 *       bytes not shared with the previous event of the stream + ~5–10 bytes per event); use file-system or RocksDB
 *       checkpoint storage, not the JobManager's (5 MB limit).
 *   <li>Memory: a subtask holds its writer's buffer since the last barrier and the committables its committer has
 *       not stored yet ({@link dev.kubelogs.job.sink.cloudwatch.HeldBytes}); past {@code maxHeldBytes} with
 *       committables pending, the writer waits in {@code write} for their commit
 *       ({@link dev.kubelogs.job.sink.cloudwatch.HeldBytesGate}), which backpressures the job. Its own buffer is not
 *       bounded by that (only a barrier cuts it): it holds what arrives within a checkpoint interval.
 * </ul>
 *
 * <h2>Input type</h2>
 * {@link dev.kubelogs.job.model.CloudWatchEvent} crosses the network into the writer with its own serializer
 * ({@link dev.kubelogs.job.model.CloudWatchEventSerializer}, strings as UTF-8 bytes), not Flink's POJO serializer.
 *
 * <h2>Knobs</h2>
 * {@link dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkBuilder}: region, endpoint, credentials, API call
 * timeout, delivery guarantee, retention (default / per group; set once, when the sink creates the group), max
 * event size, oversize policy (dead letter, the default, so nothing is cut unless asked; truncate with marker
 * {@code " [kubelogs: truncated, original N bytes]"}; or both), empty-message policy, dead-letter target
 * (directory of JSON lines, log group, or log),
 * backoff (initial, max, attempts, total time), read-back settle delay, invalid-batch policy, concurrent
 * streams per committer, ownership check and its owner key, at-least-once max buffer time, fast request bodies,
 * the bytes a subtask may hold before the writer waits for commits and the longest such wait.
 *
 * <h2>Sub-packages</h2>
 * {@code wire}: the PutLogEvents body written from UTF-8 bytes and its SDK interceptor, with the UTF-8 and
 * word-at-a-time helpers the sink and the committable serializer share.
 *
 * <h2>Metrics</h2>
 * Group {@code cloudwatchlogs} under the writer operator ({@code <uid>: Writer}) and the committer operator
 * ({@code <uid>: Committer}), as under Sink V2's operators of the same names: {@code eventsWritten}, {@code bytesWritten},
 * {@code batchesWritten}, {@code putRequests}, {@code retries}, {@code throttles}, {@code serverErrors},
 * {@code networkErrors}, {@code readBacks}, {@code eventsAlreadyPresent}, {@code batchesAlreadyCommitted},
 * {@code rejectedTooOld}, {@code rejectedTooNew}, {@code rejectedExpired}, {@code deadLettered},
 * {@code eventsTruncated}, {@code resourcesCreated}, histograms {@code commitLatencyMs} (cut → committed) and
 * {@code putLatencyMs}; gauges {@code millisSinceLastSuccessfulPut} (since the start if none yet),
 * {@code eventsWaiting} (buffered in the writer or in the committer's current commit, not yet stored),
 * {@code failedAttempts} (since delivery last worked) and {@code lastErrorKind}; under the writer {@code heldBytes}
 * (buffered or cut and not stored), counters {@code heldBytesWaits} and {@code heldBytesWaitTimeouts}.
 * {@link dev.kubelogs.job.sink.cloudwatch.DeliveryStatus#ofThisJvm()} combines the same for every writer and
 * committer of the JVM: a local run's status line, not a cluster view.
 */
package dev.kubelogs.job.sink.cloudwatch;
