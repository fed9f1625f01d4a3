package dev.kubelogs.job.metrics.discovery;

import static dev.kubelogs.job.metrics.discovery.MetaLabels.ADDRESS;
import static dev.kubelogs.job.metrics.discovery.MetaLabels.NAMESPACE;
import static dev.kubelogs.job.metrics.discovery.MetaLabels.PREFIX;
import static dev.kubelogs.job.metrics.discovery.MetaLabels.joinHostPort;
import static dev.kubelogs.job.metrics.discovery.MetaLabels.merge;

import dev.kubelogs.job.metrics.discovery.PodMeta.ContainerMeta;
import dev.kubelogs.job.metrics.discovery.PodMeta.PortMeta;
import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The label sets Prometheus' kubernetes_sd makes of one object per role (discovery/kubernetes/{pod,service,node,
 * endpoints,endpointslice,ingress}.go): each set is the target's labels over its group's labels, before relabeling.
 * Empty values are left out, as Prometheus' label builder does when it turns a target into labels.
 */
final class KubernetesLabelSets {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final String EP = PREFIX + "endpoint_";
    private static final String EPS = PREFIX + "endpointslice_";
    private static final String NODE_ADDRESS = PREFIX + "node_address_";
    private static final List<String> NODE_ADDRESS_PRIORITY =
            List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname");

    private KubernetesLabelSets() {}

    /** Role pod: one set per container port, one per container without ports; none while the pod has no IP. */
    static List<Labels> pod(io.fabric8.kubernetes.api.model.Pod pod) {
        PodMeta meta = PodMeta.of(pod);
        List<Labels> sets = new ArrayList<>();
        if (!meta.hasIp()) {
            return sets;
        }
        Labels group = meta.labels().with(NAMESPACE, pod.getMetadata().getNamespace());
        for (ContainerMeta c : meta.containers()) {
            if (c.ports().isEmpty()) {
                Labels.Builder t = group.toBuilder();
                t.set(ADDRESS, meta.ip().indexOf(':') >= 0 ? "[" + meta.ip() + "]" : meta.ip());
                meta.addContainerLabels(t, c, null, true);
                sets.add(t.build());
                continue;
            }
            for (PortMeta port : c.ports()) {
                Labels.Builder t = group.toBuilder();
                t.set(ADDRESS, joinHostPort(meta.ip(), port.number()));
                meta.addContainerLabels(t, c, port, true);
                sets.add(t.build());
            }
        }
        return sets;
    }

    /**
     * Role ingress: one set per rule and path (a rule without {@code http} counts as path {@code /}, an empty path
     * is {@code /}), addressed by the rule's host, with scheme https when a TLS entry names the host or a wildcard
     * ({@code *.example.com}, one label) covering it (Prometheus' ingress.go).
     */
    static List<Labels> ingress(Ingress ingress) {
        Labels.Builder g = Labels.builder();
        g.set(NAMESPACE, ingress.getMetadata().getNamespace());
        IngressSpec spec = ingress.getSpec() == null ? new IngressSpec() : ingress.getSpec();
        g.set(PREFIX + "ingress_class_name", spec.getIngressClassName());
        MetaLabels.addObjectMeta(g, "ingress", ingress.getMetadata());
        Labels group = g.build();
        List<String> tlsHosts = new ArrayList<>();
        if (spec.getTls() != null) {
            for (IngressTLS tls : spec.getTls()) {
                if (tls.getHosts() != null) {
                    tlsHosts.addAll(tls.getHosts());
                }
            }
        }
        List<Labels> sets = new ArrayList<>();
        if (spec.getRules() == null) {
            return sets;
        }
        for (IngressRule rule : spec.getRules()) {
            String host = rule.getHost() == null ? "" : rule.getHost();
            String scheme = "http";
            for (String pattern : tlsHosts) {
                if (matchesHostnamePattern(pattern, host)) {
                    scheme = "https";
                    break;
                }
            }
            for (String path : ingressPaths(rule)) {
                Labels.Builder t = group.toBuilder();
                t.set(ADDRESS, host);
                t.set(PREFIX + "ingress_scheme", scheme);
                t.set(PREFIX + "ingress_host", host);
                t.set(PREFIX + "ingress_path", path);
                sets.add(t.build());
            }
        }
        return sets;
    }

