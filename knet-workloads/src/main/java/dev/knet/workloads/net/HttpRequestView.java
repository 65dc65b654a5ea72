package dev.knet.workloads.net;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as a workload sees it.
 *
 * @param headers header names as sent, in order (a name may repeat)
 */
public record HttpRequestView(String method, String path, Map<String, List<String>> query,
                              List<Map.Entry<String, String>> headers, InetSocketAddress remote, String body) {

    public HttpRequestView {
        query = Map.copyOf(query);
        headers = List.copyOf(headers);
    }

    /** The first value of a query parameter, or "" (Go's FormValue). */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? "" : values.getFirst();
    }

    public boolean hasParam(String name) {
        return query.containsKey(name);
    }

    /** The first value of a header, matched case-insensitively, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
