package dev.knet.dns.server;

import dev.knet.dns.metrics.DnsMetrics;
import dev.knet.dns.wire.DnsQuery;
import dev.knet.dns.wire.DnsResponse;
import dev.knet.dns.wire.ParsedQuery;
import dev.knet.dns.wire.QueryDecoder;
import dev.knet.dns.wire.Rcode;
import dev.knet.dns.wire.ResponseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One packet in, at most one encoded reply out: decode, answer, size for the transport, count.
 * Shared by the UDP and TCP handlers; never throws, whatever the input.
 */
public final class QueryService {

    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);
    private static final CompletableFuture<ByteBuf> DROP = CompletableFuture.completedFuture(null);

    private final QueryProcessor processor;
    private final DnsMetrics metrics;

    public QueryService(QueryProcessor processor, DnsMetrics metrics) {
        this.processor = processor;
        this.metrics = metrics;
    }

    public DnsMetrics metrics() {
        return metrics;
    }

    /**
     * @param packet read only during this call; the caller keeps ownership
     * @return the reply to send (the caller owns it) or null to send nothing
     */
    public CompletableFuture<ByteBuf> handle(ByteBuf packet, Transport transport, ByteBufAllocator alloc) {
        long start = System.nanoTime();
        ParsedQuery parsed = QueryDecoder.decode(packet);
        switch (parsed) {
            case ParsedQuery.Dropped d -> {
                metrics.dropped(transport.label());
                return DROP;
            }
            case ParsedQuery.Malformed m -> {
                var formerr = new DnsResponse(m.id(), m.opcode(), m.recursionDesired(), false, false, Rcode.FORMERR,
                        new byte[0], List.of(), List.of(), List.of(), 0);
                metrics.answered(-1, Rcode.FORMERR.code(), transport.label(), System.nanoTime() - start);
                return CompletableFuture.completedFuture(ResponseEncoder.encode(alloc, formerr, 512));
            }
            case ParsedQuery.Valid v -> {
                DnsQuery query = v.query();
                int limit = transport == Transport.UDP ? processor.udpLimit(query) : ResponseEncoder.MAX_TCP;
                CompletableFuture<Reply> reply;
                try {
                    reply = processor.process(query, packet, transport);
                } catch (RuntimeException e) {
                    LOG.warn("query {} type {} failed", query.name(), query.type(), e);
                    reply = CompletableFuture.completedFuture(
                            new Reply.Local(DnsResponse.empty(query, Rcode.SERVFAIL, false, 0)));
                }
                if (reply.isDone() && !reply.isCompletedExceptionally()) {
                    // A zone answer: encode now, without a dependent future per query.
                    return CompletableFuture.completedFuture(finish(alloc, query, reply.join(), limit, transport, start));
                }
                return reply.thenApply(r -> finish(alloc, query, r, limit, transport, start));
            }
        }
    }

    private ByteBuf finish(ByteBufAllocator alloc, DnsQuery query, Reply reply, int limit, Transport transport, long start) {
        ByteBuf out = encode(alloc, query, reply, limit);
        metrics.answered(query.type(), rcodeOf(out), transport.label(), System.nanoTime() - start);
        return out;
    }

    private static int rcodeOf(ByteBuf out) {
        return out.readableBytes() >= 4 ? out.getUnsignedByte(out.readerIndex() + 3) & 0xf : Rcode.SERVFAIL.code();
    }

    static ByteBuf encode(ByteBufAllocator alloc, DnsQuery query, Reply reply, int limit) {
        try {
            return switch (reply) {
                case Reply.Local local -> ResponseEncoder.encode(alloc, local.response(), limit);
                case Reply.Relayed relayed -> relayed.message().length <= limit
                        ? alloc.buffer(relayed.message().length).writeBytes(relayed.message())
                        : ResponseEncoder.encodeTruncated(alloc, DnsResponse.empty(query,
                                Rcode.NOERROR, true, query.edns().isPresent() ? limit : 0));
            };
        } catch (RuntimeException e) {
            // A record that cannot be encoded (a label over 63 bytes from some object): SERVFAIL, not silence.
            LOG.warn("cannot encode the answer to {} type {}", query.name(), query.type(), e);
            return ResponseEncoder.encode(alloc, DnsResponse.empty(query, Rcode.SERVFAIL, false, 0), limit);
        }
    }
}
