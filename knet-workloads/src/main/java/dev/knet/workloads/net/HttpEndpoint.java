package dev.knet.workloads.net;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** A workload's HTTP handler. Runs on an event loop: anything that blocks goes through {@link #offLoop}. */
@FunctionalInterface
public interface HttpEndpoint {

    CompletableFuture<HttpAnswer> handle(HttpRequestView request);

    /** Runs blocking work (client calls to other pods) on a virtual thread, never on the event loop. */
    static CompletableFuture<HttpAnswer> offLoop(Supplier<HttpAnswer> work) {
        return CompletableFuture.supplyAsync(work, Blocking.EXECUTOR);
    }

    /** Holder so the executor is created once, lazily. */
    final class Blocking {
        private static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();

        private Blocking() {
        }
    }
}