    /** A rule without {@code http} is path {@code /}; one with {@code http} but no paths has no target. */
    private static List<String> ingressPaths(IngressRule rule) {
        if (rule.getHttp() == null) {
            return List.of("/");
        }
        List<String> paths = new ArrayList<>();
        if (rule.getHttp().getPaths() == null) {
            return paths;
        }
        for (HTTPIngressPath p : rule.getHttp().getPaths()) {
            paths.add(p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath());
        }
        return paths;
    }

    /** Prometheus' matchesHostnamePattern: equal, or {@code *.} standing for exactly the host's first label. */
    static boolean matchesHostnamePattern(String pattern, String host) {
        if (pattern == null) {
            return false;
        }
        if (pattern.equals(host)) {
            return true;
        }
        String[] patternParts = pattern.split("\\.", -1);
        String[] hostParts = host.split("\\.", -1);
        if (!patternParts[0].equals("*") || patternParts.length != hostParts.length) {
            return false;
        }
        for (int i = 1; i < patternParts.length; i++) {
            if (!patternParts[i].equals(hostParts[i])) {
                return false;
            }
        }
        return true;
    }

    /** The group labels a service gives its own targets and, in roles endpoints/endpointslice, theirs. */
    static Labels serviceLabels(Service svc) {
        Labels.Builder b = Labels.builder();
        b.set(NAMESPACE, svc.getMetadata().getNamespace());
        MetaLabels.addObjectMeta(b, "service", svc.getMetadata());
        return b.build();
    }

    /** Role service: one set per service port, addressed {@code name.namespace.svc:port}. */
    static List<Labels> service(Service svc) {
        Labels group = serviceLabels(svc);
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        List<Labels> sets = new ArrayList<>();
        if (spec.getPorts() == null) {
            return sets;
        }
        String host = svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc";
        for (ServicePort port : spec.getPorts()) {
            int number = port.getPort() == null ? 0 : port.getPort();
            Labels.Builder t = group.toBuilder();
            t.set(ADDRESS, joinHostPort(host, number));
            t.set(PREFIX + "service_port_name", port.getName());
            t.set(PREFIX + "service_port_number", Integer.toString(number));
            t.set(PREFIX + "service_port_protocol", port.getProtocol());
            t.set(PREFIX + "service_type", spec.getType());
            if ("ExternalName".equals(spec.getType())) {
                t.set(PREFIX + "service_external_name", spec.getExternalName());
            } else {
                t.set(PREFIX + "service_cluster_ip", spec.getClusterIP());
            }
            if ("LoadBalancer".equals(spec.getType())) {
                t.set(PREFIX + "service_loadbalancer_ip", spec.getLoadBalancerIP());
            }
            sets.add(t.build());
        }
        return sets;
    }

