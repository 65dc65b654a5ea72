package dev.knet.policy.observe;

import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.dataplane.nflog.NflogSource;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A drop log fed by the test: each {@link #log} call is one batch the reader receives. */
final class FakeNflogSource implements NflogSource {

    private final LinkedBlockingQueue<List<NflogPacket>> batches = new LinkedBlockingQueue<>();
    private volatile RuntimeException failure;
    private volatile boolean closed;

    FakeNflogSource log(NflogPacket... packets) {
        batches.add(List.of(packets));
        return this;
    }

    /** The next receive throws, as a socket error would. */
    FakeNflogSource failWith(RuntimeException e) {
        failure = e;
        return this;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public List<NflogPacket> receive() {
        if (failure != null) {
            throw failure;
        }
        try {
            List<NflogPacket> next = batches.poll(20, TimeUnit.MILLISECONDS); // a bounded wait, like the socket's
            return next == null ? List.of() : next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Override
    public long lost() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
