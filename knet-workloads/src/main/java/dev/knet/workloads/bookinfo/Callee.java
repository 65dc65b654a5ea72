package dev.knet.workloads.bookinfo;

import dev.knet.workloads.net.HttpRequestView;
import dev.knet.workloads.net.HttpResult;
import dev.knet.workloads.net.PodHttpClient;
import dev.knet.workloads.pod.PodContext;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Another Bookinfo service as the caller reaches it: http://NAME[.SERVICES_DOMAIN]:9080, with
 * NAME_HOSTNAME and NAME_SERVICE_PORT overriding as in Istio's sources.
 */
record Callee(String host, int port) {

    /** The tracing and user headers the Bookinfo services pass on to their callees. */
    private static final List<String> FORWARDED = List.of("x-request-id", "x-b3-traceid", "x-b3-spanid",
            "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "x-ot-span-context", "traceparent", "tracestate",
            "end-user", "user-agent", "cookie", "authorization");

    static Callee of(String service, PodContext ctx) {
        String prefix = service.toUpperCase(Locale.ROOT);
        String domain = ctx.env("SERVICES_DOMAIN", "");
        String host = ctx.env(prefix + "_HOSTNAME", service) + (domain.isEmpty() ? "" : "." + domain);
        int port;
        try {
            port = Integer.parseInt(ctx.env(prefix + "_SERVICE_PORT", "9080").strip());
        } catch (NumberFormatException e) {
            port = 9080;
        }
        return new Callee(host, port);
    }

    HttpResult get(PodContext ctx, String path, HttpRequestView incoming, Duration timeout) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : FORWARDED) {
            String value = incoming.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return new PodHttpClient(ctx.sockets(), ctx.resolver()).get(host, port, path, headers, timeout);
    }

    String url() {
        return "http://" + host + ":" + port;
    }
}
