package dev.knet.cli.print;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Columns for pods, deployments and nodes. */
final class WorkloadColumns {

    private WorkloadColumns() {
    }

    static final Columns<Pod> PODS = new Columns<>() {
        @Override
        public List<String> headers(boolean wide) {
            List<String> h = new ArrayList<>(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
            if (wide) {
                h.addAll(List.of("IP", "NODE"));
            }
            return h;
        }

        @Override
        public List<String> cells(Pod pod, boolean wide, Instant now) {
            int total = pod.getSpec() == null ? 0 : pod.getSpec().getContainers().size();
            List<ContainerStatus> statuses = pod.getStatus() == null ? List.of() : pod.getStatus().getContainerStatuses();
            long ready = statuses.stream().filter(s -> Boolean.TRUE.equals(s.getReady())).count();
            int restarts = statuses.stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
            List<String> c = new ArrayList<>(List.of(pod.getMetadata().getName(), ready + "/" + total, status(pod),
                    Integer.toString(restarts), Ages.since(pod.getMetadata().getCreationTimestamp(), now)));
            if (wide) {
                c.add(pod.getStatus() == null ? null : pod.getStatus().getPodIP());
                c.add(pod.getSpec() == null ? null : pod.getSpec().getNodeName());
            }
            return c;
        }

        private String status(Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                return "Terminating";
            }
            if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
                return "Pending";
            }
            for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
                if (s.getState() != null && s.getState().getWaiting() != null
                        && s.getState().getWaiting().getReason() != null) {
                    return s.getState().getWaiting().getReason();
                }
            }
            if (pod.getStatus().getReason() != null) {
                return pod.getStatus().getReason();
            }
            return pod.getStatus().getPhase();
        }
    };

    static final Columns<Deployment> DEPLOYMENTS = new Columns<>() {
        @Override
        public List<String> headers(boolean wide) {
            List<String> h = new ArrayList<>(List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"));
            if (wide) {
                h.addAll(List.of("CONTAINERS", "IMAGES", "SELECTOR"));
            }
            return h;
        }

        @Override
        public List<String> cells(Deployment d, boolean wide, Instant now) {
            int want = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            var st = d.getStatus();
            int ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
            int upToDate = st == null || st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas();
            int available = st == null || st.getAvailableReplicas() == null ? 0 : st.getAvailableReplicas();
            List<String> c = new ArrayList<>(List.of(d.getMetadata().getName(), ready + "/" + want,
                    Integer.toString(upToDate), Integer.toString(available),
                    Ages.since(d.getMetadata().getCreationTimestamp(), now)));
            if (wide) {
                var containers = d.getSpec().getTemplate().getSpec().getContainers();
                c.add(containers.stream().map(x -> x.getName()).collect(Collectors.joining(",")));
                c.add(containers.stream().map(x -> x.getImage()).collect(Collectors.joining(",")));
                Map<String, String> sel = d.getSpec().getSelector() == null ? Map.of()
                        : d.getSpec().getSelector().getMatchLabels();
                c.add(sel.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",")));
            }
            return c;
        }
    };

    static final Columns<Node> NODES = new Columns<>() {
        @Override
        public List<String> headers(boolean wide) {
            List<String> h = new ArrayList<>(List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"));
            if (wide) {
                h.addAll(List.of("INTERNAL-IP", "POD-CIDR", "ZONE"));
            }
            return h;
        }

        @Override
        public List<String> cells(Node n, boolean wide, Instant now) {
            String ready = "NotReady";
            String version = null;
            String internal = null;
            if (n.getStatus() != null) {
                for (NodeCondition cond : n.getStatus().getConditions()) {
                    if ("Ready".equals(cond.getType()) && "True".equals(cond.getStatus())) {
                        ready = "Ready";
                    }
                }
                version = n.getStatus().getNodeInfo() == null ? null : n.getStatus().getNodeInfo().getKubeletVersion();
                internal = n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                        .map(NodeAddress::getAddress).findFirst().orElse(null);
            }
            Map<String, String> labels = n.getMetadata().getLabels();
            String roles = labels.keySet().stream().filter(k -> k.startsWith("node-role.kubernetes.io/"))
                    .map(k -> k.substring("node-role.kubernetes.io/".length())).collect(Collectors.joining(","));
            List<String> c = new ArrayList<>(List.of(n.getMetadata().getName(), ready, roles,
                    Ages.since(n.getMetadata().getCreationTimestamp(), now), Objects.toString(version, "")));
            if (wide) {
                c.add(internal);
                c.add(n.getSpec() == null ? null : n.getSpec().getPodCIDR());
                c.add(labels.get("topology.kubernetes.io/zone"));
            }
            return c;
        }
    };
}
