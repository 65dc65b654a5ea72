package dev.knet.policy.matrix;

import dev.knet.policy.ContainerPortView;
import dev.knet.policy.PolicyIndex;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods grouped into equivalence classes: same atom bits (so every selector and ipBlock of every
 * policy treats them alike, including which policies apply to them) and same container ports
 * (named ports resolve alike). Any two pods of a class have identical rows and columns.
 */
record PodClasses(int[] classOf, int[] representative) {

    private record Key(BitSet atoms, List<ContainerPortView> ports) {
    }

    static PodClasses of(PolicyIndex index) {
        int pods = index.universe().size();
        int[] classOf = new int[pods];
        Map<Key, Integer> ids = new HashMap<>();
        int[] reps = new int[Math.max(1, pods)];
        for (int pod = 0; pod < pods; pod++) {
            Key key = new Key((BitSet) index.atoms().atomsOf(pod).clone(), index.universe().pod(pod).ports());
            Integer id = ids.get(key);
            if (id == null) {
                id = ids.size();
                ids.put(key, id);
                reps[id] = pod;
            }
            classOf[pod] = id;
        }
        return new PodClasses(classOf, java.util.Arrays.copyOf(reps, ids.size()));
    }

    int count() {
        return representative.length;
    }
}
