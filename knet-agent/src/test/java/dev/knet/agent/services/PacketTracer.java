package dev.knet.agent.services;

import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftState;
import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a new connection's first packet through the base chains of a fake's services table, the way netfilter
 * would: prerouting (or output for the node's own traffic), a routing decision, then postrouting. It reads
 * the rule dialect the generator writes; an unknown word fails the trace loudly instead of guessing.
 * {@code numgen random} is made deterministic by the caller's choice of random value.
 */
final class PacketTracer {

    enum Origin { ARRIVING, LOCAL }

    enum Verdict { ACCEPT, DROP, REJECT }

    record Packet(String src, String dst, Protocol proto, int port, Origin origin) {
    }

    /** dnat is "ip:port" or null when the packet was not translated. */
    record Outcome(Verdict verdict, String dnat, boolean masquerade) {
    }

    static final String POD_INTERFACE = "knet-pods";

    private final NftState.TableState table;
    private final NodeInfo node;
    /** Entries added by {@code update} statements, like the kernel's dynamic map, kept across traces. */
    private final Map<String, Map<String, String>> dynamic = new HashMap<>();

    PacketTracer(NftState state, NftObject.Table table, NodeInfo node) {
        this.table = state.table(table).orElseThrow(() -> new IllegalStateException("no table " + table));
        this.node = node;
    }

    /** Every outcome over all numgen choices; does not remember affinity. */
    Set<Outcome> traceAll(Packet p) {
        Set<Outcome> out = new LinkedHashSet<>();
        for (int r = 0; r < 256; r++) {
            out.add(trace(p, r, false));
        }
        return out;
    }

    /** One trace with a fixed random value; updates to dynamic maps are kept for later traces. */
    Outcome trace(Packet p, int random) {
        return trace(p, random, true);
    }

    private Outcome trace(Packet p, int random, boolean remember) {
        TraceContext ctx = new TraceContext(p, random, table, dynamic, remember);
        NftObject.Hook first = p.origin() == Origin.ARRIVING ? NftObject.Hook.PREROUTING : NftObject.Hook.OUTPUT;
        Verdict v = runHook(first, ctx);
        if (v != Verdict.ACCEPT) {
            return new Outcome(v, ctx.dnatTarget(), false);
        }
        boolean toNode = node.nodeIps().contains(ctx.dst) || ctx.dst.startsWith("127.");
        if (toNode && p.origin() == Origin.ARRIVING) {
            return new Outcome(Verdict.ACCEPT, ctx.dnatTarget(), false); // input: postrouting is not traversed
        }
        ctx.oif = toNode ? "lo" : node.clusterCidr().contains(IpAddresses.parse(ctx.dst)) ? POD_INTERFACE : node.uplink();
        v = runHook(NftObject.Hook.POSTROUTING, ctx);
        return new Outcome(v, ctx.dnatTarget(), ctx.masquerade);
    }

    private Verdict runHook(NftObject.Hook hook, TraceContext ctx) {
        List<NftState.ChainState> chains = new ArrayList<>(table.chains().values().stream()
                .filter(c -> c.chain().base().map(b -> b.hook() == hook).orElse(false)).toList());
        chains.sort(Comparator.comparingInt(c -> c.chain().base().orElseThrow().priority()));
        for (NftState.ChainState c : chains) {
            boolean nat = c.chain().base().orElseThrow().type() == NftObject.ChainType.NAT;
            if (nat && ctx.natDoneIn(hook)) {
                continue; // one NAT binding per direction and hook
            }
            RuleEvaluator.Result r = new RuleEvaluator(ctx).runChain(c.chain().name());
            if (r == RuleEvaluator.Result.DROP) {
                return Verdict.DROP;
            }
            if (r == RuleEvaluator.Result.REJECT) {
                return Verdict.REJECT;
            }
            if (nat && ctx.natted) {
                ctx.markNatDone(hook);
            }
        }
        return Verdict.ACCEPT;
    }

    static boolean inCidr(String ip, String cidr) {
        return Cidr.parse(cidr).contains(IpAddresses.parse(ip));
    }
}
