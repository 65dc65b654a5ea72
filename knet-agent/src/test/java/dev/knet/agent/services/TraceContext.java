package dev.knet.agent.services;

import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftState;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The mutable state of one packet during a trace: addresses after NAT, mark, conntrack facts. */
final class TraceContext {

    final NftState.TableState table;
    final Map<String, Map<String, String>> dynamic;
    final boolean remember;
    final int random;
    final String src;
    final String proto;
    final String origDst;
    final int origPort;
    String dst;
    int port;
    long mark;
    boolean dnatted;
    boolean natted;
    boolean masquerade;
    String oif = "";
    private final Set<NftObject.Hook> natDone = EnumSet.noneOf(NftObject.Hook.class);

    TraceContext(PacketTracer.Packet p, int random, NftState.TableState table, Map<String, Map<String, String>> dynamic, boolean remember) {
        this.table = table;
        this.dynamic = dynamic;
        this.remember = remember;
        this.random = random;
        this.src = p.src();
        this.dst = p.dst();
        this.proto = p.proto().nft();
        this.port = p.port();
        this.origDst = p.dst();
        this.origPort = p.port();
    }

    String dnatTarget() {
        return dnatted ? dst + ":" + port : null;
    }

    boolean natDoneIn(NftObject.Hook hook) {
        return natDone.contains(hook);
    }

    void markNatDone(NftObject.Hook hook) {
        natDone.add(hook);
        natted = false;
    }

    /** Looks a key up in a set or map: the dynamic entries first, then the elements the fake holds. */
    String lookup(String set, String key) {
        Map<String, String> dyn = dynamic.get(set);
        if (dyn != null && dyn.containsKey(key)) {
            return dyn.get(key);
        }
        NftState.SetState s = table.sets().get(set);
        if (s == null) {
            throw new IllegalStateException("rule names missing set @" + set);
        }
        return s.elements().get(key);
    }

    void update(String set, String key, String value) {
        if (remember) {
            dynamic.computeIfAbsent(set, k -> new HashMap<>()).putIfAbsent(key, value);
        }
    }
}
