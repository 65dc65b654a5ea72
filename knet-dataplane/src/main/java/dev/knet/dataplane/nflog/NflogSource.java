package dev.knet.dataplane.nflog;

import java.util.List;

/**
 * Where logged packets come from: the kernel ({@link dev.knet.dataplane.netlink.NflogSocket}) or a test's fake.
 * One reader thread calls {@link #receive()} in a loop and checks its stop flag between calls, so a source
 * never needs to be interrupted from another thread.
 */
public interface NflogSource extends AutoCloseable {

    /** The packets logged since the last call; waits a bounded time (the source's poll interval) for the first. */
    List<NflogPacket> receive();

    /** Times the kernel could not queue logged packets for this reader (its buffer was full): each lost one or more. */
    long lost();

    @Override
    void close();
}
