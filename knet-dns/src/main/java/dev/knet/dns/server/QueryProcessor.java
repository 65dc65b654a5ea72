package dev.knet.dns.server;

import dev.knet.dns.index.RecordTypes;
import dev.knet.dns.index.ResourceRecord;
import dev.knet.dns.index.ZoneAnswer;
import dev.knet.dns.index.ZoneResolver;
import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.wire.DnsQuery;
import dev.knet.dns.wire.DnsResponse;
import dev.knet.dns.wire.QueryEncoder;
import dev.knet.dns.wire.Rcode;
import dev.knet.dns.wire.UpstreamAnswers;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Decides the answer to one query: the cluster zone answers its own names (and the PTRs of the
 * addresses it knows), everything else goes upstream, or is REFUSED at once when no upstream is
 * configured. Transport-neutral: the handlers encode and size the reply.
 */
public final class QueryProcessor {

    private final Supplier<ZoneSnapshot> zone;
    private final Optional<Upstream> upstream;
    private final int maxUdpPayload;

    public QueryProcessor(Supplier<ZoneSnapshot> zone, Optional<Upstream> upstream, int maxUdpPayload) {
        this.zone = zone;
        this.upstream = upstream;
        this.maxUdpPayload = maxUdpPayload;
    }

    /** The UDP size limit for a reply: 512 without EDNS (RFC 1035), else the client's size within [512, max]. */
    public int udpLimit(DnsQuery query) {
        return query.edns().map(e -> Math.clamp(e.udpPayloadSize(), 512, maxUdpPayload)).orElse(512);
    }

    /**
     * @param raw the query as received; read only during this call, never retained
     */
    public CompletableFuture<Reply> process(DnsQuery query, ByteBuf raw, Transport transport) {
        int edns = query.edns().isPresent() ? maxUdpPayload : 0;
        boolean ra = upstream.isPresent();
        if (query.edns().isPresent() && query.edns().get().version() > 0) {
            return local(DnsResponse.empty(query, Rcode.BADVERS, ra, edns));
        }
        if (query.opcode() != 0) {
            return local(DnsResponse.empty(query, Rcode.NOTIMP, ra, edns));
        }
        if (query.qclass() != RecordTypes.CLASS_IN && query.qclass() != RecordTypes.CLASS_ANY) {
            return local(DnsResponse.empty(query, Rcode.REFUSED, ra, edns));
        }
        ZoneAnswer answer = query.plainName()
                ? ZoneResolver.resolve(zone.get(), query.name(), query.type())
                : new ZoneAnswer.NotInZone();
        return switch (answer) {
            case ZoneAnswer.Authoritative a -> local(new DnsResponse(query.id(), 0, query.recursionDesired(), ra, true,
                    a.outcome() == ZoneAnswer.Outcome.NXDOMAIN ? Rcode.NXDOMAIN : Rcode.NOERROR,
                    query.questionBytes(), a.answers(), a.authority(), a.additional(), edns));
            case ZoneAnswer.Alias alias -> chase(query, alias, edns);
            case ZoneAnswer.NotInZone n -> forward(query, raw, transport, edns);
        };
    }

    private CompletableFuture<Reply> forward(DnsQuery query, ByteBuf raw, Transport transport, int edns) {
        if (upstream.isEmpty()) {
            return local(DnsResponse.empty(query, Rcode.REFUSED, false, edns));
        }
        byte[] message = new byte[raw.readableBytes()];
        raw.getBytes(raw.readerIndex(), message);
        return upstream.get().forward(message, transport)
                .<Reply>thenApply(Reply.Relayed::new)
                .exceptionally(e -> new Reply.Local(DnsResponse.empty(query, Rcode.SERVFAIL, true, edns)));
    }

    /** An ExternalName's CNAME, followed by what upstream says about its target (spec 2.5). */
    private CompletableFuture<Reply> chase(DnsQuery query, ZoneAnswer.Alias alias, int edns) {
        boolean addressQuery = query.type() == RecordTypes.A || query.type() == RecordTypes.AAAA;
        if (upstream.isEmpty() || !addressQuery) {
            return local(aliasResponse(query, alias.chain(), Rcode.NOERROR, edns));
        }
        byte[] message = QueryEncoder.encode(ThreadLocalRandom.current().nextInt(0x10000), alias.target(),
                query.type(), maxUdpPayload);
        return upstream.get().forward(message, Transport.UDP)
                .thenApply(bytes -> {
                    var result = UpstreamAnswers.read(bytes);
                    if (result.isEmpty()) {
                        return (Reply) new Reply.Local(aliasResponse(query, alias.chain(), Rcode.NOERROR, edns));
                    }
                    List<ResourceRecord> all = new ArrayList<>(alias.chain());
                    all.addAll(result.get().answers());
                    Rcode rcode = result.get().rcode() == Rcode.NXDOMAIN.code() ? Rcode.NXDOMAIN : Rcode.NOERROR;
                    return new Reply.Local(aliasResponse(query, all, rcode, edns));
                })
                .exceptionally(e -> new Reply.Local(aliasResponse(query, alias.chain(), Rcode.NOERROR, edns)));
    }

    private DnsResponse aliasResponse(DnsQuery query, List<ResourceRecord> answers, Rcode rcode, int edns) {
        return new DnsResponse(query.id(), 0, query.recursionDesired(), upstream.isPresent(), true, rcode,
                query.questionBytes(), answers, List.of(), List.of(), edns);
    }

    private static CompletableFuture<Reply> local(DnsResponse response) {
        return CompletableFuture.completedFuture(new Reply.Local(response));
    }
}
