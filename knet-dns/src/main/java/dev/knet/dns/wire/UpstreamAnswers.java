package dev.knet.dns.wire;

import dev.knet.dns.index.RecordData;
import dev.knet.dns.index.RecordTypes;
import dev.knet.dns.index.ResourceRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the rcode and the address and alias answers of an upstream response: what the server
 * appends after an ExternalName CNAME when it chases the target (spec 2.5 example).
 */
public final class UpstreamAnswers {

    public record Result(int rcode, List<ResourceRecord> answers) {
    }

    private UpstreamAnswers() {
    }

    public static Optional<Result> read(byte[] message) {
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        try {
            if (message.length < QueryDecoder.HEADER) {
                return Optional.empty();
            }
            int rcode = buf.getUnsignedShort(2) & 0xf;
            int qd = buf.getUnsignedShort(4);
            int an = buf.getUnsignedShort(6);
            WireCursor c = new WireCursor(buf, 0, message.length);
            c.pos = QueryDecoder.HEADER;
            for (int i = 0; i < qd; i++) {
                c.readName();
                c.skip(4);
            }
            List<ResourceRecord> answers = new ArrayList<>();
            for (int i = 0; i < an; i++) {
                String owner = c.readName().text();
                int type = c.u16();
                c.skip(2);
                long ttl = c.u32();
                int rdlength = c.u16();
                int rdEnd = c.pos + rdlength;
                RecordData data = switch (type) {
                    case RecordTypes.A -> rdlength == 4 ? new RecordData.A((Inet4Address) inet(c.bytes(4))) : null;
                    case RecordTypes.AAAA -> rdlength == 16 ? new RecordData.Aaaa((Inet6Address) inet(c.bytes(16))) : null;
                    case RecordTypes.CNAME -> new RecordData.Cname(c.readName().text());
                    default -> null;
                };
                c.pos = rdEnd;
                if (data != null) {
                    answers.add(new ResourceRecord(owner, ttl, data));
                }
            }
            return Optional.of(new Result(rcode, answers));
        } catch (WireFormatException e) {
            return Optional.empty();
        }
    }

    private static InetAddress inet(byte[] bytes) throws WireFormatException {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new WireFormatException("bad address");
        }
    }
}
