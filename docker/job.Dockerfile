# syntax=docker/dockerfile:1
# kubelogs Flink job image: the official Flink 2.3 / Java 17 image, the shaded job jar, the S3 filesystem plugin.
# Build from the repository root after the Maven build (k8s/README.md, "Building the images"):
#   mvn -B -pl job -am package -DskipTests
#   docker build -f docker/job.Dockerfile -t "${IMAGE_REGISTRY}/kubelogs-job:${KUBELOGS_VERSION}" .
# Only job/target/kubelogs-job.jar is sent as build context (docker/job.Dockerfile.dockerignore, BuildKit).

# UNVERIFIED TAG: the apache/flink-docker snapshot we could check stops at 2.2.1 (a dev-2.3 branch exists), so confirm
# that flink:2.3.0-java17 is published, then pin it by digest for reproducible builds:
#   --build-arg FLINK_IMAGE=flink:2.3.0-java17@sha256:<digest>
# The Flink version of this image must match the job's flink.version (2.3.0) and the FlinkDeployment's flinkVersion.
ARG FLINK_IMAGE=flink:2.3.0-java17
FROM ${FLINK_IMAGE}

# Plugins are enabled at build time by linking the distribution's own jars from opt/ (what the entrypoint's
# ENABLE_BUILT_IN_PLUGINS does at start): the container never writes to its image, and a missing jar fails this build
# instead of the first checkpoint.
# - flink-s3-fs-presto: s3:// for checkpoints, savepoints, HA metadata and the spool; Flink's recommended S3 plugin for
#   checkpointing, and its default AWS credentials chain picks up the IRSA web-identity token.
# - flink-metrics-prometheus: the reporter config.yaml names; linked from opt/ only if plugins/ does not have it yet.
RUN set -eu; \
    set -- /opt/flink/opt/flink-s3-fs-presto-*.jar; \
    if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then echo "expected exactly one flink-s3-fs-presto jar in /opt/flink/opt" >&2; exit 1; fi; \
    mkdir -p /opt/flink/plugins/s3-fs-presto /opt/flink/usrlib; \
    ln -s "$1" /opt/flink/plugins/s3-fs-presto/; \
    if ! ls /opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus-*.jar >/dev/null 2>&1; then \
        set -- /opt/flink/opt/flink-metrics-prometheus-*.jar; \
        if [ ! -f "$1" ]; then echo "flink-metrics-prometheus is neither in plugins/ nor in opt/" >&2; exit 1; fi; \
        mkdir -p /opt/flink/plugins/metrics-prometheus; \
        ln -s "$1" /opt/flink/plugins/metrics-prometheus/; \
    fi

# Application mode: the operator starts the job from local:///opt/flink/usrlib/kubelogs-job.jar (FlinkDeployment
# spec.job.jarURI). Root-owned and world-readable: the flink user (9999) can read but not modify it.
# No config.yaml is baked in: the operator mounts /opt/flink/conf generated from spec.flinkConfiguration (which carries
# flink-conf/config.yaml verbatim), and a baked file would pin one cluster's bucket into a promotable image.
COPY job/target/kubelogs-job.jar /opt/flink/usrlib/kubelogs-job.jar
