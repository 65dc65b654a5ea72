package dev.knet.proxy.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of the proxy.
 *
 * @param requestTimeout    a client must deliver a whole request (headers and body) within this
 *                          time of the connection opening or of the previous response; also the
 *                          keep-alive idle limit
 * @param connectTimeout    connecting to an endpoint; past it the client gets 504
 * @param upstreamTimeout   waiting for an endpoint's whole response; past it the client gets 504
 * @param maxInitialLine    request line bytes; longer gets 414
 * @param maxHeaderBytes    header block bytes; larger gets 431
 * @param maxRequestBody    buffered request body bytes; larger gets 413
 * @param maxResponseBody   buffered response body bytes; larger gets 502
 * @param upstreamIdle      idle pooled endpoint connections are closed after this
 */
public record ProxySettings(Duration requestTimeout, Duration connectTimeout, Duration upstreamTimeout,
                            int maxInitialLine, int maxHeaderBytes, int maxRequestBody, int maxResponseBody,
                            Duration upstreamIdle) {

    public ProxySettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
        Objects.requireNonNull(upstreamIdle, "upstreamIdle");
    }

    public static ProxySettings defaults() {
        return new ProxySettings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(60),
                8 * 1024, 16 * 1024, 8 * 1024 * 1024, 64 * 1024 * 1024, Duration.ofSeconds(60));
    }

    public ProxySettings withRequestTimeout(Duration d) {
        return new ProxySettings(d, connectTimeout, upstreamTimeout, maxInitialLine, maxHeaderBytes,
                maxRequestBody, maxResponseBody, upstreamIdle);
    }

    public ProxySettings withUpstreamTimeout(Duration d) {
        return new ProxySettings(requestTimeout, connectTimeout, d, maxInitialLine, maxHeaderBytes,
                maxRequestBody, maxResponseBody, upstreamIdle);
    }

    public ProxySettings withMaxRequestBody(int bytes) {
        return new ProxySettings(requestTimeout, connectTimeout, upstreamTimeout, maxInitialLine, maxHeaderBytes,
                bytes, maxResponseBody, upstreamIdle);
    }
}
