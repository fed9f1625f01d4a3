package dev.kubelogs.bench;

import java.util.List;

/** The kubelet's {@code /pods} answer for a simulated node: one pod per container source, with its container id. */
final class PodListJson {
    private PodListJson() {}

    /**
     * @param specs the node's sources
     * @param files their files, in the same order (host sources have no pod and are left out)
     */
    static String json(String nodeName, List<LoadGenerator.SourceSpec> specs, List<SourceFile> files) {
        StringBuilder b = new StringBuilder("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[");
        boolean first = true;
        for (int i = 0; i < specs.size(); i++) {
            LoadGenerator.SourceSpec spec = specs.get(i);
            SourceFile f = files.get(i);
            if (f.containerId == null) {
                continue;
            }
            b.append(first ? "" : ",");
            first = false;
            b.append("{\"metadata\":{\"name\":\"")
                    .append(f.podName)
                    .append("\",\"namespace\":\"")
                    .append(spec.ns())
                    .append("\",\"uid\":\"")
                    .append(f.podUid)
                    .append("\",\"labels\":{\"app\":\"")
                    .append(spec.name())
                    .append("\"},\"annotations\":{}},\"spec\":{\"nodeName\":\"")
                    .append(nodeName)
                    .append("\"},\"status\":{\"podIP\":\"192.168.1.")
                    .append(10 + i)
                    .append("\",\"containerStatuses\":[{\"name\":\"")
                    .append(spec.name())
                    .append("\",\"containerID\":\"containerd://")
                    .append(f.containerId)
                    .append("\",\"imageID\":\"sha256:")
                    .append(LoadGenerator.sha256Hex(spec.name()))
                    .append("\",\"image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/")
                    .append(spec.name())
                    .append(":1.0\"}]}}");
        }
        return b.append("]}").toString();
    }
}
