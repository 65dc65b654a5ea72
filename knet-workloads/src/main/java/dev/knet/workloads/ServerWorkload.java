package dev.knet.workloads;

import dev.knet.workloads.pod.PodContext;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The lifecycle every socket-serving workload shares: track channels, close them all on exit. */
public abstract class ServerWorkload implements Workload {

    /** A stopped container reports success: these programs exit cleanly on SIGTERM. */
    public static final int STOPPED_EXIT_CODE = 0;
    private static final Logger LOG = LoggerFactory.getLogger(ServerWorkload.class);

    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> termination = new CompletableFuture<>();

    @Override
    public final void start(PodContext ctx) throws WorkloadException {
        try {
            open(ctx);
            LOG.info("{}/{}: started {}", ctx.namespace(), ctx.name(), description());
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw new WorkloadException(description() + " in pod " + ctx.namespace() + "/" + ctx.name()
                    + " could not start: " + e.getMessage(), e);
        }
    }

    /** Opens the workload's sockets through {@code ctx.sockets()} and registers them with {@link #track}. */
    protected abstract void open(PodContext ctx) throws IOException;

    protected final Channel track(Channel channel) {
        channels.add(channel);
        return channel;
    }

    /** Ends the workload with {@code code}, as the process would exit. */
    protected final void exit(int code) {
        closeChannels();
        termination.complete(code);
    }

    @Override
    public final CompletableFuture<Integer> termination() {
        return termination;
    }

    @Override
    public final void stop() {
        exit(STOPPED_EXIT_CODE);
    }

    private void closeChannels() {
        for (Channel channel : channels) {
            var closed = channel.close();
            // waiting on an event loop for its own channel would deadlock (e.g. /exit handled on that loop)
            if (!channel.eventLoop().inEventLoop()) {
                closed.syncUninterruptibly();
            }
        }
        channels.clear();
    }
}
