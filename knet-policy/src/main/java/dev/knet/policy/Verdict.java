package dev.knet.policy;

import java.util.List;

/**
 * The answer to "can FROM reach TO on PORT/PROTO, and why". A flow to a Service is allowed only
 * if every endpoint allows it (whichever one the proxy picks must connect); {@code endpoints}
 * holds the verdict per endpoint after DNAT.
 */
public record Verdict(String source, String destination, int port, Protocol protocol, boolean allowed,
                      String reason, List<EndpointVerdict> endpoints) {

    public Verdict {
        endpoints = List.copyOf(endpoints);
    }
}
