package dev.knet.dataplane.nft;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The closed set of nftables objects knet writes: tables, chains, rules, sets, maps and their elements.
 * Each renders the part of an {@code nft -f} line that follows the verb ("table ip t", "chain ip t c { ... }").
 */
public sealed interface NftObject permits NftObject.Flushable, NftObject.Deletable, NftObject.Rule {

    /** The table this object lives in (a table is its own table). */
    Table table();

    /** Object text after the verb for {@code add}; {@link #ref()} is the text for flush/delete. */
    String render();

    String ref();

    /** Objects a {@code flush} applies to. */
    sealed interface Flushable extends NftObject permits Table, Chain, NftSet, NftMap {
    }

    /** Objects a {@code delete} applies to (rules need handles, which knet never uses). */
    sealed interface Deletable extends NftObject permits Table, Chain, NftSet, NftMap, Element {
    }

    record Table(NftFamily family, String name) implements Flushable, Deletable {
        public Table {
            NftNames.check(name);
        }

        @Override
        public Table table() {
            return this;
        }

        @Override
        public String render() {
            return ref();
        }

        @Override
        public String ref() {
            return "table " + family.text() + " " + name;
        }

        String prefix() {
            return family.text() + " " + name;
        }
    }

    enum ChainType { FILTER, NAT, ROUTE }

    enum Hook { PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING }

    /** What makes a chain a base chain: it is attached to a netfilter hook at a priority. */
    record BaseChain(ChainType type, Hook hook, int priority) {
        public BaseChain {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(hook, "hook");
        }
    }

    record Chain(Table table, String name, Optional<BaseChain> base) implements Flushable, Deletable {
        public Chain {
            NftNames.check(name);
            Objects.requireNonNull(base, "base");
        }

        public static Chain regular(Table table, String name) {
            return new Chain(table, name, Optional.empty());
        }

        public static Chain base(Table table, String name, ChainType type, Hook hook, int priority) {
            return new Chain(table, name, Optional.of(new BaseChain(type, hook, priority)));
        }

        @Override
        public String render() {
            return base.map(b -> ref() + " { type " + lower(b.type()) + " hook " + lower(b.hook())
                    + " priority " + b.priority() + " ; }").orElse(ref());
        }

        @Override
        public String ref() {
            return "chain " + table.prefix() + " " + name;
        }
    }

    /** A rule appended to a chain; its text is nft rule syntax ("ip daddr 10.0.0.1 accept"). */
    record Rule(Table table, String chain, String text) implements NftObject {
        public Rule {
            NftNames.check(chain);
            if (text.isBlank() || text.contains("\n")) {
                throw new IllegalArgumentException("rule text must be one non-empty line: \"" + text + "\"");
            }
        }

        @Override
        public String render() {
            return "rule " + table.prefix() + " " + chain + " " + text;
        }

        @Override
        public String ref() {
            return render();
        }
    }

    /** Key or value declaration: {@code type ipv4_addr} or {@code typeof ip daddr . th dport}. */
    record KeySpec(boolean typeOf, String expression) {
        public static KeySpec type(String datatypes) {
            return new KeySpec(false, datatypes);
        }

        public static KeySpec typeOf(String expression) {
            return new KeySpec(true, expression);
        }

        String render() {
            return (typeOf ? "typeof " : "type ") + expression;
        }
    }

    /** Optional set/map attributes; size 0 and a null timeout mean nft's defaults. */
    record SetOptions(List<String> flags, Duration timeout, int size) {
        public static final SetOptions NONE = new SetOptions(List.of(), null, 0);

        public SetOptions {
            flags = List.copyOf(flags);
        }

        String render() {
            StringBuilder b = new StringBuilder();
            if (size > 0) {
                b.append(" size ").append(size).append(" ;");
            }
            if (!flags.isEmpty()) {
                b.append(" flags ").append(String.join(",", flags)).append(" ;");
            }
            if (timeout != null) {
                b.append(" timeout ").append(timeout.toSeconds()).append("s ;");
            }
            return b.toString();
        }
    }

    record NftSet(Table table, String name, KeySpec key, SetOptions options) implements Flushable, Deletable {
        public NftSet {
            NftNames.check(name);
        }

        @Override
        public String render() {
            return ref() + " { " + key.render() + " ;" + options.render() + " }";
        }

        @Override
        public String ref() {
            return "set " + table.prefix() + " " + name;
        }
    }

    /** A map; {@code value} is a datatype ("verdict", "ipv4_addr") or, with a typeof key, an expression. */
    record NftMap(Table table, String name, KeySpec key, String value, SetOptions options)
            implements Flushable, Deletable {
        public NftMap {
            NftNames.check(name);
        }

        @Override
        public String render() {
            return ref() + " { " + key.render() + " : " + value + " ;" + options.render() + " }";
        }

        @Override
        public String ref() {
            return "map " + table.prefix() + " " + name;
        }
    }

    /** One element of a set (value null) or map; key and value are in nft element syntax. */
    record Element(Table table, String set, String key, String value) implements Deletable {
        public Element {
            NftNames.check(set);
            Objects.requireNonNull(key, "key");
        }

        public static Element of(Table table, String set, String key) {
            return new Element(table, set, key, null);
        }

        public static Element of(Table table, String set, String key, String value) {
            return new Element(table, set, key, Objects.requireNonNull(value, "value"));
        }

        @Override
        public String render() {
            return "element " + table.prefix() + " " + set + " { " + item() + " }";
        }

        @Override
        public String ref() {
            return "element " + table.prefix() + " " + set + " { " + key + " }";
        }

        /** The text inside the braces: "key" or "key : value". */
        public String item() {
            return value == null ? key : key + " : " + value;
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }
}
