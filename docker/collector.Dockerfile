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

# Non-root by default. Reading node logs comes from supplementalGroups in the DaemonSet, not from root.
USER 10001:10001
# HTTP_PORT: /metrics and /healthz.
EXPOSE 2020

# JVM flags for a small, steady footprint (override or add with JDK_JAVA_OPTIONS in the DaemonSet env):
# -XX:+UseSerialGC            single-threaded collector, the smallest native overhead; pauses stay in milliseconds on a
#                             heap this size, and the collector is throughput- not latency-bound.
# -XX:MaxRAMPercentage=50     heap <= 64 MiB of the 128 MiB limit; the rest is metaspace, code cache, thread stacks and
#                             NIO buffers, so the container is not OOM-killed while the heap still looks fine.
# -Xss512k                    half the default per-thread stack reservation; not 256k, because java.util.regex
#                             recurses per character on some patterns and lines can be 16 KiB+.
# -XX:+ExitOnOutOfMemoryError exit at once instead of limping along half-broken: the kubelet restarts the pod and it
#                             resumes from the committed offsets.
# -XX:-UsePerfData            no hsperfdata mmap file in /tmp (read-only-root friendly, no shared-memory file per start).
# Not -XX:TieredStopAtLevel=1: it would save a few MB of code cache but give up C2, i.e. most of the per-line throughput.
# Exec form, java as PID 1: SIGTERM reaches the JVM directly and starts the drain (close segment, upload, commit);
# journalctl is the JVM's own child, so the JVM reaps it.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-cp", "/opt/kubelogs/kubelogs-node-collector.jar", "dev.kubelogs.collector.CollectorCommand"]
