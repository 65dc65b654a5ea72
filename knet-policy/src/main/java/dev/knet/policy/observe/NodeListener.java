package dev.knet.policy.observe;

import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.dataplane.nflog.NflogSource;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one node's drop log on its own thread and hands what it reads to the command's queue. It owns the
 * source: only this thread receives from and closes it, so stopping is a flag checked after each bounded
 * receive, never a close racing a blocked recv.
 */
final class NodeListener implements Runnable {

    /** What a listener reports. */
    sealed interface Event {
        record Packets(String node, Instant time, List<NflogPacket> packets) implements Event {
        }

        record Failed(String node, RuntimeException error) implements Event {
        }
    }

    private final String node;
    private final NflogSource source;
    private final BlockingQueue<Event> events;
    private final InstantSource clock;
    private final AtomicLong lost;
    private volatile boolean stopped;

    NodeListener(String node, NflogSource source, BlockingQueue<Event> events, InstantSource clock, AtomicLong lost) {
        this.node = node;
        this.source = source;
        this.events = events;
        this.clock = clock;
        this.lost = lost;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                List<NflogPacket> packets = source.receive();
                if (!packets.isEmpty()) {
                    events.add(new Event.Packets(node, clock.instant(), packets));
                }
            }
        } catch (RuntimeException e) {
            events.add(new Event.Failed(node, e));
        } finally {
            lost.addAndGet(source.lost());
            source.close();
        }
    }
}
