package dev.knet.dataplane.nft;

import dev.knet.dataplane.netlink.NfElementOp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns element operations into the kernel's binary form, for the sets and maps whose declarations it has seen
 * committed, so a transaction of element changes can skip nft's parser. It knows the key and value types knet
 * declares (IPv4 addresses, protocols, ports, numgen buckets, verdicts); a set of any other type, an element
 * with a timeout, range or comment, or text it cannot read leaves the transaction to libnftables, which reports
 * a real mistake in nft's own words.
 */
final class NftElementCodec {

    /** One field of a key or value, as nft lays it out: concatenated fields each take a multiple of 4 bytes. */
    enum Field {
        IPV4(4), PROTOCOL(1), PORT(2), NUMBER(4);

        final int bytes;

        Field(int bytes) {
            this.bytes = bytes;
        }
    }

    /** A set's key fields and what its elements map to: nothing (a set), a verdict, or fields. */
    record Layout(List<Field> key, boolean verdict, List<Field> value) {
    }

    private final Map<String, Layout> layouts = new HashMap<>();

    /** Records the sets and maps a committed transaction declared or removed. */
    void learn(NftTransaction transaction) {
        for (NftOp op : transaction.ops()) {
            switch (op) {
                case NftOp.Add(NftObject.NftSet s) -> remember(s.table(), s.name(), layout(s.key(), null));
                case NftOp.Add(NftObject.NftMap m) -> remember(m.table(), m.name(), layout(m.key(), m.value()));
                case NftOp.Delete(NftObject.NftSet s) -> layouts.remove(name(s.table(), s.name()));
                case NftOp.Delete(NftObject.NftMap m) -> layouts.remove(name(m.table(), m.name()));
                case NftOp.Delete(NftObject.Table t) -> layouts.keySet().removeIf(k -> k.startsWith(t.prefix() + " "));
                default -> {
                }
            }
        }
    }

    /** The transaction as element batches, or empty when any part of it needs nft. */
    Optional<List<NfElementOp>> encode(NftTransaction transaction) {
        List<NfElementOp> out = new ArrayList<>();
        for (NftTransaction.Segment segment : transaction.segments()) {
            if (!(segment instanceof NftTransaction.ElementRun run)) {
                return Optional.empty();
            }
            Layout layout = layouts.get(name(run.table(), run.set()));
            if (layout == null) {
                return Optional.empty();
            }
            List<NfElementOp.Element> elements = new ArrayList<>(run.elements().size());
            for (NftObject.Element e : run.elements()) {
                Optional<NfElementOp.Element> encoded = element(layout, e, run.add());
                if (encoded.isEmpty()) {
                    return Optional.empty();
                }
                elements.add(encoded.get());
            }
            out.add(new NfElementOp(run.add(), family(run.table().family()), run.table().name(), run.set(), elements));
        }
        return Optional.of(out);
    }

    private static int family(NftFamily family) {
        return switch (family) {
            case IP -> 2;
            case IP6 -> 10;
            case INET -> 1;
        };
    }

    private void remember(NftObject.Table table, String set, Layout layout) {
        if (layout == null) {
            layouts.remove(name(table, set));
        } else {
            layouts.put(name(table, set), layout);
        }
    }

    private static String name(NftObject.Table table, String set) {
        return table.prefix() + " " + set;
    }

    /** The layout of a declaration, or null when a part of it is a type this codec does not write. */
    static Layout layout(NftObject.KeySpec key, String value) {
        List<Field> keyFields = fields(key.expression(), key.typeOf());
        if (keyFields == null) {
            return null;
        }
        if (value == null) {
            return new Layout(keyFields, false, List.of());
        }
        if (value.equals("verdict")) {
            return new Layout(keyFields, true, List.of());
        }
        List<Field> valueFields = fields(value, key.typeOf());
        return valueFields == null ? null : new Layout(keyFields, false, valueFields);
    }

    private static List<Field> fields(String declaration, boolean typeOf) {
        List<Field> out = new ArrayList<>();
        for (String part : declaration.trim().split(" \\. ")) {
            Field f = typeOf ? expressionField(part.trim()) : typeField(part.trim());
            if (f == null) {
                return null;
            }
            out.add(f);
        }
        return out;
    }

    private static Field typeField(String type) {
        return switch (type) {
            case "ipv4_addr" -> Field.IPV4;
            case "inet_proto" -> Field.PROTOCOL;
            case "inet_service" -> Field.PORT;
            default -> null;
        };
    }

    private static Field expressionField(String expression) {
        if (expression.equals("ip daddr") || expression.equals("ip saddr")) {
            return Field.IPV4;
        }
        if (expression.equals("meta l4proto")) {
            return Field.PROTOCOL;
        }
        if (expression.matches("(th|tcp|udp|sctp) (dport|sport)")) {
            return Field.PORT;
        }
        if (expression.matches("numgen (random|inc) mod [0-9]+")) {
            return Field.NUMBER;
        }
        return null;
    }

    private static Optional<NfElementOp.Element> element(Layout layout, NftObject.Element e, boolean add) {
        byte[] key = ElementText.encode(layout.key(), e.key());
        if (key == null) {
            return Optional.empty();
        }
        if (!add) {
            return Optional.of(new NfElementOp.Element(key, null));
        }
        boolean map = layout.verdict() || !layout.value().isEmpty();
        if (map != (e.value() != null)) {
            return Optional.empty();
        }
        if (!map) {
            return Optional.of(new NfElementOp.Element(key, null));
        }
        if (layout.verdict()) {
            return ElementText.verdict(e.value()).map(v -> new NfElementOp.Element(key, v));
        }
        byte[] value = ElementText.encode(layout.value(), e.value());
        return value == null ? Optional.empty() : Optional.of(new NfElementOp.Element(key, new NfElementOp.Value(value)));
    }
}
