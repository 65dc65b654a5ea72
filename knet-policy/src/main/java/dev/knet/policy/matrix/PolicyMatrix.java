package dev.knet.policy.matrix;

import dev.knet.policy.ClusterSnapshot;
import dev.knet.policy.CompiledPolicy;
import dev.knet.policy.Direction;
import dev.knet.policy.DirectionEvaluator;
import dev.knet.policy.PolicyException;
import dev.knet.policy.PolicyIndex;
import dev.knet.policy.PolicyRef;
import dev.knet.policy.Protocol;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.BitSet;
import java.util.List;

/**
 * The connectivity matrix of every pod pair for a set of ports and protocols, computed per pair
 * of {@link PodClasses} rather than per pod pair. A policy change re-evaluates only the class
 * pairs whose source or destination the changed policy applies to (before or after the change)
 * and copies every other result from the previous matrix. Mutable, not thread-safe.
 */
public final class PolicyMatrix {

    private final PolicyIndex index;
    private final DirectionEvaluator evaluator;
    private final List<Integer> ports;
    private final List<Protocol> protocols;
    private final int combos;
    private PodClasses classes;
    private long[] bits;

    private PolicyMatrix(PolicyIndex index, List<Integer> ports, List<Protocol> protocols) {
        if (ports.isEmpty() || protocols.isEmpty()) {
            throw new PolicyException("a matrix needs at least one port and one protocol");
        }
        this.index = index;
        this.evaluator = new DirectionEvaluator(index);
        this.ports = List.copyOf(ports);
        this.protocols = List.copyOf(protocols);
        this.combos = ports.size() * protocols.size();
        this.classes = PodClasses.of(index);
        this.bits = new long[words(classes.count())];
        BitSet all = new BitSet();
        all.set(0, classes.count());
        fill(all, null, null);
    }

    public static PolicyMatrix compute(ClusterSnapshot snapshot, List<Integer> ports, List<Protocol> protocols) {
        return new PolicyMatrix(PolicyIndex.of(snapshot), ports, protocols);
    }

    /** Computes over an index the matrix then owns: later changes must go through this matrix. */
    public static PolicyMatrix compute(PolicyIndex index, List<Integer> ports, List<Protocol> protocols) {
        return new PolicyMatrix(index, ports, protocols);
    }

    public PolicyIndex index() {
        return index;
    }

    public List<Integer> ports() {
        return ports;
    }

    public List<Protocol> protocols() {
        return protocols;
    }

    public int classCount() {
        return classes.count();
    }

    /** Whether pod {@code src} can open a connection to pod {@code dst} (ids of the index's universe). */
    public boolean allowed(int src, int dst, int port, Protocol protocol) {
        if (src == dst) {
            return true;
        }
        int k = combo(port, protocol);
        return get(bits, classes.count(), classes.classOf()[src], classes.classOf()[dst], k);
    }

    public boolean allowed(String from, String to, int port, Protocol protocol) {
        return allowed(pod(from), pod(to), port, protocol);
    }

    /** Number of allowed ordered pairs of distinct pods for one port and protocol. */
    public long allowedPairs(int port, Protocol protocol) {
        int k = combo(port, protocol);
        int c = classes.count();
        long[] size = new long[c];
        for (int cls : classes.classOf()) {
            size[cls]++;
        }
        long total = 0;
        for (int s = 0; s < c; s++) {
            for (int d = 0; d < c; d++) {
                if (get(bits, c, s, d, k)) {
                    total += s == d ? size[s] * (size[s] - 1) : size[s] * size[d];
                }
            }
        }
        return total;
    }

