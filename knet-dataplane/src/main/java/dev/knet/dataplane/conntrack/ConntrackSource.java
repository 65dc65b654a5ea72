package dev.knet.dataplane.conntrack;

import java.util.List;

/**
 * Where new connections come from: the kernel's conntrack events
 * ({@link dev.knet.dataplane.netlink.ConntrackEvents}) or a test's fake. As with
 * {@link dev.knet.dataplane.nflog.NflogSource}, one reader thread calls {@link #receive()} in a loop and checks
 * its stop flag between calls, so a source never needs to be interrupted from another thread.
 */
public interface ConntrackSource extends AutoCloseable {

    /** The connections confirmed since the last call; waits a bounded time (the poll interval) for the first. */
    List<ConntrackFlow> receive();

    /** Times the kernel could not queue events for this reader (its buffer was full): each lost one or more. */
    long lost();

    @Override
    void close();
}
