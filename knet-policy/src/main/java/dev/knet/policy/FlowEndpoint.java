package dev.knet.policy;

import dev.knet.model.net.IpAddresses;

/** One side of a flow as the user names it: a pod, a Service (by name or ClusterIP) or an address. */
public sealed interface FlowEndpoint {

    record PodRef(String namespace, String name) implements FlowEndpoint {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    record ServiceRef(String namespace, String name) implements FlowEndpoint {
        @Override
        public String toString() {
            return "service " + namespace + "/" + name;
        }
    }

    record Address(String ip) implements FlowEndpoint {
        @Override
        public String toString() {
            return ip;
        }
    }

    /**
     * Parses "ns/pod", "pod" (namespace default), "svc/ns/name" or "service/ns/name", or an IP
     * literal. Whether a plain "ns/name" is a pod or a Service is settled by the engine.
     */
    static FlowEndpoint parse(String text) {
        String t = text.trim();
        if (IpAddresses.isValid(t)) {
            return new Address(IpAddresses.format(IpAddresses.parse(t)));
        }
        if (t.startsWith("svc/") || t.startsWith("service/")) {
            String rest = t.substring(t.indexOf('/') + 1);
            int slash = rest.indexOf('/');
            return slash < 0 ? new ServiceRef("default", rest) : new ServiceRef(rest.substring(0, slash), rest.substring(slash + 1));
        }
        int slash = t.indexOf('/');
        if (t.isEmpty() || slash == 0 || slash == t.length() - 1) {
            throw new PolicyException("cannot read \"" + text + "\" as ns/pod, svc/ns/name or an IP address");
        }
        return slash < 0 ? new PodRef("default", t) : new PodRef(t.substring(0, slash), t.substring(slash + 1));
    }
}
