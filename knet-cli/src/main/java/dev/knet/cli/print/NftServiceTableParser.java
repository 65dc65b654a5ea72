package dev.knet.cli.print;

import dev.knet.agent.services.ServiceLayout;
import dev.knet.cli.print.NodeServiceTable.VipPort;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads the output of {@code nft -j list table ip knet-services} into a {@link NodeServiceTable}. The maps read
 * are the agent's (see the agent's ServiceLayout): {@code service-ips} (VIP . proto . port : goto svc-K),
 * {@code backends} (VIP . proto . port . bucket : endpoint . port) and {@code no-endpoints}
 * (VIP . proto . port : reject or drop). JSON rather than nft's text: elements come as arrays of values, so no
 * grammar of nft's printer has to be reproduced here.
 */
public final class NftServiceTableParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private NftServiceTableParser() {
    }

    /** Thrown when the text is not the JSON nft prints. */
    public static final class MalformedTableException extends RuntimeException {
        MalformedTableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static NodeServiceTable parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedTableException("not nft JSON output: " + e.getOriginalMessage(), e);
        }
        Set<VipPort> routed = new HashSet<>();
        Map<VipPort, SortedSet<String>> backends = new HashMap<>();
        Set<VipPort> noEndpoints = new HashSet<>();
        for (JsonNode object : root.path("nftables")) {
            JsonNode map = object.path("map");
            if (map.isMissingNode()) {
                continue;
            }
            for (JsonNode elem : map.path("elem")) {
                JsonNode key = unwrap(elem.path(0)).path("concat");
                switch (map.path("name").asString("")) {
                    case ServiceLayout.SERVICE_IPS -> routed.add(vipPort(key));
                    case ServiceLayout.NODEPORTS -> routed.add(nodePort(key));
                    case ServiceLayout.NO_ENDPOINTS, ServiceLayout.NO_LOCAL_ENDPOINTS -> noEndpoints.add(vipPort(key));
                    case ServiceLayout.NO_ENDPOINT_NODEPORTS, ServiceLayout.NO_LOCAL_NODEPORTS -> noEndpoints.add(nodePort(key));
                    case ServiceLayout.BACKENDS -> backends.computeIfAbsent(vipPort(key), k -> new TreeSet<>())
                            .add(endpoint(unwrap(elem.path(1)).path("concat")));
                    case ServiceLayout.NODEPORT_BACKENDS -> backends.computeIfAbsent(nodePort(key), k -> new TreeSet<>())
                            .add(endpoint(unwrap(elem.path(1)).path("concat")));
                    default -> {
                        // the other maps hold pod-only routes and affinity: not shown here
                    }
                }
            }
        }
        // Buckets without a service-ips (nodeports) element are unreachable: traffic never gets to them.
        backends.keySet().retainAll(routed);
        routed.stream().filter(k -> !backends.containsKey(k)).forEach(k -> backends.put(k, new TreeSet<>()));
        return new NodeServiceTable(backends, noEndpoints);
    }

    /** An element with a timeout or comment comes as {"elem": {"val": ...}}. */
    private static JsonNode unwrap(JsonNode node) {
        JsonNode inner = node.path("elem").path("val");
        return inner.isMissingNode() ? node : inner;
    }

    private static VipPort vipPort(JsonNode concat) {
        return new VipPort(concat.path(0).asString(""), protocol(concat.path(1)), port(concat.path(2)));
    }

    private static VipPort nodePort(JsonNode concat) {
        return VipPort.nodePort(protocol(concat.path(0)), port(concat.path(1)));
    }

    private static String endpoint(JsonNode concat) {
        return concat.path(0).asString("") + ":" + port(concat.path(1));
    }

    /** nft prints inet_proto by name; a number (numeric output) is mapped back to the name. */
    private static String protocol(JsonNode node) {
        if (!node.isNumber()) {
            return node.asString("");
        }
        return switch (node.asInt()) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 132 -> "sctp";
            default -> Integer.toString(node.asInt());
        };
    }

    private static int port(JsonNode node) {
        if (node.isNumber()) {
            return node.asInt();
        }
        try {
            return Integer.parseInt(node.asString(""));
        } catch (NumberFormatException e) {
            return -1; // a service name nft chose to print: cannot match a numeric port, reads as not programmed
        }
    }
}
