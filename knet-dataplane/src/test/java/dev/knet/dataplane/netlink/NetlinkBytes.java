package dev.knet.dataplane.netlink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThatCode;

/** Building and breaking netlink messages byte by byte, for the parsers' tests. */
public final class NetlinkBytes {

    private NetlinkBytes() {
    }

    /** One attribute: length and type in host order, the data, padding to 4 bytes. */
    public static byte[] attr(int type, byte[] data) {
        int padded = (4 + data.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.nativeOrder());
        b.putShort((short) (4 + data.length)).putShort((short) type).put(data);
        return b.array();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The four bytes of a dotted IPv4 address. */
    public static byte[] octets(String ip) {
        String[] parts = ip.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) Integer.parseInt(parts[i]);
        }
        return out;
    }

    /** A copy with a host-order int written at {@code off}. */
    public static byte[] withInt(byte[] bytes, int off, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putInt(off, value);
        return copy;
    }

    /** A copy with a host-order short written at {@code off}. */
    public static byte[] withShort(byte[] bytes, int off, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putShort(off, (short) value);
        return copy;
    }

    /**
     * Feeds {@code parse} 20,000 inputs from {@code seed}: every other one random bytes, the rest {@code good} with
     * three bytes changed (which reaches deeper into the parser); none may throw.
     */
    public static void assertRandomBytesNeverThrow(long seed, byte[] good, Consumer<byte[]> parse) {
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
            } else {
                bytes = good.clone();
                for (int k = 0; k < 3; k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
                }
            }
            byte[] b = bytes;
            assertThatCode(() -> parse.accept(b)).as("input %d", i).doesNotThrowAnyException();
        }
    }
}
