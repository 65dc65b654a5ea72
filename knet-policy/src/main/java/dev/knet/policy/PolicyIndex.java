package dev.knet.policy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiled policies over one pod universe: for every pod, the policies applying to it per tier and
 * direction (ClusterNetworkPolicies in priority order), and its atom bits. Policies can be put and
 * removed one at a time; only that policy's selectors are evaluated. Not thread-safe.
 */
public final class PolicyIndex {

    private static final Comparator<CompiledPolicy> ORDER = Comparator.comparingInt(CompiledPolicy::priority)
            .thenComparing(p -> p.ref().namespace()).thenComparing(p -> p.ref().name());

    private final PodUniverse universe;
    private final AtomTable atoms;
    private final Map<PolicyRef, CompiledPolicy> policies = new LinkedHashMap<>();
    private final List<CompiledPolicy>[][] applied;

    @SuppressWarnings("unchecked")
    public PolicyIndex(PodUniverse universe) {
        this.universe = universe;
        this.atoms = new AtomTable(universe);
        this.applied = new List[universe.size()][];
    }

    public static PolicyIndex of(ClusterSnapshot snapshot) {
        PolicyIndex index = new PolicyIndex(PodUniverse.of(snapshot));
        snapshot.networkPolicies().forEach(index::put);
        snapshot.clusterPolicies().forEach(index::put);
        return index;
    }

    public PodUniverse universe() {
        return universe;
    }

    public AtomTable atoms() {
        return atoms;
    }

    public Collection<CompiledPolicy> policies() {
        return policies.values();
    }

    public CompiledPolicy policy(PolicyRef ref) {
        return policies.get(ref);
    }

    /** Adds or replaces a NetworkPolicy or ClusterNetworkPolicy; returns its compiled form. */
    public CompiledPolicy put(HasMetadata object) {
        CompiledPolicy compiled = switch (object) {
            case NetworkPolicy np -> NetworkPolicyCompiler.compile(np, atoms);
            case GenericKubernetesResource g when ClusterSnapshot.isClusterPolicy(g) -> ClusterPolicyCompiler.compile(g, atoms);
            default -> throw new PolicyException("not a policy: " + object.getKind() + " " + object.getMetadata().getName());
        };
        // the new policy holds its atoms before the old one lets go, so shared atoms are not re-evaluated
        remove(compiled.ref());
        policies.put(compiled.ref(), compiled);
        BitSet subjects = atoms.members(compiled.subjectAtom());
        for (int pod = subjects.nextSetBit(0); pod >= 0; pod = subjects.nextSetBit(pod + 1)) {
            for (Direction d : Direction.values()) {
                if (compiled.applies(d)) {
                    List<CompiledPolicy> list = slot(pod, compiled.tier(), d, true);
                    list.add(compiled);
                    list.sort(ORDER);
                }
            }
        }
        return compiled;
    }

    /** Removes a policy; returns what was removed, or null. */
    public CompiledPolicy remove(PolicyRef ref) {
        CompiledPolicy old = policies.remove(ref);
        if (old == null) {
            return null;
        }
        BitSet subjects = atoms.members(old.subjectAtom());
        for (int pod = subjects.nextSetBit(0); pod >= 0; pod = subjects.nextSetBit(pod + 1)) {
            for (Direction d : Direction.values()) {
                List<CompiledPolicy> list = slot(pod, old.tier(), d, false);
                if (list != null) {
                    list.remove(old);
                }
            }
        }
        old.atoms().forEach(atoms::release);
        return old;
    }

    /** The pods a policy applies to (a copy). */
    public BitSet subjects(CompiledPolicy policy) {
        return (BitSet) atoms.members(policy.subjectAtom()).clone();
    }

    /** Policies of a tier applying to a pod in a direction, in evaluation order (do not modify). */
    public List<CompiledPolicy> applied(int pod, Tier tier, Direction direction) {
        List<CompiledPolicy> list = slot(pod, tier, direction, false);
        return list == null ? List.of() : list;
    }

    private List<CompiledPolicy> slot(int pod, Tier tier, Direction direction, boolean create) {
        int i = tier.ordinal() * 2 + direction.ordinal();
        List<CompiledPolicy>[] slots = applied[pod];
        if (slots == null) {
            if (!create) {
                return null;
            }
            @SuppressWarnings("unchecked")
            List<CompiledPolicy>[] fresh = new List[6];
            slots = fresh;
            applied[pod] = slots;
        }
        if (slots[i] == null && create) {
            slots[i] = new ArrayList<>(2);
        }
        return slots[i];
    }
}
