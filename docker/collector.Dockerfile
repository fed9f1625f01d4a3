# syntax=docker/dockerfile:1
# kubelogs node collector image: a Java 17 JRE, journalctl, the collector's fat jar, a non-root user.
# Build from the repository root after the Maven build (k8s/README.md, "Building the images"):
#   mvn -B -pl node-collector -am package -DskipTests
#   docker build -f docker/collector.Dockerfile -t "${IMAGE_REGISTRY}/kubelogs-collector:${KUBELOGS_VERSION}" .
# Only node-collector/target/kubelogs-node-collector.jar is sent as build context (collector.Dockerfile.dockerignore).

# Eclipse Temurin 17 JRE on Ubuntu 24.04 rather than Alpine or distroless: the collector reads the journal by running
# `journalctl --output=json`, and neither of those bases has journalctl. Pin by digest for reproducible builds:
#   --build-arg JRE_IMAGE=eclipse-temurin:17-jre-noble@sha256:<digest>
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble
FROM ${JRE_IMAGE}

# journalctl from Ubuntu's systemd package (no recommends: no daemons, only the binaries and libsystemd-shared); a
# newer journalctl reads the journal files of older systemd versions (AL2023, Bottlerocket), not the other way round.
# A fixed uid/gid 10001 so the DaemonSet's runAsUser and its init container's chown name the same user.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends systemd; \
    rm -rf /var/lib/apt/lists/*; \
    journalctl --version; \
    groupadd --system --gid 10001 kubelogs; \
    useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kubelogs

# Root-owned and read-only for the runtime user; the DaemonSet mounts a read-only root filesystem anyway.
COPY node-collector/target/kubelogs-node-collector.jar /opt/kubelogs/kubelogs-node-collector.jar

# glibc gives every thread that mallocs its own arena (up to 8 per core, each tens of MB reserved and a few MB
# touched); two are plenty for a collector whose hot path allocates on the Java heap.
ENV MALLOC_ARENA_MAX=2

# Class-data sharing (AppCDS): one training run of the collector (dev.kubelogs.collector.CdsTraining: config, recovery,
# tailing Docker/CRI/host files into segments, /metrics, a kubelet poll with TLS, the SIGTERM drain; in a temporary
# directory, no network) writes the classes it loaded, parsed and verified, to an archive that every start then maps
# instead of loading them from the jar. Same JVM flags as the ENTRYPOINT (an archive fits only the JVM, the jar path and
# the flags it was made with; a mismatch is not fatal, the JVM then just loads from the jar). As root, before USER: the
# archive is root-owned and read-only like the jar.
RUN java -XX:ArchiveClassesAtExit=/opt/kubelogs/kubelogs-node-collector.jsa -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=50 -Xmn2m -Xss512k -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData \
        -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=5000 \
        -cp /opt/kubelogs/kubelogs-node-collector.jar dev.kubelogs.collector.CdsTraining; \
    test -s /opt/kubelogs/kubelogs-node-collector.jsa

# Non-root by default. Reading node logs comes from supplementalGroups in the DaemonSet, not from root.
USER 10001:10001
# HTTP_PORT: /metrics and /healthz.
EXPOSE 2020

# JVM flags for a small, steady footprint and a cheap start (override or add with JDK_JAVA_OPTIONS in the DaemonSet
# env). Measured with ./pipeline bench --parts collector,tail (benchmarks/results/s2-collector/):
# -XX:+UseSerialGC            single-threaded collector, the smallest native overhead; pauses stay in milliseconds on a
#                             heap this size, and the collector is throughput- not latency-bound.
# -XX:TieredStopAtLevel=1     C1 only. C2 spent ~0.5 CPU-s compiling start-up code on every start and ~6 MB of RSS
#                             (code cache, compiler arenas, its thread); over the incumbent's 1M-line tail test C1-only
#                             takes fewer CPU-seconds in total, and at 1k-50k lines/s the collector is mostly idle.
# -XX:SharedArchiveFile       the AppCDS archive made above: ~0.3-0.4 CPU-s less per start.
# -XX:MaxRAMPercentage=50     heap <= 64 MiB of the 128 MiB limit; the live heap is ~6 MB, and a lower cap did not
#                             lower RSS (the heap grows only as needed), so keep the headroom for huge pod lists/lines.
# -Xmn2m                      young generation of 2 MiB instead of a third of the heap: a few more (millisecond) young
#                             collections, ~3 MB less RSS at 10k lines/s, no measurable CPU cost (1M-line tail test).
# -Xss512k                    half the default per-thread stack reservation; not 256k, because java.util.regex
#                             recurses per character on some patterns and lines can be 16 KiB+.
# -XX:+ExitOnOutOfMemoryError exit at once instead of limping along half-broken: the kubelet restarts the pod and it
#                             resumes from the committed offsets.
# -XX:-UsePerfData            no hsperfdata mmap file in /tmp (read-only-root friendly, no shared-memory file per start).
# -XX:GuaranteedSafepointInterval=0  no safepoint every second for cleanup work that can wait for the next GC: the VM
#                             thread no longer wakes each second on an idle node.
# -XX:AsyncDeflationInterval=5000    the monitor deflation thread checks every 5 s instead of 4 times a second (the
#                             collector inflates a handful of monitors); both need -XX:+UnlockDiagnosticVMOptions.
# Exec form, java as PID 1: SIGTERM reaches the JVM directly and starts the drain (close segment, upload, commit);
# journalctl is the JVM's own child, so the JVM reaps it.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/kubelogs/kubelogs-node-collector.jsa", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=50", "-Xmn2m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0", "-XX:AsyncDeflationInterval=5000", "-cp", "/opt/kubelogs/kubelogs-node-collector.jar", "dev.kubelogs.collector.CollectorCommand"]
