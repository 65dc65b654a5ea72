package dev.knet.control.ipam;

import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pod addresses of one node CIDR. Never the network address, the gateway (index 1) or the IPv4
 * broadcast. Owners are opaque strings (pod keys); an owner holds at most one address, and asking
 * again returns the same one. Allocation is next-fit from the last address handed out, so a released
 * address is not reused at once (stale conntrack entries and ARP caches then point nowhere rather
 * than at a new pod). Not thread-safe.
 */
public final class PodCidrAllocator {

    private final Cidr cidr;
    private final int size;
    private final int firstUsable;
    private final int lastUsable;
    private final BitSet used = new BitSet();
    private final Map<String, Integer> byOwner = new HashMap<>();
    private final Map<Integer, String> ownerOf = new HashMap<>();
    private int cursor;

    public PodCidrAllocator(Cidr cidr) {
        this.cidr = cidr;
        long s = cidr.size();
        // Large IPv6 node prefixes are capped: a node never runs millions of pods.
        this.size = (int) Math.min(s, 1 << 20);
        this.firstUsable = 2;
        this.lastUsable = cidr.isIpv4() ? size - 2 : size - 1;
        if (lastUsable < firstUsable) {
            throw new IllegalArgumentException(cidr + " is too small for pods");
        }
        this.cursor = firstUsable;
    }

    public Cidr cidr() {
        return cidr;
    }

    /** How many pod addresses this CIDR has. */
    public int capacity() {
        return lastUsable - firstUsable + 1;
    }

    public int allocated() {
        return byOwner.size();
    }

    public Optional<String> addressOf(String owner) {
        Integer i = byOwner.get(owner);
        return i == null ? Optional.empty() : Optional.of(cidr.addressStringAt(i));
    }

    /** The owner's address, a new one, or empty when the CIDR is full. */
    public Optional<String> allocate(String owner) {
        Integer have = byOwner.get(owner);
        if (have != null) {
            return Optional.of(cidr.addressStringAt(have));
        }
        if (byOwner.size() >= capacity()) {
            return Optional.empty();
        }
        int i = used.nextClearBit(cursor);
        if (i > lastUsable) {
            i = used.nextClearBit(firstUsable);
        }
        take(owner, i);
        cursor = i + 1 > lastUsable ? firstUsable : i + 1;
        return Optional.of(cidr.addressStringAt(i));
    }

    /**
     * Records an address found in stored state (a restart). Fails when the address is outside the
     * CIDR, not a pod address, or held by another owner: the caller must then give that owner a new one.
     */
    public Reservation reserve(String owner, String address) {
        byte[] bytes;
        try {
            bytes = IpAddresses.parse(address);
        } catch (IllegalArgumentException e) {
            return Reservation.OUTSIDE;
        }
        if (!cidr.contains(bytes)) {
            return Reservation.OUTSIDE;
        }
        long index = cidr.indexOf(bytes);
        if (index < firstUsable || index > lastUsable) {
            return Reservation.OUTSIDE;
        }
        int i = (int) index;
        String holder = ownerOf.get(i);
        if (holder != null) {
            return holder.equals(owner) ? Reservation.RESERVED : Reservation.TAKEN;
        }
        release(owner);
        take(owner, i);
        return Reservation.RESERVED;
    }

    /** What {@link #reserve} found. */
    public enum Reservation { RESERVED, TAKEN, OUTSIDE }

    public void release(String owner) {
        Integer i = byOwner.remove(owner);
        if (i != null) {
            used.clear(i);
            ownerOf.remove(i);
        }
    }

    private void take(String owner, int i) {
        used.set(i);
        byOwner.put(owner, i);
        ownerOf.put(i, owner);
    }

    /** The error text for a full CIDR; the count includes the gateway, as `ip addr` would show it. */
    public String exhaustedMessage(String podKey) {
        return "no free IP in " + cidr + " for pod " + podKey + " (" + (allocated() + 1) + " in use)";
    }
}
