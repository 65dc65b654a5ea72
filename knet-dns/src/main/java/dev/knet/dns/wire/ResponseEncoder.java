package dev.knet.dns.wire;

import dev.knet.dns.index.RecordData;
import dev.knet.dns.index.ResourceRecord;
import dev.knet.dns.index.RecordTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes responses with name compression, fitting them into a size limit: when everything does
 * not fit, the additional section goes first (no TC needed, RFC 2181 9); when the answer or
 * authority still does not fit, the response carries no records and sets TC so the client
 * retries over TCP. The OPT record is always kept.
 */
public final class ResponseEncoder {

    public static final int MAX_TCP = 65535;
    private static final int OPT_SIZE = 11;

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
        Map<String, Integer> names = new HashMap<>();
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
        registerQuestion(r.question(), names);
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

    private static void writeRecord(ByteBuf out, ResourceRecord rr, Map<String, Integer> names) {
        writeName(out, rr.name(), names, true);
        out.writeShort(rr.type());
        out.writeShort(RecordTypes.CLASS_IN);
        out.writeInt((int) rr.ttl());
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        switch (rr.data()) {
            case RecordData.A a -> out.writeBytes(a.address().getAddress());
            case RecordData.Aaaa a -> out.writeBytes(a.address().getAddress());
            case RecordData.Cname c -> writeName(out, c.target(), names, true);
            case RecordData.Ptr p -> writeName(out, p.target(), names, true);
            case RecordData.Ns n -> writeName(out, n.host(), names, true);
            case RecordData.Srv s -> {
                out.writeShort(s.priority());
                out.writeShort(s.weight());
                out.writeShort(s.port());
                writeName(out, s.target(), names, false); // RFC 2782: no compression of the target
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
                writeName(out, s.mname(), names, true);
                writeName(out, s.rname(), names, true);
                out.writeInt((int) s.serial());
                out.writeInt(s.refresh());
                out.writeInt(s.retry());
                out.writeInt(s.expire());
                out.writeInt(s.minimum());
            }
        }
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }

    /**
     * Makes the echoed question's name and its suffixes targets for compression. The name is
     * decoded once; each suffix is a substring of it (this runs for every response).
     */
    private static void registerQuestion(byte[] question, Map<String, Integer> names) {
        int[] wireAt = new int[question.length / 2 + 1];
        int[] textAt = new int[wireAt.length];
        byte[] text = new byte[question.length];
        int labels = 0;
        int length = 0;
        int p = 0;
        while (p < question.length) {
            int len = question[p] & 0xff;
            if (len == 0) {
                break;
            }
            if (len > 63 || p + 1 + len > question.length) {
                return; // a pointer or garbage: compress nothing against it
            }
            for (int i = p + 1; i <= p + len; i++) {
                int ch = question[i] & 0xff;
                if (ch <= 0x20 || ch >= 0x7f || ch == '.') {
                    return;
                }
            }
            if (labels > 0) {
                text[length++] = '.';
            }
            wireAt[labels] = p;
            textAt[labels++] = length;
            System.arraycopy(question, p + 1, text, length, len);
            length += len;
            p += 1 + len;
        }
        String name = new String(text, 0, length, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < labels; i++) {
            names.putIfAbsent(name.substring(textAt[i]), QueryDecoder.HEADER + wireAt[i]);
        }
    }

    /**
     * Writes a name, pointing at an earlier copy of its longest known suffix. Keys keep the
     * spelling so owner names echo the client's case exactly.
     */
    static void writeName(ByteBuf out, String name, Map<String, Integer> names, boolean compress) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.length() > 253) {
            throw new IllegalArgumentException("name too long: " + n.length() + " characters");
        }
        while (!n.isEmpty()) {
            Integer at = compress ? names.get(n) : null;
            if (at != null) {
                out.writeShort(0xc000 | at);
                return;
            }
            if (out.writerIndex() < 0x3fff) {
                names.putIfAbsent(n, out.writerIndex());
            }
            int dot = n.indexOf('.');
            String label = dot < 0 ? n : n.substring(0, dot);
            byte[] bytes = label.getBytes(StandardCharsets.ISO_8859_1);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("bad label length " + bytes.length + " in " + name);
            }
            out.writeByte(bytes.length);
            out.writeBytes(bytes);
            n = dot < 0 ? "" : n.substring(dot + 1);
        }
        out.writeByte(0);
    }
}
