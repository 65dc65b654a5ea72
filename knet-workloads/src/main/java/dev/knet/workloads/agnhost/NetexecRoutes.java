package dev.knet.workloads.agnhost;

import dev.knet.workloads.Json;
import dev.knet.workloads.net.HttpAnswer;
import dev.knet.workloads.net.HttpEndpoint;
import dev.knet.workloads.net.HttpRequestView;
import dev.knet.workloads.pod.PodContext;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** netexec's HTTP endpoints, with agnhost's texts and status codes. */
final class NetexecRoutes implements HttpEndpoint {

    /** How the workload ends: after {@code wait}, as a process exiting with {@code code}. */
    interface Exit {
        void exit(int code, Duration wait);
    }

    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS Z z");
    private final PodContext ctx;
    private final BooleanSupplier ready;
    private final Exit exit;
    private final String httpOverride;

    NetexecRoutes(PodContext ctx, BooleanSupplier ready, Exit exit, String httpOverride) {
        this.ctx = ctx;
        this.ready = ready;
        this.exit = exit;
        this.httpOverride = httpOverride;
    }

    @Override
    public CompletableFuture<HttpAnswer> handle(HttpRequestView request) {
        HttpRequestView r = httpOverride.isEmpty() ? request : overridden(request);
        return switch (r.path()) {
            case "/hostname", "/hostName" -> done(HttpAnswer.text(ctx.hostname()));
            case "/clientip" -> done(HttpAnswer.text(
                    HostPorts.join(r.remote().getAddress().getHostAddress(), r.remote().getPort())));
            case "/echo" -> done(echo(r));
            case "/header" -> done(header(r));
            case "/healthz" -> done(HttpAnswer.text(ready.getAsBoolean() ? 200 : 412, ""));
            case "/exit" -> done(exitRequest(r));
            case "/shutdown" -> {
                exit.exit(0, Duration.ZERO);
                yield done(new HttpAnswer.Hangup());
            }
            case "/redirect" -> done(redirect(r));
            case "/dial" -> dial(r);
            case "/shell", "/upload" -> done(HttpAnswer.json(417, Json.write(Map.of("error",
                    "knet's built-in agnhost does not run commands or store files (" + r.path() + ")"))));
            // Go's ServeMux sends every other path to the "/" handler
            default -> done(HttpAnswer.text("NOW: " + ZonedDateTime.now().format(GO_TIME)));
        };
    }

    private HttpRequestView overridden(HttpRequestView request) {
        QueryStringDecoder override = new QueryStringDecoder(httpOverride);
        return new HttpRequestView("GET", override.path(), override.parameters(), request.headers(),
                request.remote(), "");
    }

    private static HttpAnswer echo(HttpRequestView r) {
        String code = r.param("code");
        if (code.isEmpty()) {
            return HttpAnswer.text(r.param("msg"));
        }
        try {
            return HttpAnswer.text(Integer.parseInt(code), r.param("msg"));
        } catch (IllegalArgumentException e) {
            return HttpAnswer.text("argument 'code' must be an integer or empty, got \"" + code + "\"\n");
        }
    }

    private static HttpAnswer header(HttpRequestView r) {
        String key = r.param("key");
        if (!key.isEmpty()) {
            String value = r.header(key);
            return HttpAnswer.text(value == null ? "" : value);
        }
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : r.headers()) {
            String name = canonical(h.getKey());
            if (!name.equals("Host")) { // Go moves Host out of the header map
                all.computeIfAbsent(name, k -> new ArrayList<>()).add(h.getValue());
            }
        }
        return HttpAnswer.text(Json.write(all));
    }

    /** Go's textproto.CanonicalMIMEHeaderKey: "x-request-id" becomes "X-Request-Id". */
    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private HttpAnswer exitRequest(HttpRequestView r) {
        Duration wait;
        try {
            wait = r.param("wait").isEmpty() ? Duration.ZERO : GoFlags.parseDuration(r.param("wait"));
        } catch (IllegalArgumentException e) {
            return HttpAnswer.text("argument 'wait' must be a valid golang duration or empty, got \""
                    + r.param("wait") + "\"\n");
        }
        if (!r.param("timeout").isEmpty()) {
            try {
                GoFlags.parseDuration(r.param("timeout"));
            } catch (IllegalArgumentException e) {
                return HttpAnswer.text("argument 'timeout' must be a valid golang duration or empty, got \""
                        + r.param("timeout") + "\"\n");
            }
        }
        int code;
        try {
            code = r.param("code").isEmpty() ? 0 : Integer.parseInt(r.param("code"));
        } catch (NumberFormatException e) {
            return HttpAnswer.text("argument 'code' must be an integer [0-127] or empty, got \""
                    + r.param("code") + "\"\n");
        }
        // the process exits while this request is open: its client sees the connection close
        exit.exit(code, wait);
        return new HttpAnswer.Hangup();
    }

    private static HttpAnswer redirect(HttpRequestView r) {
        String location = r.param("location");
        int code = 302;
        if (!r.param("code").isEmpty()) {
            try {
                code = Integer.parseInt(r.param("code"));
            } catch (NumberFormatException e) {
                return HttpAnswer.text("argument 'code' must be an integer or empty, got \"" + r.param("code") + "\"\n");
            }
        }
        return new HttpAnswer.Reply(code, "text/html; charset=utf-8",
                "<a href=\"" + location + "\">Redirect</a>.\n\n", Map.of("Location", location));
    }

    private CompletableFuture<HttpAnswer> dial(HttpRequestView r) {
        int tries = 1;
        if (!r.param("tries").isEmpty()) {
            try {
                tries = Integer.parseInt(r.param("tries"));
            } catch (NumberFormatException e) {
                return done(HttpAnswer.text(400, "tries parameter is invalid. strconv.Atoi: parsing \""
                        + r.param("tries") + "\": invalid syntax\n"));
            }
        }
        String request = r.param("request");
        if (request.isEmpty()) {
            return done(HttpAnswer.text(400, "request parameter not specified. <nil>\n"));
        }
        Dialer.Protocol protocol;
        switch (r.param("protocol").toLowerCase(Locale.ROOT)) {
            case "", "http" -> protocol = Dialer.Protocol.HTTP;
            case "udp" -> protocol = Dialer.Protocol.UDP;
            case "sctp" -> protocol = Dialer.Protocol.SCTP;
            default -> {
                return done(HttpAnswer.text(400, "unsupported protocol. " + r.param("protocol") + "\n"));
            }
        }
        String host = r.param("host");
        String port = r.param("port");
        int finalTries = tries;
        return HttpEndpoint.offLoop(() -> {
            InetSocketAddress target;
            try {
                target = ctx.resolver().resolve(host, Integer.parseInt(port)).getFirst();
            } catch (UnknownHostException | NumberFormatException e) {
                return HttpAnswer.text(400, "host and/or port param are invalid. " + e.getMessage() + "\n");
            }
            return HttpAnswer.text(Json.write(new Dialer(ctx).dial(protocol, target, request, finalTries)));
        });
    }

    private static CompletableFuture<HttpAnswer> done(HttpAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
