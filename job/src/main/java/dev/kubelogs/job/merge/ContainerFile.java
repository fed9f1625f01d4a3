package dev.kubelogs.job.merge;

import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.enrich.MetadataJoin;
import dev.kubelogs.job.enrich.ParserAnnotations;
import dev.kubelogs.job.enrich.PodMetadata;
import dev.kubelogs.job.multiline.MultilineBuffers;
import dev.kubelogs.job.multiline.MultilineJoiner;
import dev.kubelogs.job.parse.Parsers;
import dev.kubelogs.job.route.RoutingRules;
import dev.kubelogs.job.route.TagNames;
import dev.kubelogs.spool.ContainerLogName;
import dev.kubelogs.spool.PodRecord;

/**
 * What one container file path of one node key implies, derived once instead of per line: its route, names
 * and state keys, and — until the next pod record changes them — its pod's metadata, exclusion, multiline rule
 * sets and written kubernetes block. Memory only; rebuilt from state after a restore.
 */
final class ContainerFile {
    final String path;
    final RoutingRules.ContainerRoute route;
    final PathNames names;
    /** namespace/pod/container id; null when the file name does not follow the kubelet's pattern. */
    final String containerKey;

    private String bufferKeysFileId;
    private String stdoutKey;
    private String stderrKey;
    private String fileNameKubernetesJson;

    private long podVersionSeen = -1;
    PodMetadata pod;
    PodRecord.Container container;
    boolean podExcluded;
    String kubernetesJson;
    private String namesakeKubernetesJson;
    private MultilineJoiner joiner;
    private PodMetadata parsersPod;
    private ParserAnnotations.Chosen parsers;

    ContainerFile(String path, RoutingRules.ContainerRoute route, PathNames names) {
        this.path = path;
        this.route = route;
        this.names = names;
        ContainerLogName name = names.fileName();
        this.containerKey =
                name == null ? null : PodMetadata.key(name.namespace(), name.podName()) + "/" + name.containerId();
    }

    /** The multiline buffer key of one stream of this file's current identity. */
    String bufferKey(String fileId, String stream) {
        if (!fileId.equals(bufferKeysFileId)) {
            bufferKeysFileId = fileId;
            stdoutKey = fileId + "|stdout";
            stderrKey = fileId + "|stderr";
        }
        return "stdout".equals(stream) ? stdoutKey : "stderr".equals(stream) ? stderrKey : fileId + "|" + stream;
    }

    /** The kubernetes block when no metadata is known: the file name's fields. */
    String fileNameKubernetesJson() {
        if (fileNameKubernetesJson == null) {
            fileNameKubernetesJson = EventJson.write(PodMetadata.fileNameBlock(names.fileName()));
        }
        return fileNameKubernetesJson;
    }

    /**
     * The kubernetes block of a line whose container id the pod's status does not have (yet): the pod's fields and
     * the image of its container of the file's name, as Fluent Bit finds them ({@link PodMetadata#namesake}); the
     * file name's fields when the pod is unknown. Call after {@link #refreshPod}.
     */
    String kubernetesJsonWithoutStatus(MetadataJoin metadata) {
        ContainerLogName name = names.fileName();
        if (pod == null || name == null) {
            return fileNameKubernetesJson();
        }
        if (namesakeKubernetesJson == null) {
            namesakeKubernetesJson = metadata.kubernetesJsonUncached(pod, pod.namesake(name));
        }
        return namesakeKubernetesJson;
    }

    /** Re-reads the pod's metadata when a pod record arrived since the last look. */
    void refreshPod(StageContext stage, MetadataJoin metadata, MultilineBuffers multiline) throws Exception {
        if (podVersionSeen == metadata.podVersion()) {
            return;
        }
        ContainerLogName name = names.fileName();
        pod = name == null ? null : metadata.pod(stage, name.namespace(), name.podName());
        container = pod == null ? null : pod.container(name.containerId());
        podExcluded = pod != null && pod.excluded();
        kubernetesJson = container == null ? null : metadata.kubernetesJson(pod, container);
        namesakeKubernetesJson = null;
        joiner = multiline.joinerFor(stage, route == RoutingRules.ContainerRoute.APPLICATION, name, pod);
        podVersionSeen = metadata.podVersion();
    }

    /**
     * The parsers the pod's annotations choose for this file's container, chosen again when the pod changed; none
     * while the pod is unknown (Fluent Bit reads the annotations from the pod's metadata). Call after {@link
     * #refreshPod}.
     */
    ParserAnnotations.Chosen parsers(Parsers defined) {
        ContainerLogName name = names.fileName();
        if (pod == null || name == null) {
            return ParserAnnotations.Chosen.NONE;
        }
        if (pod != parsersPod) {
            parsers = ParserAnnotations.choose(pod.annotations(), name.containerName(), defined);
            parsersPod = pod;
        }
        return parsers;
    }

    MultilineJoiner joiner(StageContext stage, MetadataJoin metadata, MultilineBuffers multiline) throws Exception {
        refreshPod(stage, metadata, multiline);
        return joiner;
    }

    /** @param fileName null when the name does not follow the kubelet's pattern */
    record PathNames(ContainerLogName fileName, String applicationStream, String dataplaneStream) {
        /** What a container file's path says (kubelet name fields, stream names) on one node. */
        static PathNames of(String node, String path) {
            return new PathNames(
                    ContainerLogName.parse(TagNames.baseName(path)),
                    TagNames.applicationStream(node, path),
                    TagNames.dataplaneTailStream(node, path));
        }
    }
}
