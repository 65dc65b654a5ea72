package dev.knet.dns.wire;

import dev.knet.dns.index.RecordTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;


/** Encodes a recursive query for one name and type, with an EDNS(0) OPT record. */
public final class QueryEncoder {

    private QueryEncoder() {
    }

    public static byte[] encode(int id, String name, int type, int udpPayload) {
        ByteBuf out = Unpooled.buffer(64);
        try {
            out.writeShort(id);
            out.writeShort(0x0100);
            out.writeShort(1);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(1);
            new NameCompressor(0).writeName(out, name, false);
            out.writeShort(type);
            out.writeShort(RecordTypes.CLASS_IN);
            out.writeByte(0);
            out.writeShort(RecordTypes.OPT);
            out.writeShort(udpPayload);
            out.writeInt(0);
            out.writeShort(0);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }
}