    /** Adds or replaces one policy and updates the matrix incrementally. */
    public void putPolicy(HasMetadata policy) {
        PolicyRef ref = dev.knet.policy.ClusterSnapshot.isClusterPolicy(policy)
                ? PolicyRef.clusterPolicy(policy.getMetadata().getName())
                : PolicyRef.networkPolicy(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
        BitSet affected = subjectsOf(ref);
        CompiledPolicy added = index.put(policy);
        affected.or(index.subjects(added));
        refresh(affected);
    }

    /** Removes one policy (no-op if absent) and updates the matrix incrementally. */
    public void removePolicy(PolicyRef ref) {
        BitSet affected = subjectsOf(ref);
        if (index.remove(ref) != null) {
            refresh(affected);
        }
    }

    private BitSet subjectsOf(PolicyRef ref) {
        CompiledPolicy old = index.policy(ref);
        return old == null ? new BitSet() : index.subjects(old);
    }

    /** Reclassifies, then recomputes class pairs touching an affected pod and copies the rest. */
    private void refresh(BitSet affectedPods) {
        PodClasses oldClasses = classes;
        long[] oldBits = bits;
        classes = PodClasses.of(index);
        BitSet affected = new BitSet();
        int[] reps = classes.representative();
        boolean samePartition = reps.length == oldClasses.count();
        for (int cls = 0; cls < reps.length; cls++) {
            if (affectedPods.get(reps[cls])) {
                affected.set(cls);
            }
            samePartition &= oldClasses.classOf()[reps[cls]] == cls;
        }
        if (samePartition) {
            // the common case: class ids are unchanged, so only affected rows and columns need work
            bits = oldBits.clone();
            int c = classes.count();
            for (int s = affected.nextSetBit(0); s >= 0; s = affected.nextSetBit(s + 1)) {
                for (int d = 0; d < c; d++) {
                    evaluate(s, d);
                    evaluate(d, s);
                }
            }
            return;
        }
        bits = new long[words(classes.count())];
        fill(affected, oldClasses, oldBits);
    }

    /** Computes pairs with an affected end; copies the others from the old matrix (null: none). */
    private void fill(BitSet affected, PodClasses old, long[] oldBits) {
        int c = classes.count();
        int[] reps = classes.representative();
        for (int s = 0; s < c; s++) {
            boolean srcAffected = affected.get(s);
            for (int d = 0; d < c; d++) {
                if (old != null && !srcAffected && !affected.get(d)) {
                    int os = old.classOf()[reps[s]];
                    int od = old.classOf()[reps[d]];
                    for (int k = 0; k < combos; k++) {
                        if (get(oldBits, old.count(), os, od, k)) {
                            set(bits, c, s, d, k, true);
                        }
                    }
                } else {
                    evaluate(s, d);
                }
            }
        }
    }

    /** Evaluates one class pair for every port and protocol, through the classes' representatives. */
    private void evaluate(int s, int d) {
        int c = classes.count();
        int rs = classes.representative()[s];
        int rd = classes.representative()[d];
        boolean egressFree = unpoliced(rs, Direction.EGRESS);
        boolean ingressFree = unpoliced(rd, Direction.INGRESS);
        byte[] srcIp = index.universe().ip(rs);
        byte[] dstIp = index.universe().ip(rd);
        for (int pi = 0; pi < ports.size(); pi++) {
            for (int qi = 0; qi < protocols.size(); qi++) {
                int port = ports.get(pi);
                Protocol protocol = protocols.get(qi);
                boolean allowed = (egressFree || evaluator.decide(Direction.EGRESS, rs, rd, dstIp, port, protocol).allowed())
                        && (ingressFree || evaluator.decide(Direction.INGRESS, rd, rs, srcIp, port, protocol).allowed());
                set(bits, c, s, d, pi * protocols.size() + qi, allowed);
            }
        }
    }

    /** No policy of any tier applies to the pod in this direction: the default, allow. */
    private boolean unpoliced(int pod, Direction direction) {
        return index.applied(pod, dev.knet.policy.Tier.ADMIN, direction).isEmpty()
                && index.applied(pod, dev.knet.policy.Tier.NETWORK_POLICY, direction).isEmpty()
                && index.applied(pod, dev.knet.policy.Tier.BASELINE, direction).isEmpty();
    }

    private int words(int c) {
        return (int) (((long) c * c * combos + 63) / 64);
    }

    private boolean get(long[] words, int c, int s, int d, int k) {
        long bit = ((long) s * c + d) * combos + k;
        return (words[(int) (bit >>> 6)] & (1L << bit)) != 0;
    }

    private void set(long[] words, int c, int s, int d, int k, boolean value) {
        long bit = ((long) s * c + d) * combos + k;
        if (value) {
            words[(int) (bit >>> 6)] |= 1L << bit;
        } else {
            words[(int) (bit >>> 6)] &= ~(1L << bit);
        }
    }

    private int combo(int port, Protocol protocol) {
        int pi = ports.indexOf(port);
        int qi = protocols.indexOf(protocol);
        if (pi < 0 || qi < 0) {
            throw new PolicyException("the matrix was computed for ports " + ports + " and protocols " + protocols
                    + ", not " + protocol + "/" + port);
        }
        return pi * protocols.size() + qi;
    }

    private int pod(String key) {
        int id = index.universe().idOf(key);
        if (id < 0) {
            throw new PolicyException("no pod " + key);
        }
        return id;
    }
}
