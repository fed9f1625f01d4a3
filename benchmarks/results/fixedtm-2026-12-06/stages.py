#!/usr/bin/env python3
"""Samples of `perf script` (with call chains) by thread and by the first stage marker found in the stack, leaf up.
Prints, per thread name (digits folded), the share of the process's samples in each stage."""
import re, sys, collections
MARKERS = [  # (stage, substring of a frame), searched from the leaf to the root; the first match names the stage
    ("rocksdb native checkpoint", "CheckpointImpl"), ("rocksdb native checkpoint", "Checkpoint.createCheckpoint"),
    ("rocksdb flush/compaction", "rocksdb::FlushJob"), ("rocksdb flush/compaction", "rocksdb::CompactionJob"),
    ("rocksdb upload of files", "RocksDBStateUploader"), ("rocksdb upload of files", "RocksDBStateDataTransfer"),
    ("rocksdb snapshot (other)", "RocksIncrementalSnapshotStrategy"), ("rocksdb snapshot (other)", "RocksDBSnapshotStrategyBase"),
    ("metadata write", "Checkpoints.storeCheckpointMetadata"), ("metadata write", "MetadataV"),
    ("HA store of the checkpoint", "ZooKeeperStateHandleStore"), ("HA store of the checkpoint", "FileSystemStateStorageHelper"),
    ("HA store of the checkpoint", "DefaultCompletedCheckpointStore"),
    ("discard of old checkpoints", "discardState"), ("discard of old checkpoints", "CheckpointsCleaner"),
    ("ack/complete at the JM", "receiveAcknowledgeMessage"), ("ack/complete at the JM", "completePendingCheckpoint"),
    ("ack/complete at the JM", "acknowledgeCheckpoint"),
    ("trigger at the JM", "CheckpointCoordinator.trigger"), ("trigger at the JM", "startTriggeringCheckpoint"),
    ("notify complete", "notifyCheckpointComplete"), ("notify complete", "notifyCheckpointCompleteAsync"),
    ("operator snapshot", "snapshotState"), ("task checkpoint (other)", "SubtaskCheckpointCoordinatorImpl"),
    ("task checkpoint (other)", "triggerCheckpoint"), ("task checkpoint (other)", "AsyncCheckpointRunnable"),
    ("task checkpoint (other)", "performCheckpoint"),
    ("split assignment/discovery", "SourceCoordinator"), ("split assignment/discovery", "SplitEnumerator"),
    ("heartbeat", "Heartbeat"), ("metrics", "metrics"), ("metrics", "Metric"),
    ("java serialization", "ObjectOutputStream"), ("java serialization", "ObjectInputStream"),
    ("pekko remoting / netty", "pekko.remote"), ("pekko remoting / netty", "io.netty"), ("pekko remoting / netty", "shaded.netty"),
    ("pekko actors / rpc", "pekko"), ("rpc", "PekkoRpcActor"), ("rpc", "rpc."),
    ("mailbox idle / wait", "MailboxProcessor"), ("JIT", "CompileBroker"), ("GC", "GenCollectedHeap"), ("GC", "SerialHeap"),
]
samples = collections.Counter(); total = 0
cur_comm = None; frames = []
def flush():
    global total
    if cur_comm is None: return
    stage = "other"
    for f in frames:
        for s, m in MARKERS:
            if m in f:
                stage = s; break
        if stage != "other": break
    if stage == "other" and frames: stage = "other: " + frames[0][:60]
    samples[(re.sub(r"\d+", "#", cur_comm.strip()), stage)] += 1
    total += 1
for line in open(sys.argv[1], errors="replace"):
    if not line.strip():
        flush(); cur_comm = None; frames = []; continue
    if not line.startswith((" ", "\t")):
        m = re.match(r"^(.*?)\s+\d+(/\d+)?\s+", line)
        cur_comm = m.group(1) if m else line.split()[0]; frames = []
    else:
        p = line.strip().split(None, 1)
        frames.append(p[1] if len(p) > 1 else p[0])
flush()
print(f"{total} samples")
bythread = collections.Counter()
for (c, s), n in samples.items(): bythread[c] += n
for c, n in bythread.most_common():
    if n / total < 0.01: continue
    print(f"{c:24s} {100*n/total:5.1f} %")
    for (c2, s), m in sorted(samples.items(), key=lambda x: -x[1]):
        if c2 == c and m / total >= 0.005: print(f"    {s:60s} {100*m/total:5.1f} %")
