package dev.knet.dns.server;

import java.util.concurrent.CompletableFuture;

/** Somewhere to send questions the cluster zone does not answer. */
public interface Upstream extends AutoCloseable {

    /**
     * Sends a whole DNS message and completes with the reply's bytes (its id already restored
     * to the one in {@code query}), or exceptionally on timeout or error. Never blocks.
     */
    CompletableFuture<byte[]> forward(byte[] query, Transport transport);

    @Override
    void close();
}
