package dev.knet.workloads.pod;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The few bytes of RFC 1035 a stub resolver needs: an A query out, the A answers of a reply in. */
final class DnsMessages {

    static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;
    private static final int RCODE_NXDOMAIN = 3;

    private DnsMessages() {
    }

    static byte[] query(int id, String fqdn) {
        ByteBuffer out = ByteBuffer.allocate(512);
        out.putShort((short) id).putShort((short) 0x0100) // recursion desired
                .putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : fqdn.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.put((byte) bytes.length).put(bytes);
        }
        out.put((byte) 0).putShort((short) TYPE_A).putShort((short) CLASS_IN);
        byte[] message = new byte[out.position()];
        out.flip().get(message);
        return message;
    }

    /** The outcome of one reply: its id, whether the name does not exist, and its A records. */
    record Reply(int id, boolean nameError, List<InetAddress> addresses) {
    }

    static Reply parse(byte[] data, int length) throws UnknownHostException {
        try {
            ByteBuffer in = ByteBuffer.wrap(data, 0, length);
            int id = in.getShort() & 0xffff;
            int flags = in.getShort() & 0xffff;
            int questions = in.getShort() & 0xffff;
            int answers = in.getShort() & 0xffff;
            in.getShort();
            in.getShort();
            for (int i = 0; i < questions; i++) {
                skipName(in);
                in.getInt();
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (int i = 0; i < answers; i++) {
                skipName(in);
                int type = in.getShort() & 0xffff;
                in.getShort();
                in.getInt();
                int rdLength = in.getShort() & 0xffff;
                byte[] rdata = new byte[rdLength];
                in.get(rdata);
                if (type == TYPE_A && rdLength == 4) {
                    addresses.add(InetAddress.getByAddress(rdata));
                }
            }
            return new Reply(id, (flags & 0xf) == RCODE_NXDOMAIN, addresses);
        } catch (BufferUnderflowException e) {
            UnknownHostException failure = new UnknownHostException("truncated DNS reply");
            failure.initCause(e);
            throw failure;
        }
    }

    private static void skipName(ByteBuffer in) {
        while (true) {
            int len = in.get() & 0xff;
            if (len == 0) {
                return;
            }
            if ((len & 0xc0) == 0xc0) { // compression pointer ends the name
                in.get();
                return;
            }
            in.position(in.position() + len);
        }
    }
}
