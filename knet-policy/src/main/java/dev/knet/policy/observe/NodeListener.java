package dev.knet.policy.observe;

import dev.knet.dataplane.conntrack.ConntrackFlow;
import dev.knet.dataplane.conntrack.ConntrackSource;
import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.dataplane.nflog.NflogSource;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads one node's drop log or its conntrack events on its own thread and hands what it reads to the command's
 * queue. It owns the source: only this thread receives from and closes it, so stopping is a flag checked after
 * each bounded receive, never a close racing a blocked recv.
 */
final class NodeListener<T> implements Runnable {

    /** What a listener reports. */
    sealed interface Event {
        /** Packets the drop rules logged. */
        record Packets(String node, Instant time, List<NflogPacket> packets) implements Event {
        }

        /** Connections conntrack confirmed, i.e. the firewall let their first packet through. */
        record Flows(String node, Instant time, List<ConntrackFlow> flows) implements Event {
        }

        /** @param what "drop log" or "conntrack events" */
        record Failed(String node, String what, RuntimeException error) implements Event {
        }
    }

    private final String node;
    private final String what;
    private final Supplier<List<T>> receive;
    private final LongSupplier sourceLost;
    private final Runnable close;
    private final BiFunction<Instant, List<T>, Event> wrap;
    private final BlockingQueue<Event> events;
    private final InstantSource clock;
    private final AtomicLong lost;
    private volatile boolean stopped;

    private NodeListener(String node, String what, Supplier<List<T>> receive, LongSupplier sourceLost, Runnable close,
                         BiFunction<Instant, List<T>, Event> wrap, BlockingQueue<Event> events, InstantSource clock,
                         AtomicLong lost) {
        this.node = node;
        this.what = what;
        this.receive = receive;
        this.sourceLost = sourceLost;
        this.close = close;
        this.wrap = wrap;
        this.events = events;
        this.clock = clock;
        this.lost = lost;
    }

    static NodeListener<NflogPacket> drops(String node, NflogSource source, BlockingQueue<Event> events,
                                           InstantSource clock, AtomicLong lost) {
        return new NodeListener<>(node, "drop log", source::receive, source::lost, source::close,
                (time, packets) -> new Event.Packets(node, time, packets), events, clock, lost);
    }

    static NodeListener<ConntrackFlow> flows(String node, ConntrackSource source, BlockingQueue<Event> events,
                                             InstantSource clock, AtomicLong lost) {
        return new NodeListener<>(node, "conntrack events", source::receive, source::lost, source::close,
                (time, flows) -> new Event.Flows(node, time, flows), events, clock, lost);
    }

    String node() {
        return node;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                List<T> items = receive.get();
                if (!items.isEmpty()) {
                    events.add(wrap.apply(clock.instant(), items));
                }
            }
        } catch (RuntimeException e) {
            events.add(new Event.Failed(node, what, e));
        } finally {
            lost.addAndGet(sourceLost.getAsLong());
            close.run();
        }
    }
}
