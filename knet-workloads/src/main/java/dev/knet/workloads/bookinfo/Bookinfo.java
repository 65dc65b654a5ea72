package dev.knet.workloads.bookinfo;

import dev.knet.workloads.ServerWorkload;
import dev.knet.workloads.net.HttpAnswer;
import dev.knet.workloads.net.HttpEndpoint;
import dev.knet.workloads.net.HttpServers;
import dev.knet.workloads.pod.PodContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Bookinfo service. Every response carries {@code x-knet-pod} (the serving pod's hostname) and
 * {@code x-knet-workload} (e.g. reviews-v2), so a demo can show versions taking turns.
 */
public final class Bookinfo extends ServerWorkload {

    static final int DEFAULT_PORT = 9080;
    private final BookinfoService service;
    private final Map<String, String> env;

    public Bookinfo(BookinfoService service, Map<String, String> env) {
        this.service = service;
        this.env = Map.copyOf(env);
    }

    @Override
    public String description() {
        return "bookinfo " + service.label();
    }

    @Override
    protected void open(PodContext podCtx) throws IOException {
        Map<String, String> merged = new LinkedHashMap<>(podCtx.env());
        merged.putAll(env);
        PodContext ctx = podCtx.withEnv(merged);
        int port;
        try {
            port = Integer.parseInt(ctx.env("PORT", String.valueOf(DEFAULT_PORT)).strip());
        } catch (NumberFormatException e) {
            throw new IOException("PORT is not a number: " + ctx.env("PORT", ""), e);
        }
        HttpEndpoint endpoint = switch (service.kind()) {
            case PRODUCTPAGE -> new Productpage(ctx);
            case DETAILS -> new Details();
            case REVIEWS -> new Reviews(ctx, service.version());
            case RATINGS -> new Ratings();
        };
        String pod = ctx.env("HOSTNAME", ctx.hostname());
        HttpEndpoint labelled = request -> endpoint.handle(request).thenApply(answer -> switch (answer) {
            case HttpAnswer.Reply reply -> reply.withHeader("x-knet-pod", pod)
                    .withHeader("x-knet-workload", service.label());
            case HttpAnswer.Hangup hangup -> hangup;
        });
        track(HttpServers.bind(ctx.sockets(), new InetSocketAddress(ctx.listenAddress(), port), labelled));
    }
}
