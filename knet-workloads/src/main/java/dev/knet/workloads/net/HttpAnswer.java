package dev.knet.workloads.net;

import java.util.Map;

/** What a workload does with a request: reply, or drop the connection (a process that exits mid-request). */
public sealed interface HttpAnswer {

    record Reply(int status, String contentType, String body, Map<String, String> headers) implements HttpAnswer {
        public Reply {
            headers = Map.copyOf(headers);
        }

        public Reply withHeader(String name, String value) {
            java.util.LinkedHashMap<String, String> more = new java.util.LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, contentType, body, more);
        }
    }

    record Hangup() implements HttpAnswer {
    }

    static Reply text(int status, String body) {
        return new Reply(status, "text/plain; charset=utf-8", body, Map.of());
    }

    static Reply text(String body) {
        return text(200, body);
    }

    static Reply json(int status, String body) {
        return new Reply(status, "application/json", body, Map.of());
    }

    static Reply html(int status, String body) {
        return new Reply(status, "text/html; charset=utf-8", body, Map.of());
    }

    static Reply notFound() {
        return text(404, "404 page not found\n");
    }
}
