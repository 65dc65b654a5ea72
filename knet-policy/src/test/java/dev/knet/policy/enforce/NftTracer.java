package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftState;
import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a packet through one table of a {@link dev.knet.dataplane.nft.FakeNftables} state, the way the
 * kernel would: base chain first, jump/goto/return, set and verdict-map lookups on the packet's fields.
 * It understands exactly the rule vocabulary the policy generator writes and fails on anything else, so
 * a rule it cannot read fails the test instead of being skipped.
 */
final class NftTracer {

    /** A packet at the forward hook; {@code ct} is its conntrack state ("new", "established", ...). */
    record Packet(String iif, String oif, String src, String dst, String proto, int dport, String ct) {
        static Packet tcp(String iif, String oif, String src, String dst, int dport) {
            return new Packet(iif, oif, src, dst, "tcp", dport, "new");
        }
    }

    /** The final verdict, the log prefix of the rule that dropped it (or null) and the rules that matched. */
    record Trace(boolean accepted, String logPrefix, List<String> matched) {
    }

    private enum Outcome { ACCEPT, DROP, CONTINUE }

    private static final Set<String> FIELDS = Set.of("iifname", "oifname", "ip saddr", "ip daddr", "meta l4proto", "th dport");

    private final NftState.TableState table;
    private final String baseChain;
    private String logPrefix;
    private final List<String> matched = new ArrayList<>();

    NftTracer(NftState state, NftObject.Table table, String baseChain) {
        this.table = state.table(table).orElseThrow(() -> new IllegalStateException("no table " + table.ref()));
        this.baseChain = baseChain;
    }

    Trace trace(Packet p) {
        logPrefix = null;
        matched.clear();
        Outcome o = run(baseChain, p, 0);
        // the base chain's policy is accept
        return new Trace(o != Outcome.DROP, logPrefix, List.copyOf(matched));
    }

    private Outcome run(String chain, Packet p, int depth) {
        if (depth > 16) {
            throw new IllegalStateException("chain loop at " + chain);
        }
        NftState.ChainState c = table.chains().get(chain);
        if (c == null) {
            throw new IllegalStateException("no chain " + chain);
        }
        for (String rule : c.rules()) {
            Outcome o = rule(chain, rule, p, depth);
            if (o != Outcome.CONTINUE) {
                return o;
            }
        }
        return Outcome.CONTINUE;
    }