    /**
     * Role node: one set, addressed by the first address of the most preferred type and the kubelet port, with
     * {@code instance} = the node name; none when the node has no address.
     */
    static List<Labels> node(Node node) {
        Labels.Builder b = Labels.builder();
        b.set(
                PREFIX + "node_provider_id",
                node.getSpec() == null ? null : node.getSpec().getProviderID());
        MetaLabels.addObjectMeta(b, "node", node.getMetadata());
        Map<String, String> firstByType = new TreeMap<>();
        if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
            for (NodeAddress a : node.getStatus().getAddresses()) {
                firstByType.putIfAbsent(a.getType(), a.getAddress());
            }
        }
        String address = null;
        for (String type : NODE_ADDRESS_PRIORITY) {
            if (firstByType.containsKey(type)) {
                address = firstByType.get(type);
                break;
            }
        }
        if (address == null) {
            return List.of();
        }
        b.set(ADDRESS, joinHostPort(address, kubeletPort(node)));
        b.set(MetaLabels.INSTANCE, node.getMetadata().getName());
        firstByType.forEach((type, a) -> b.set(MetaLabels.sanitize(NODE_ADDRESS + type), a));
        return List.of(b.build());
    }

    private static int kubeletPort(Node node) {
        if (node.getStatus() == null
                || node.getStatus().getDaemonEndpoints() == null
                || node.getStatus().getDaemonEndpoints().getKubeletEndpoint() == null) {
            return 0;
        }
        Integer port =
                node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
        return port == null ? 0 : port;
    }

    /**
     * Role endpoints: one set per subset port and address (ready addresses, then not-ready ones), with the pod's
     * labels and the matching container port when the address points at a known pod, then one set per port of those
     * pods that no endpoint port covered.
     *
     * @param service the service's labels ({@link #serviceLabels}), null when there is no such service
     * @param pods the pod an address's target reference names, null when unknown
     */
    static List<Labels> endpoints(Endpoints eps, Labels service, Function<ObjectReference, PodMeta> pods) {
        Labels.Builder g = service == null ? Labels.builder() : service.toBuilder();
        g.set(NAMESPACE, eps.getMetadata().getNamespace());
        MetaLabels.addObjectMeta(g, "endpoints", eps.getMetadata());
        Labels group = g.build();
        SeenPods seen = new SeenPods();
        List<Labels> sets = new ArrayList<>();
        if (eps.getSubsets() != null) {
            for (EndpointSubset subset : eps.getSubsets()) {
                if (subset.getPorts() == null) {
                    continue;
                }
                for (EndpointPort port : subset.getPorts()) {
                    addAddresses(sets, group, subset.getAddresses(), port, "true", pods, seen);
                    addAddresses(sets, group, subset.getNotReadyAddresses(), port, "false", pods, seen);
                }
            }
        }
        seen.addUncoveredPorts(sets, group);
        return sets;
    }

    private static void addAddresses(
            List<Labels> sets,
            Labels group,
            List<EndpointAddress> addresses,
            EndpointPort port,
            String ready,
            Function<ObjectReference, PodMeta> pods,
            SeenPods seen) {
        if (addresses == null) {
            return;
        }
        int number = port.getPort() == null ? 0 : port.getPort();
        for (EndpointAddress addr : addresses) {
            Labels.Builder t = group.toBuilder();
            t.set(ADDRESS, joinHostPort(addr.getIp(), number));
            t.set(EP + "port_name", port.getName());
            t.set(EP + "port_protocol", port.getProtocol());
            t.set(EP + "ready", ready);
            ObjectReference ref = addr.getTargetRef();
            setTargetRef(t, EP, ref);
            t.set(EP + "node_name", addr.getNodeName());
            t.set(EP + "hostname", addr.getHostname());
            if (addPod(t, ref, port.getPort(), pods, seen)) {
                // role endpoints labels the matched container port with the endpoint port's protocol, where role
                // endpointslice takes the container port's (Prometheus' endpoints.go and endpointslice.go)
                t.set(PodMeta.CONTAINER_PORT_PROTOCOL, port.getProtocol());
            }
            sets.add(t.build());
        }
    }

    /** Role endpointslice: as endpoints, per endpoint, port and address, with the slice's own labels. */
    static List<Labels> endpointSlice(EndpointSlice slice, Labels service, Function<ObjectReference, PodMeta> pods) {
        Labels.Builder g = service == null ? Labels.builder() : service.toBuilder();
        g.set(NAMESPACE, slice.getMetadata().getNamespace());
        g.set(EPS + "address_type", slice.getAddressType());
        MetaLabels.addObjectMeta(g, "endpointslice", slice.getMetadata());
        Labels group = g.build();
        SeenPods seen = new SeenPods();
        List<Labels> sets = new ArrayList<>();
        if (slice.getEndpoints() != null && slice.getPorts() != null) {
            for (Endpoint ep : slice.getEndpoints()) {
                for (io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port : slice.getPorts()) {
                    if (ep.getAddresses() == null) {
                        continue;
                    }
                    for (String addr : ep.getAddresses()) {
                        sets.add(sliceTarget(group, addr, ep, port, pods, seen));
                    }
                }
            }
        }
        seen.addUncoveredPorts(sets, group);
        return sets;
    }

    private static Labels sliceTarget(
            Labels group,
            String addr,
            Endpoint ep,
            io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port,
            Function<ObjectReference, PodMeta> pods,
            SeenPods seen) {
        Labels.Builder t = group.toBuilder();
        t.set(ADDRESS, port.getPort() == null ? addr : joinHostPort(addr, port.getPort()));
        t.set(EPS + "port_name", port.getName());
        t.set(EPS + "port_protocol", port.getProtocol());
        t.set(EPS + "port", port.getPort() == null ? null : port.getPort().toString());
        t.set(EPS + "port_app_protocol", port.getAppProtocol());
        if (ep.getConditions() != null) {
            setBoolean(t, EPS + "endpoint_conditions_ready", ep.getConditions().getReady());
            setBoolean(
                    t, EPS + "endpoint_conditions_serving", ep.getConditions().getServing());
            setBoolean(
                    t,
                    EPS + "endpoint_conditions_terminating",
                    ep.getConditions().getTerminating());
        }
        t.set(EPS + "endpoint_hostname", ep.getHostname());
        ObjectReference ref = ep.getTargetRef();
        setTargetRef(t, EPS, ref);
        t.set(EPS + "endpoint_node_name", ep.getNodeName());
        t.set(EPS + "endpoint_zone", ep.getZone());
        if (ep.getDeprecatedTopology() != null) {
            new TreeMap<>(ep.getDeprecatedTopology()).forEach((k, v) -> {
                String name = MetaLabels.sanitize(k);
                t.set(EPS + "endpoint_topology_" + name, v);
                t.set(EPS + "endpoint_topology_present_" + name, MetaLabels.PRESENT);
            });
        }
        addPod(t, ref, port.getPort(), pods, seen);
        return t.build();
    }

    private static void setTargetRef(Labels.Builder t, String prefix, ObjectReference ref) {
        if (ref != null) {
            t.set(prefix + "address_target_kind", ref.getKind());
            t.set(prefix + "address_target_name", ref.getName());
        }
    }

    private static void setBoolean(Labels.Builder t, String name, Boolean value) {
        if (value != null) {
            t.set(name, value.toString());
        }
    }

    /**
     * The pod's labels over the target's, then the container port that the endpoint port names, if any.
     *
     * @return whether a container port matched the endpoint port
     */
    private static boolean addPod(
            Labels.Builder t,
            ObjectReference ref,
            Integer port,
            Function<ObjectReference, PodMeta> pods,
            SeenPods seen) {
        if (ref == null || !"Pod".equals(ref.getKind())) {
            return false;
        }
        PodMeta pod = pods.apply(ref);
        if (pod == null) {
            return false;
        }
        pod.labels().forEach(t::set);
        boolean matched = false;
        for (ContainerMeta c : pod.containers()) {
            for (PortMeta cport : c.ports()) {
                if (port != null && port == cport.number()) {
                    pod.addContainerLabels(t, c, cport, false);
                    matched = true;
                    break;
                }
            }
        }
        seen.add(ref, pod, port);
        return matched;
    }

    /** Pods that endpoint addresses pointed at, with the ports that already made targets for them. */
    private static final class SeenPods {
        private final Map<String, PodMeta> pods = new LinkedHashMap<>();
        private final Map<String, List<Integer>> ports = new LinkedHashMap<>();

        void add(ObjectReference ref, PodMeta pod, Integer port) {
            String key = MetaLabels.key(ref.getNamespace(), ref.getName());
            pods.putIfAbsent(key, pod);
            ports.computeIfAbsent(key, k -> new ArrayList<>()).add(port);
        }

        void addUncoveredPorts(List<Labels> sets, Labels group) {
            pods.forEach((key, pod) -> {
                if (!pod.hasIp()) {
                    return;
                }
                List<Integer> covered = ports.get(key);
                for (ContainerMeta c : pod.containers()) {
                    for (PortMeta cport : c.ports()) {
                        if (covered.contains(cport.number())) {
                            continue;
                        }
                        Labels.Builder t = Labels.builder();
                        t.set(ADDRESS, joinHostPort(pod.ip(), cport.number()));
                        pod.addContainerLabels(t, c, cport, false);
                        pod.labels().forEach(t::set);
                        sets.add(merge(group, t.build()));
                    }
                }
            });
        }
    }
}
