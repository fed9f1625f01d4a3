package dev.kubelogs.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files the FlinkDeployment's pod template mounts from ConfigMaps, written under a local root so that the job's own
 * readers can open them: each key at root/mountPath/key, rendered with the given token values, and every path under a
 * mount (in the files and in {@link #inPod}) moved under the root.
 */
final class PodFiles {

    private final Map<String, Path> mounts = new LinkedHashMap<>();

    private PodFiles() {}

    static PodFiles write(List<ManifestDoc> docs, Path root, Map<String, String> tokenValues) {
        Pod pod = Manifests.strict(Manifests.flinkDeployment(docs).tree().at("/spec/podTemplate"), Pod.class);
        PodFiles out = new PodFiles();
        Map<Path, String> files = new LinkedHashMap<>();
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getConfigMap() == null) {
                continue;
            }
            String mountPath = pod.getSpec().getContainers().get(0).getVolumeMounts().stream()
                    .filter(m -> m.getName().equals(v.getName()))
                    .findFirst()
                    .orElseThrow()
                    .getMountPath();
            Path dir = root.resolve(mountPath.substring(1));
            out.mounts.put(mountPath, dir);
            ConfigMap cm = Manifests.one(docs, ConfigMap.class, v.getConfigMap().getName());
            cm.getData().forEach((key, value) -> files.put(dir.resolve(key), Repo.envsubst(value, tokenValues)));
        }
        try {
            for (Map.Entry<Path, String> f : files.entrySet()) {
                Files.createDirectories(f.getKey().getParent());
                Files.writeString(f.getKey(), out.inPod(f.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@code text} with every path under a mount moved to where the mount was written. */
    String inPod(String text) {
        String out = text;
        for (Map.Entry<String, Path> m : mounts.entrySet()) {
            out = out.replaceAll(
                    "(?<![\\w/])" + Pattern.quote(m.getKey()) + "(?=/|\"|$)",
                    Matcher.quoteReplacement(m.getValue().toString()));
        }
        return out;
    }
}
