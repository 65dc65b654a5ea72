package dev.knet.dns.wire;

import dev.knet.dns.index.RecordData;
import dev.knet.dns.index.ResourceRecord;
import dev.knet.dns.index.RecordTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes responses with name compression ({@link NameCompressor}), fitting them into a size limit: when everything does
 * not fit, the additional section goes first (no TC needed, RFC 2181 9); when the answer or
 * authority still does not fit, the response carries no records and sets TC so the client
 * retries over TCP. The OPT record is always kept.
 */
public final class ResponseEncoder {

    public static final int MAX_TCP = 65535;
    private static final int OPT_SIZE = 11;
    /** One per thread, reused for every message that thread encodes (encoding never nests). */
    private static final ThreadLocal<NameCompressor> COMPRESSORS = ThreadLocal.withInitial(() -> new NameCompressor(0));

    private ResponseEncoder() {
    }

    public static ByteBuf encode(ByteBufAllocator alloc, DnsResponse response, int maxSize) {
        ByteBuf out = alloc.buffer(512);
        try {
            write(out, response, response.answers(), response.authority(), response.additional(), false);
            if (out.readableBytes() <= maxSize) {
                return out;
            }
            out.clear();
            write(out, response, response.answers(), response.authority(), List.of(), false);
            if (out.readableBytes() <= maxSize) {
                return out;
            }
            out.clear();
            write(out, response, List.of(), List.of(), List.of(), true);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** A response with no records and the TC bit: the reply would not fit, retry over TCP. */
    public static ByteBuf encodeTruncated(ByteBufAllocator alloc, DnsResponse response) {
        ByteBuf out = alloc.buffer(64);
        write(out, response, List.of(), List.of(), List.of(), true);
        return out;
    }

    private static void write(ByteBuf out, DnsResponse r, List<ResourceRecord> answers, List<ResourceRecord> authority,
                              List<ResourceRecord> additional, boolean truncated) {
        NameCompressor names = COMPRESSORS.get().reset(out.writerIndex());
        int flags = 0x8000 | (r.opcode() & 0xf) << 11 | (r.rcode().code() & 0xf);
        flags |= r.authoritative() ? 0x0400 : 0;
        flags |= truncated ? 0x0200 : 0;
        flags |= r.recursionDesired() ? 0x0100 : 0;
        flags |= r.recursionAvailable() ? 0x0080 : 0;
        boolean opt = r.ednsPayload() > 0;
        out.writeShort(r.id());
        out.writeShort(flags);
        out.writeShort(r.question().length > 0 ? 1 : 0);
        out.writeShort(answers.size());
        out.writeShort(authority.size());
        out.writeShort(additional.size() + (opt ? 1 : 0));
        out.writeBytes(r.question());
        names.registerQuestion(r.question(), QueryDecoder.HEADER);
        for (ResourceRecord rr : answers) {
            writeRecord(out, rr, names);
        }
        for (ResourceRecord rr : authority) {
            writeRecord(out, rr, names);
        }
        for (ResourceRecord rr : additional) {
            writeRecord(out, rr, names);
        }
        if (opt) {
            writeOpt(out, r.ednsPayload(), r.rcode().code() >> 4);
        }
    }

    /** The OPT pseudo-record: root owner, class = payload size, TTL = extended rcode and version 0. */
    private static void writeOpt(ByteBuf out, int payload, int extendedRcode) {
        int start = out.writerIndex();
        out.writeByte(0);
        out.writeShort(RecordTypes.OPT);
        out.writeShort(payload);
        out.writeInt(extendedRcode << 24);
        out.writeShort(0);
        assert out.writerIndex() - start == OPT_SIZE;
    }

    private static void writeRecord(ByteBuf out, ResourceRecord rr, NameCompressor names) {
        names.writeName(out, rr.name(), true);
        out.writeShort(rr.type());
        out.writeShort(RecordTypes.CLASS_IN);
        out.writeInt((int) rr.ttl());
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        switch (rr.data()) {
            case RecordData.A a -> out.writeBytes(a.address().getAddress());
            case RecordData.Aaaa a -> out.writeBytes(a.address().getAddress());
            case RecordData.Cname c -> names.writeName(out, c.target(), true);
            case RecordData.Ptr p -> names.writeName(out, p.target(), true);
            case RecordData.Ns n -> names.writeName(out, n.host(), true);
            case RecordData.Srv s -> {
                out.writeShort(s.priority());
                out.writeShort(s.weight());
                out.writeShort(s.port());
                names.writeName(out, s.target(), false); // RFC 2782: no compression of the target
            }
            case RecordData.Txt t -> {
                for (String s : t.strings()) {
                    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                    int n = Math.min(bytes.length, 255);
                    out.writeByte(n);
                    out.writeBytes(bytes, 0, n);
                }
            }
            case RecordData.Soa s -> {
                names.writeName(out, s.mname(), true);
                names.writeName(out, s.rname(), true);
                out.writeInt((int) s.serial());
                out.writeInt(s.refresh());
                out.writeInt(s.retry());
                out.writeInt(s.expire());
                out.writeInt(s.minimum());
            }
        }
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }
}
