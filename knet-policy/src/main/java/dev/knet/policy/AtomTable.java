package dev.knet.policy;

import dev.knet.model.net.Cidr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Match atoms: each distinct (namespace scope, selector) or ipBlock used by any policy is evaluated
 * once against every pod, when first acquired, and shared by reference count. Per-flow evaluation
 * then only tests bits; pods with equal atom bits are indistinguishable to every policy.
 */
public final class AtomTable {

    /** What an atom selects. */
    public sealed interface Key {
        /** Pods of one namespace matching a pod selector (a NetworkPolicy's own namespace). */
        record InNamespace(String namespace, Selector pods) implements Key {
        }

        /** Pods matching a pod selector in namespaces matching a namespace selector. */
        record Across(Selector namespaces, Selector pods) implements Key {
        }

        /** Pods whose IP is inside a CIDR and outside every exception. */
        record Block(Cidr cidr, List<Cidr> except) implements Key {
        }
    }

    private final PodUniverse universe;
    private final Map<Key, Integer> ids = new HashMap<>();
    private final List<Key> keys = new ArrayList<>();
    private final List<BitSet> members = new ArrayList<>();
    private final List<Integer> refs = new ArrayList<>();
    private final Deque<Integer> free = new ArrayDeque<>();
    private final BitSet[] podAtoms;

    public AtomTable(PodUniverse universe) {
        this.universe = universe;
        this.podAtoms = new BitSet[universe.size()];
        for (int i = 0; i < podAtoms.length; i++) {
            podAtoms[i] = new BitSet();
        }
    }

    public int acquire(Key key) {
        Integer existing = ids.get(key);
        if (existing != null) {
            refs.set(existing, refs.get(existing) + 1);
            return existing;
        }
        BitSet set = evaluate(key);
        int id;
        if (free.isEmpty()) {
            id = keys.size();
            keys.add(key);
            members.add(set);
            refs.add(1);
        } else {
            id = free.pop();
            keys.set(id, key);
            members.set(id, set);
            refs.set(id, 1);
        }
        ids.put(key, id);
        for (int pod = set.nextSetBit(0); pod >= 0; pod = set.nextSetBit(pod + 1)) {
            podAtoms[pod].set(id);
        }
        return id;
    }

    public void release(int id) {
        int left = refs.get(id) - 1;
        refs.set(id, left);
        if (left > 0) {
            return;
        }
        BitSet set = members.get(id);
        for (int pod = set.nextSetBit(0); pod >= 0; pod = set.nextSetBit(pod + 1)) {
            podAtoms[pod].clear(id);
        }
        ids.remove(keys.get(id));
        keys.set(id, null);
        members.set(id, new BitSet());
        free.push(id);
    }

    public boolean contains(int atom, int pod) {
        return members.get(atom).get(pod);
    }

    /** The pods an atom selects (do not modify). */
    public BitSet members(int atom) {
        return members.get(atom);
    }

    /** The atoms a pod matches (do not modify): its whole identity as far as policies go. */
    public BitSet atomsOf(int pod) {
        return podAtoms[pod];
    }

    public int liveAtoms() {
        return ids.size();
    }

    private BitSet evaluate(Key key) {
        BitSet set = new BitSet(universe.size());
        switch (key) {
            case Key.InNamespace in -> selectIn(in.namespace(), in.pods(), set);
            case Key.Across across -> {
                for (var ns : universe.namespaceLabels().entrySet()) {
                    if (across.namespaces().matches(ns.getValue())) {
                        selectIn(ns.getKey(), across.pods(), set);
                    }
                }
            }
            case Key.Block block -> {
                var matcher = new PeerMatcher.Block(-1, block.cidr(), block.except(), "");
                for (int pod = 0; pod < universe.size(); pod++) {
                    byte[] ip = universe.ip(pod);
                    if (ip != null && matcher.containsIp(ip)) {
                        set.set(pod);
                    }
                }
            }
        }
        return set;
    }

    private void selectIn(String namespace, Selector pods, BitSet into) {
        for (int pod : universe.podsIn(namespace)) {
            if (pods.matches(universe.pod(pod).labels())) {
                into.set(pod);
            }
        }
    }
}