    /** CONTINUE means "next rule" (no match, or a jump that returned, or a return - handled by the caller). */
    private Outcome rule(String chain, String rule, Packet p, int depth) {
        List<String> t = tokens(rule);
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < t.size()) {
            String tok = t.get(i);
            if (tok.equals("ct") && t.get(i + 1).equals("state")) {
                if (!Arrays.asList(t.get(i + 2).split(",")).contains(p.ct())) {
                    return Outcome.CONTINUE;
                }
                i += 3;
            } else if (i + 1 < t.size() && FIELDS.contains(tok + " " + t.get(i + 1))) {
                fields.add(tok + " " + t.get(i + 1));
                i += 2;
            } else if (FIELDS.contains(tok)) {
                fields.add(tok);
                i++;
            } else if (tok.equals(".")) {
                i++;
            } else if (tok.startsWith("@")) {
                if (!member(tok.substring(1), fields, p)) {
                    return Outcome.CONTINUE;
                }
                fields.clear();
                i++;
            } else if (!fields.isEmpty() && !tok.equals("vmap")) {
                // an inline value ("meta l4proto tcp", "th dport 80", "ip saddr 10.0.0.0/24"): a one-element set
                if (!matches(tok, fields, p)) {
                    return Outcome.CONTINUE;
                }
                fields.clear();
                i++;
            } else if (tok.equals("vmap")) {
                String verdict = lookup(t.get(i + 1).substring(1), fields, p);
                if (verdict == null) {
                    return Outcome.CONTINUE;
                }
                matched.add(chain + ": " + rule + " -> " + verdict);
                return verdict(tokens(verdict), 0, p, depth);
            } else if (tok.equals("counter")) {
                i++;
            } else if (tok.equals("log")) {
                if (!t.get(i + 1).equals("prefix") || !t.get(i + 3).equals("group")) {
                    throw new IllegalStateException("unsupported log statement in " + rule);
                }
                logPrefix = t.get(i + 2).substring(1, t.get(i + 2).length() - 1);
                i += 5;
            } else {
                matched.add(chain + ": " + rule);
                return verdict(t, i, p, depth);
            }
        }
        throw new IllegalStateException("rule without verdict: " + rule);
    }

    private Outcome verdict(List<String> t, int i, Packet p, int depth) {
        String v = t.get(i);
        if (i + (v.equals("jump") || v.equals("goto") ? 2 : 1) != t.size()) {
            throw new IllegalStateException("unsupported tokens after verdict: " + t);
        }
        return switch (v) {
            case "accept" -> Outcome.ACCEPT;
            case "drop" -> Outcome.DROP;
            case "return" -> throw new ReturnSignal();
            case "jump" -> {
                try {
                    yield run(t.get(i + 1), p, depth + 1);
                } catch (ReturnSignal r) {
                    yield Outcome.CONTINUE;
                }
            }
            // goto: the target's end (or return) ends the current chain too
            case "goto" -> {
                Outcome o = runCatching(t.get(i + 1), p, depth + 1);
                if (o == Outcome.CONTINUE) {
                    throw new ReturnSignal();
                }
                yield o;
            }
            default -> throw new IllegalStateException("unsupported verdict " + v + " in " + t);
        };
    }

    private Outcome runCatching(String chain, Packet p, int depth) {
        try {
            return run(chain, p, depth);
        } catch (ReturnSignal r) {
            return Outcome.CONTINUE;
        }
    }

    /** Unwinds to the chain that jumped; thrown by "return" and by falling off a goto target. */
    private static final class ReturnSignal extends RuntimeException {
        ReturnSignal() {
            super(null, null, false, false);
        }
    }

    private boolean member(String set, List<String> fields, Packet p) {
        NftState.SetState s = set(set);
        for (String element : s.elements().keySet()) {
            if (matches(element, fields, p)) {
                return true;
            }
        }
        return false;
    }

    private String lookup(String map, List<String> fields, Packet p) {
        for (Map.Entry<String, String> e : set(map).elements().entrySet()) {
            if (matches(e.getKey(), fields, p)) {
                return e.getValue();
            }
        }
        return null;
    }

    private NftState.SetState set(String name) {
        NftState.SetState s = table.sets().get(name);
        if (s == null) {
            throw new IllegalStateException("no set " + name);
        }
        return s;
    }

    private static boolean matches(String element, List<String> fields, Packet p) {
        String[] parts = element.split(" \\. ");
        if (parts.length != fields.size()) {
            throw new IllegalStateException("element " + element + " does not fit " + fields);
        }
        for (int k = 0; k < parts.length; k++) {
            if (!fieldMatches(fields.get(k), parts[k].strip(), p)) {
                return false;
            }
        }
        return true;
    }

    private static boolean fieldMatches(String field, String element, Packet p) {
        return switch (field) {
            case "iifname" -> unquote(element).equals(p.iif());
            case "oifname" -> unquote(element).equals(p.oif());
            case "ip saddr" -> ipIn(p.src(), element);
            case "ip daddr" -> ipIn(p.dst(), element);
            case "meta l4proto" -> element.equals(p.proto());
            case "th dport" -> {
                String[] r = element.split("-");
                int from = Integer.parseInt(r[0]);
                int to = r.length == 1 ? from : Integer.parseInt(r[1]);
                yield p.dport() >= from && p.dport() <= to;
            }
            default -> throw new IllegalStateException("unsupported field " + field);
        };
    }

    private static boolean ipIn(String ip, String element) {
        if (ip == null || ip.contains(":")) {
            return false;
        }
        if (element.contains("/")) {
            return Cidr.parse(element).contains(ip);
        }
        if (element.contains("-")) {
            String[] r = element.split("-");
            long v = value(ip);
            return v >= value(r[0]) && v <= value(r[1]);
        }
        return value(element) == value(ip);
    }

    private static long value(String ip) {
        byte[] b = IpAddresses.parse(ip);
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    private static String unquote(String s) {
        return s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Splits on spaces, keeping "quoted strings" (log prefixes end in a space) as one token. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char ch : text.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
                cur.append(ch);
            } else if (ch == ' ' && !quoted) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(ch);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }
}
