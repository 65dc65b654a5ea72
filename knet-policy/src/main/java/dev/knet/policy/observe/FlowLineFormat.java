package dev.knet.policy.observe;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import static dev.knet.policy.matrix.MatrixRenderer.quote;

/** Renders a {@link FlowLine} as one line of text (like {@code hubble observe}) or one JSON object per line. */
public enum FlowLineFormat {
    TEXT, JSON;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    static final String DISAGREE = "model says allowed: enforcement and model disagree";
    static final String DISAGREE_FORWARDED = "model says denied: enforcement and model disagree";

    public String render(FlowLine line) {
        return this == TEXT ? text(line) : json(line);
    }

    /**
     * "Jan 02 15:04:05.000 node DROPPED x/a:42311 -> x/b:80/TCP ingress NetworkPolicy (knet-drop:3): denied: ...",
     * "Jan 02 15:04:05.000 node FORWARDED x/a:42311 -> x/b:8080/TCP (via svc x/web 10.96.0.10:80): allowed: ...".
     */
    private static String text(FlowLine l) {
        StringBuilder b = new StringBuilder(CLOCK.format(l.time())).append(' ').append(l.node()).append(' ')
                .append(l.verdict()).append(' ').append(l.source().display()).append(" -> ")
                .append(l.destination().display()).append('/').append(l.protocol());
        l.via().ifPresent(via -> b.append(" (via ").append(via.display()).append(')'));
        if (l.verdict() == FlowLine.Verdict.DROPPED) {
            b.append(' ').append(l.site().map(s -> s.describe() + " (" + l.prefix() + ")").orElse("by " + l.prefix()));
        }
        b.append(": ");
        if (l.agreement() == FlowLine.Agreement.DISAGREES) {
            b.append(l.verdict() == FlowLine.Verdict.FORWARDED ? DISAGREE_FORWARDED : DISAGREE)
                    .append(" (").append(l.reason()).append(')');
        } else {
            b.append(l.reason()); // the model's sentence starts with its verdict: "allowed: ..." or "denied: ..."
        }
        return b.toString();
    }

    private static String json(FlowLine l) {
        StringBuilder b = new StringBuilder("{\"time\":").append(quote(l.time().toString()))
                .append(",\"node\":").append(quote(l.node()))
                .append(",\"verdict\":").append(quote(l.verdict().name()))
                .append(",\"source\":").append(peer(l.source()))
                .append(",\"destination\":").append(peer(l.destination()))
                .append(",\"protocol\":").append(quote(l.protocol()));
        l.via().ifPresent(via -> {
            b.append(",\"service\":{\"ip\":").append(quote(via.ip())).append(",\"port\":").append(via.port());
            via.service().ifPresent(s -> b.append(",\"namespace\":").append(quote(s.substring(0, s.indexOf('/'))))
                    .append(",\"name\":").append(quote(s.substring(s.indexOf('/') + 1))));
            b.append('}');
        });
        if (l.verdict() == FlowLine.Verdict.DROPPED) {
            b.append(",\"dropRule\":{\"prefix\":").append(quote(l.prefix()));
            l.site().ifPresent(s -> {
                b.append(",\"chain\":").append(quote(s.chain()));
                s.direction().ifPresent(d -> b.append(",\"direction\":").append(quote(d.word())));
                s.tier().ifPresent(t -> b.append(",\"tier\":").append(quote(t.label())));
            });
            b.append('}');
        }
        return b.append(",\"agreement\":").append(quote(l.agreement().name().toLowerCase(java.util.Locale.ROOT)))
                .append(",\"reason\":").append(quote(l.reason())).append('}').toString();
    }

    private static String peer(FlowLine.Peer p) {
        StringBuilder b = new StringBuilder("{\"ip\":").append(quote(p.ip()));
        if (p.port() >= 0) {
            b.append(",\"port\":").append(p.port());
        }
        p.pod().ifPresent(pod -> b.append(",\"namespace\":").append(quote(pod.substring(0, pod.indexOf('/'))))
                .append(",\"pod\":").append(quote(pod.substring(pod.indexOf('/') + 1))));
        return b.append('}').toString();
    }
}
