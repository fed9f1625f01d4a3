package dev.kubelogs.collector.kubelet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the kubelet's pod list is polled.
 *
 * @param enabled poll the kubelet's /pods for pod metadata
 * @param pollInterval how often /pods is polled
 * @param timeout request timeout
 * @param deleteGrace a pod gone from /pods is announced as deleted after this grace (its last lines come first)
 * @param tokenFile bearer token file
 * @param caFile CA bundle for the kubelet's certificate
 * @param tlsVerify verify the kubelet's certificate
 */
public record KubeletSettings(
        boolean enabled,
        String host,
        int port,
        Duration pollInterval,
        Duration timeout,
        Duration deleteGrace,
        Path tokenFile,
        Path caFile,
        boolean tlsVerify) {

    public KubeletSettings {
        positive("kubeletPollInterval", pollInterval);
        positive("kubeletTimeout", timeout);
        Objects.requireNonNull(deleteGrace, "kubeletDeleteGrace");
        if (deleteGrace.isNegative()) {
            throw new IllegalArgumentException("kubeletDeleteGrace must not be negative: " + deleteGrace);
        }
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration: " + d);
        }
    }
}
