package dev.knet.dns;

import dev.knet.model.net.IpAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A test client that builds queries and reads responses with Netty's DNS codec, independent of the server's. */
public final class TestDnsClient {

    public record Rr(String name, String type, long ttl, String data) {
    }

    public record Answer(int rcode, boolean aa, boolean tc, List<Rr> answers, List<Rr> authority,
                         List<Rr> additional, int size) {
        public boolean hasSoaAuthority() {
            return authority.stream().anyMatch(r -> r.type().equals("SOA"));
        }
    }

    private final InetSocketAddress server;

    public TestDnsClient(InetSocketAddress server) {
        this.server = server;
    }

    public static byte[] encodeQuery(int id, String name, int type, int ednsPayload) {
        var local = new InetSocketAddress("127.0.0.1", 1);
        DatagramDnsQuery q = new DatagramDnsQuery(local, local, id);
        q.setRecursionDesired(true);
        q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.valueOf(type)));
        if (ednsPayload > 0) {
            q.addRecord(DnsSection.ADDITIONAL, new AbstractDnsOptPseudoRrRecord(ednsPayload, 0, 0) {
            });
        }
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsQueryEncoder());
        ch.writeOutbound(q);
        DatagramPacket p = ch.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(p.content());
        p.release();
        ch.finishAndReleaseAll();
        return bytes;
    }

    public Answer udp(String name, int type, int ednsPayload) throws IOException {
        return udpRaw(encodeQuery(7, name, type, ednsPayload));
    }

    public Answer udpRaw(byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            socket.send(new java.net.DatagramPacket(query, query.length, server));
            byte[] buf = new byte[65535];
            var reply = new java.net.DatagramPacket(buf, buf.length);
            socket.receive(reply);
            byte[] bytes = new byte[reply.getLength()];
            System.arraycopy(buf, 0, bytes, 0, bytes.length);
            return decode(bytes);
        }
    }

    public Answer tcp(String name, int type) throws IOException {
        byte[] query = encodeQuery(9, name, type, 0);
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(5000);
            var out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            var in = new DataInputStream(socket.getInputStream());
            byte[] bytes = new byte[in.readUnsignedShort()];
            in.readFully(bytes);
            return decode(bytes);
        }
    }

    /** Decodes a response with Netty's decoder; throws when it is not well-formed. */
    public static Answer decode(byte[] bytes) {
        var local = new InetSocketAddress("127.0.0.1", 1);
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsResponseDecoder());
        try {
            ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes), local, local));
            DnsResponse r = ch.readInbound();
            try {
                return new Answer(r.code().intValue(), r.isAuthoritativeAnswer(), r.isTruncated(),
                        section(r, DnsSection.ANSWER), section(r, DnsSection.AUTHORITY),
                        section(r, DnsSection.ADDITIONAL), bytes.length);
            } finally {
                r.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static List<Rr> section(DnsResponse r, DnsSection s) {
        List<Rr> out = new ArrayList<>();
        for (int i = 0; i < r.count(s); i++) {
            DnsRecord rec = r.recordAt(s, i);
            if (rec.type() == DnsRecordType.OPT) {
                out.add(new Rr("", "OPT", rec.timeToLive(), String.valueOf(rec.dnsClass())));
                continue;
            }
            out.add(new Rr(rec.name(), rec.type().name(), rec.timeToLive(), data(rec)));
        }
        return out;
    }

    private static String data(DnsRecord rec) {
        if (rec instanceof DnsPtrRecord ptr) {
            return ptr.hostname();
        }
        if (!(rec instanceof DnsRawRecord raw)) {
            return rec.toString();
        }
        ByteBuf c = raw.content().duplicate();
        int type = rec.type().intValue();
        return switch (type) {
            case 1, 28 -> IpAddresses.format(ByteBufUtil.getBytes(c));
            case 5, 2 -> DefaultDnsRecordDecoder.decodeName(c);
            case 33 -> c.readUnsignedShort() + " " + c.readUnsignedShort() + " " + c.readUnsignedShort() + " "
                    + DefaultDnsRecordDecoder.decodeName(c);
            case 16 -> c.toString(c.readerIndex() + 1, c.getUnsignedByte(c.readerIndex()), StandardCharsets.UTF_8);
            default -> ByteBufUtil.hexDump(c);
        };
    }
}
