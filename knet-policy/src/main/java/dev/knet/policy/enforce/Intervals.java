package dev.knet.policy.enforce;

import dev.knet.model.net.Cidr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Disjoint, merged ranges of IPv4 addresses or ports: an ipBlock minus its exceptions plus single pod
 * addresses, or endPort ranges, as elements of
 * one interval set. nft refuses overlapping interval elements in one set, hence the merging here.
 */
final class Intervals {

    record Range(long from, long to) {
    }

    private final List<Range> ranges = new ArrayList<>();

    void addAddress(byte[] ip) {
        long v = value(ip);
        ranges.add(new Range(v, v));
    }

    /** Adds an inclusive range of plain numbers (ports), rendered by {@link #numberElements()}. */
    void addRange(long from, long to) {
        ranges.add(new Range(from, to));
    }

    /** Adds an element as {@link #elements()} renders it: "a.b.c.d", "a.b.c.d/n" or "a.b.c.d-e.f.g.h". */
    void addElement(String element) {
        int dash = element.indexOf('-');
        int slash = element.indexOf('/');
        if (dash > 0) {
            ranges.add(new Range(value(element.substring(0, dash)), value(element.substring(dash + 1))));
        } else if (slash > 0) {
            ranges.add(range(Cidr.parse(element)));
        } else {
            long v = value(element);
            ranges.add(new Range(v, v));
        }
    }

    private static long value(String dotted) {
        return value(dev.knet.model.net.IpAddresses.parse(dotted));
    }

    /** Adds CIDR minus every exception (exceptions outside it are ignored, as the API does). */
    void addBlock(Cidr cidr, List<Cidr> except) {
        List<Range> parts = new ArrayList<>(List.of(range(cidr)));
        for (Cidr e : except) {
            if (!e.isIpv4()) {
                continue;
            }
            Range cut = range(e);
            List<Range> next = new ArrayList<>();
            for (Range r : parts) {
                if (cut.to() < r.from() || cut.from() > r.to()) {
                    next.add(r);
                    continue;
                }
                if (cut.from() > r.from()) {
                    next.add(new Range(r.from(), cut.from() - 1));
                }
                if (cut.to() < r.to()) {
                    next.add(new Range(cut.to() + 1, r.to()));
                }
            }
            parts = next;
        }
        ranges.addAll(parts);
    }

    /** Sorted, merged (overlapping or adjacent ranges joined) address element texts. */
    List<String> elements() {
        return merged().stream().map(Intervals::render).toList();
    }

    /** The merged ranges as numbers: "80" or "8000-8080". */
    List<String> numberElements() {
        return merged().stream().map(r -> r.from() == r.to() ? String.valueOf(r.from()) : r.from() + "-" + r.to()).toList();
    }

    private List<Range> merged() {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::from));
        List<Range> merged = new ArrayList<>();
        for (Range r : sorted) {
            if (!merged.isEmpty() && r.from() <= merged.getLast().to() + 1) {
                Range last = merged.removeLast();
                merged.add(new Range(last.from(), Math.max(last.to(), r.to())));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    static Range range(Cidr cidr) {
        long base = value(cidr.base());
        long size = 1L << (32 - cidr.prefixLength());
        long from = base & ~(size - 1) & 0xffffffffL;
        return new Range(from, from + size - 1);
    }

    static long value(byte[] ip) {
        return ((ip[0] & 0xffL) << 24) | ((ip[1] & 0xffL) << 16) | ((ip[2] & 0xffL) << 8) | (ip[3] & 0xffL);
    }

    static String format(long v) {
        return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
    }

    /** A single address, a CIDR when the range is one, else "a-b". */
    static String render(Range r) {
        if (r.from() == r.to()) {
            return format(r.from());
        }
        long size = r.to() - r.from() + 1;
        if (Long.bitCount(size) == 1 && (r.from() & (size - 1)) == 0) {
            return format(r.from()) + "/" + (32 - Long.numberOfTrailingZeros(size));
        }
        return format(r.from()) + "-" + format(r.to());
    }
}
