package dev.knet.policy.matrix;

import dev.knet.policy.ClusterSnapshot;
import dev.knet.policy.PolicyRef;
import dev.knet.policy.Protocol;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** An incrementally updated matrix must equal one computed from scratch after every change. */
class IncrementalMatrixTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void incrementalEqualsFresh(long seed) {
        Random random = new Random(seed);
        List<HasMetadata> objects = new ArrayList<>(SyntheticCluster.cluster(3).stream()
                .filter(o -> !(o instanceof NetworkPolicy))
                .toList());
        List<Integer> ports = List.of(80, 8080);
        List<Protocol> protocols = List.of(Protocol.TCP, Protocol.UDP);
        PolicyMatrix live = PolicyMatrix.compute(ClusterSnapshot.of(objects), ports, protocols);
        List<NetworkPolicy> present = new ArrayList<>();
        for (int step = 0; step < 12; step++) {
            if (!present.isEmpty() && random.nextInt(4) == 0) {
                NetworkPolicy gone = present.remove(random.nextInt(present.size()));
                live.removePolicy(PolicyRef.networkPolicy(gone.getMetadata().getNamespace(), gone.getMetadata().getName()));
            } else {
                int n = random.nextInt(3);
                List<NetworkPolicy> candidates = SyntheticCluster.policies("ns-" + n, n);
                NetworkPolicy p = candidates.get(random.nextInt(candidates.size()));
                present.removeIf(q -> q.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())
                        && q.getMetadata().getName().equals(p.getMetadata().getName()));
                present.add(p);
                live.putPolicy(p);
            }
            List<HasMetadata> all = new ArrayList<>(objects);
            all.addAll(present);
            PolicyMatrix fresh = PolicyMatrix.compute(ClusterSnapshot.of(all), ports, protocols);
            int pods = fresh.index().universe().size();
            for (int port : ports) {
                for (Protocol protocol : protocols) {
                    for (int s = 0; s < pods; s++) {
                        for (int d = 0; d < pods; d++) {
                            if (live.allowed(s, d, port, protocol) != fresh.allowed(s, d, port, protocol)) {
                                throw new AssertionError("step " + step + " differs at " + s + "->" + d + " " + protocol + "/" + port);
                            }
                        }
                    }
                    assertThat(live.allowedPairs(port, protocol)).isEqualTo(fresh.allowedPairs(port, protocol));
                }
            }
        }
    }
}
