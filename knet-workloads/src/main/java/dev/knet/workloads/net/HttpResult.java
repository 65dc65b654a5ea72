package dev.knet.workloads.net;

import java.util.Map;

/** A response received by a workload's HTTP client; header names are lower-case. */
public record HttpResult(int status, String body, Map<String, String> headers) {

    public HttpResult {
        headers = Map.copyOf(headers);
    }
}
