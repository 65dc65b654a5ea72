package dev.knet.agent.services;

import dev.knet.dataplane.nft.NftState;
import java.util.ArrayList;
import java.util.List;

/** Evaluates the rules of one chain (and the chains it jumps to) for a {@link TraceContext}. */
final class RuleEvaluator {

    enum Result { CONTINUE, NO_MATCH, ACCEPT, DROP, REJECT, RETURN }

    private final TraceContext ctx;
    private List<String> tokens;
    private int pos;

    RuleEvaluator(TraceContext ctx) {
        this.ctx = ctx;
    }

    Result runChain(String chain) {
        NftState.ChainState c = ctx.table.chains().get(chain);
        if (c == null) {
            throw new IllegalStateException("jump to missing chain " + chain);
        }
        for (String rule : c.rules()) {
            Result r = runRule(rule);
            switch (r) {
                case NO_MATCH, CONTINUE -> { }
                case RETURN -> {
                    return Result.CONTINUE;
                }
                default -> {
                    return r;
                }
            }
        }
        return Result.CONTINUE;
    }

    private Result runRule(String rule) {
        tokens = tokenize(rule);
        pos = 0;
        while (pos < tokens.size()) {
            String t = tokens.get(pos);
            switch (t) {
                case "accept" -> { return Result.ACCEPT; }
                case "drop" -> { return Result.DROP; }
                case "reject" -> { return Result.REJECT; }
                case "return" -> { return Result.RETURN; }
                case "counter" -> pos++;
                case "jump", "goto" -> {
                    pos += 2;
                    return follow(t + " " + tokens.get(pos - 1));
                }
                case "masquerade" -> {
                    ctx.masquerade = true;
                    ctx.natted = true;
                    return Result.ACCEPT;
                }
                case "dnat" -> {
                    return dnat();
                }
                case "update" -> update();
                default -> {
                    if (t.equals("meta") && peek(2).equals("set")) {
                        setMark();
                    } else if (!match()) {
                        return Result.NO_MATCH;
                    } else if (verdict != null) {
                        String v = verdict;
                        verdict = null;
                        return follow(v);
                    }
                }
            }
        }
        return Result.CONTINUE;
    }

    private String verdict;

    private Result follow(String v) {
        if (v.equals("drop")) {
            return Result.DROP;
        }
        if (v.equals("accept")) {
            return Result.ACCEPT;
        }
        String[] parts = v.split(" ");
        Result r = runChain(parts[1]);
        if (parts[0].equals("goto")) {
            return r == Result.CONTINUE ? Result.RETURN : r;
        }
        return r == Result.CONTINUE ? Result.CONTINUE : r;
    }

    /** Reads a (possibly concatenated) selector and the comparison after it; true when the packet matches. */
    private boolean match() {
        String value = concat();
        String op = next();
        if (op.startsWith("@")) {
            return ctx.lookup(op.substring(1), value) != null;
        }
        if (op.equals("vmap")) {
            String v = ctx.lookup(next().substring(1), value);
            verdict = v;
            return v != null;
        }
        if (op.equals("&")) {
            long mask = Long.decode(next());
            expect("==");
            return (Long.decode(value) & mask) == Long.decode(next());
        }
        if (op.equals("!=")) {
            return !equal(value, next());
        }
        if (op.equals("==")) {
            return equal(value, next());
        }
        return equal(value, op);
    }

    private static boolean equal(String value, String want) {
        String w = want.replace("\"", "");
        if (w.contains("/")) {
            return value.matches("[0-9.]+") && PacketTracer.inCidr(value, w);
        }
        return value.equals(w);
    }

    private String concat() {
        StringBuilder b = new StringBuilder(selector());
        while (peek(0).equals(".")) {
            pos++;
            b.append(" . ").append(selector());
        }
        return b.toString();
    }

    private String selector() {
        String t = next();
        return switch (t) {
            case "ip" -> next().equals("saddr") ? ctx.src : ctx.dst;
            case "th", "tcp", "udp", "sctp" -> {
                expect("dport");
                yield String.valueOf(ctx.port);
            }
            case "meta" -> switch (next()) {
                case "l4proto" -> ctx.proto;
                case "mark" -> String.valueOf(ctx.mark);
                default -> throw unknown();
            };
            case "numgen" -> {
                expect("random");
                expect("mod");
                yield String.valueOf(ctx.random % Integer.parseInt(next()));
            }
            case "ct" -> switch (next()) {
                case "state" -> "new";
                case "status" -> ctx.dnatted ? "dnat" : "none";
                case "original" -> {
                    if (next().equals("ip")) {
                        expect("daddr");
                        yield ctx.origDst;
                    }
                    yield String.valueOf(ctx.origPort);
                }
                default -> throw unknown();
            };
            case "oifname" -> ctx.oif;
            default -> throw unknown();
        };
    }

    private Result dnat() {
        pos++;
        expect("ip");
        expect("to");
        String key = concat();
        expect("map");
        String target = ctx.lookup(next().substring(1), key);
        if (target == null) {
            return Result.NO_MATCH; // a map miss leaves the packet untranslated and the rule unmatched
        }
        String[] ipPort = target.split(" \\. ");
        ctx.dst = ipPort[0];
        ctx.port = Integer.parseInt(ipPort[1]);
        ctx.dnatted = true;
        ctx.natted = true;
        return Result.ACCEPT;
    }

    private void update() {
        pos++;
        String set = next().substring(1);
        expect("{");
        String key = concat();
        if (peek(0).equals("timeout")) {
            pos += 2;
        }
        expect(":");
        String value = concat();
        expect("}");
        ctx.update(set, key, value);
    }

    private void setMark() {
        pos += 3; // meta mark set
        expect("meta");
        expect("mark");
        String op = next();
        long v = Long.decode(next());
        ctx.mark = switch (op) {
            case "|" -> ctx.mark | v;
            case "^" -> ctx.mark ^ v;
            default -> throw unknown();
        };
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw new IllegalStateException("rule ended early: " + String.join(" ", tokens));
        }
        return tokens.get(pos++);
    }

    private String peek(int ahead) {
        return pos + ahead < tokens.size() ? tokens.get(pos + ahead) : "";
    }

    private void expect(String word) {
        String t = next();
        if (!t.equals(word)) {
            throw new IllegalStateException("expected " + word + " but found " + t + " in: " + String.join(" ", tokens));
        }
    }

    private IllegalStateException unknown() {
        return new IllegalStateException("tracer does not know '" + tokens.get(pos - 1) + "' in: " + String.join(" ", tokens));
    }

    private static List<String> tokenize(String rule) {
        return new ArrayList<>(List.of(rule.trim().split("\\s+")));
    }
}
