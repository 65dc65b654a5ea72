package dev.knet.store.journal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The framing shared by log segments and snapshots: each record is
 * {@code magic(4) | length(4) | crc32c(4) | payload(length)}, big-endian, where the CRC covers the
 * length bytes and the payload (so a flipped length is caught too).
 *
 * <p>The magic has its high bits set, so it never occurs in ASCII JSON; it lets a reader that hit a
 * bad record look for a valid record further on. Finding one means the damage is in the middle of
 * the file (data loss: refuse to start); finding none means the file ends in a torn write.
 */
final class RecordFormat {

    static final int MAGIC = 0xE24B4A91;
    static final int HEADER = 12;
    /** A sanity bound: a length beyond it can only be garbage. */
    static final int MAX_PAYLOAD = 1 << 30;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** One valid record: where it starts and its payload. */
    record Record(long offset, byte[] payload) {
        long end() {
            return offset + HEADER + payload.length;
        }
    }

    /** How a file ends after its last valid record. */
    enum Tail {
        /** The valid records fill the file exactly. */
        CLEAN,
        /** Bytes follow that hold no valid record: a write cut short (or junk appended). */
        TORN,
        /** A bad record is followed by a valid one: damage in the middle. */
        CORRUPT
    }

    /** The outcome of a scan: where the valid prefix ends, the file size and what follows. */
    record Scan(long validEnd, long fileSize, Tail tail, int records) {
    }

    private RecordFormat() {
    }

    /** The bytes of one record, ready for a single write. */
    static ByteBuffer frame(byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.BIG_ENDIAN);
        buf.putInt(MAGIC).putInt(payload.length).putInt(crc(payload.length, ByteBuffer.wrap(payload)));
        buf.put(payload).flip();
        return buf;
    }

    /** Reads every valid record from the start of the file, in order, handing each to the consumer. */
    static Scan scan(Path file, Consumer<Record> consumer) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = ch.size();
            if (size == 0) {
                return new Scan(0, 0, Tail.CLEAN, 0);
            }
            MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long pos = 0;
            int count = 0;
            while (pos < size) {
                int length = validLengthAt(data, pos);
                if (length < 0) {
                    break;
                }
                byte[] payload = data.asSlice(pos + HEADER, length).toArray(ValueLayout.JAVA_BYTE);
                consumer.accept(new Record(pos, payload));
                pos += HEADER + length;
                count++;
            }
            if (pos == size) {
                return new Scan(pos, size, Tail.CLEAN, count);
            }
            return new Scan(pos, size, validRecordAfter(data, pos + 1) ? Tail.CORRUPT : Tail.TORN, count);
        }
    }

    /** The payload length of a valid record at pos, or -1 when none starts there. */
    private static int validLengthAt(MemorySegment data, long pos) {
        long size = data.byteSize();
        if (size - pos < HEADER || data.get(INT, pos) != MAGIC) {
            return -1;
        }
        int length = data.get(INT, pos + 4);
        if (length < 0 || length > MAX_PAYLOAD || size - pos - HEADER < length) {
            return -1;
        }
        int stored = data.get(INT, pos + 8);
        return crc(length, data.asSlice(pos + HEADER, length).asByteBuffer()) == stored ? length : -1;
    }

    private static boolean validRecordAfter(MemorySegment data, long from) {
        long last = data.byteSize() - HEADER;
        for (long p = from; p <= last; p++) {
            if (data.get(INT, p) == MAGIC && validLengthAt(data, p) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int crc(int length, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(length).flip());
        crc.update(payload);
        return (int) crc.getValue();
    }
}
