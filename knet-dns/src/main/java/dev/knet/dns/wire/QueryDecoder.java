package dev.knet.dns.wire;

import dev.knet.dns.index.RecordTypes;
import io.netty.buffer.ByteBuf;

import java.util.Optional;

/**
 * Decodes a DNS query (RFC 1035 4.1) from a buffer without consuming it or retaining it. Every
 * read is bounds-checked, compression pointers must point backwards and chains are bounded, so
 * arbitrary input yields a {@link ParsedQuery} and never an exception.
 */
public final class QueryDecoder {

    static final int HEADER = 12;

    private QueryDecoder() {
    }

    public static ParsedQuery decode(ByteBuf packet) {
        int base = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < HEADER) {
            return new ParsedQuery.Dropped("shorter than a header");
        }
        int id = packet.getUnsignedShort(base);
        int flags = packet.getUnsignedShort(base + 2);
        int opcode = (flags >> 11) & 0xf;
        boolean rd = (flags & 0x0100) != 0;
        if ((flags & 0x8000) != 0) {
            return new ParsedQuery.Dropped("a response, not a query");
        }
        int qd = packet.getUnsignedShort(base + 4);
        int an = packet.getUnsignedShort(base + 6);
        int ns = packet.getUnsignedShort(base + 8);
        int ar = packet.getUnsignedShort(base + 10);
        if (qd != 1) {
            return new ParsedQuery.Malformed(id, opcode, rd, "question count " + qd);
        }
        try {
            WireCursor c = new WireCursor(packet, base, length);
            c.pos = HEADER;
            WireCursor.NameText qname = c.readName();
            int qtype = c.u16();
            int qclass = c.u16();
            byte[] question = new byte[c.pos - HEADER];
            packet.getBytes(base + HEADER, question);
            for (int i = 0; i < an + ns; i++) {
                c.skipRecord();
            }
            Optional<DnsQuery.Edns> edns = Optional.empty();
            for (int i = 0; i < ar; i++) {
                int start = c.pos;
                WireCursor.NameText owner = c.readName();
                int type = c.u16();
                if (type != RecordTypes.OPT) {
                    c.pos = start;
                    c.skipRecord();
                    continue;
                }
                if (edns.isPresent() || !owner.text().isEmpty()) {
                    return new ParsedQuery.Malformed(id, opcode, rd, "bad OPT record");
                }
                int payload = c.u16();
                long ttl = c.u32();
                c.skip(c.u16());
                edns = Optional.of(new DnsQuery.Edns(payload, (int) ((ttl >> 16) & 0xff), (ttl & 0x8000) != 0));
            }
            return new ParsedQuery.Valid(new DnsQuery(id, opcode, rd, (flags & 0x0010) != 0, qname.text(),
                    qname.plain(), qtype, qclass, question, edns));
        } catch (WireFormatException e) {
            return new ParsedQuery.Malformed(id, opcode, rd, e.getMessage());
        }
    }
}
