package dev.knet.policy.verify;

import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Verdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts the model and the dataplane side by side: for every pair of a plan, the model's verdict with its
 * reason, and a real probe from the source pod's network namespace. All probes of one round run at once, so a
 * round of dropped connections costs one timeout. A probe the model expects to connect but that timed out is
 * tried once more with a longer wait before it counts as a disagreement (a busy node, a cold ARP cache).
 */
public final class Verifier {

    private final Prober prober;
    private final Duration timeout;

    public Verifier(Prober prober, Duration timeout) {
        this.prober = Objects.requireNonNull(prober, "prober");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public List<VerifyRow> verify(ClusterState state, VerifyPlan plan) {
        PolicyEngine engine = PolicyEngine.of(state.objects());
        List<VerifyPair> pairs = plan.pairs(state);
        List<Verdict> verdicts = pairs.stream()
                .map(p -> engine.check(p.from(), p.to(), p.port(), p.protocol())).toList();

        ProbeResult[] results = new ProbeResult[pairs.size()];
        List<Integer> probed = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            VerifyPair p = pairs.get(i);
            if (p.fromNetns() == null) {
                results[i] = new ProbeResult(request(p, "?"), ProbeResult.Outcome.ERROR,
                        p.from() + " has no " + VerifyPlan.NETNS_ANNOTATION + " annotation: not a pod this node runs");
            } else {
                probed.add(i);
            }
        }
        probeInto(pairs, probed, results, timeout);
        List<Integer> again = probed.stream()
                .filter(i -> verdicts.get(i).allowed() && results[i].outcome() == ProbeResult.Outcome.TIMED_OUT).toList();
        probeInto(pairs, again, results, timeout.multipliedBy(3));

        List<VerifyRow> rows = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            rows.add(new VerifyRow(pairs.get(i), verdicts.get(i).allowed(), verdicts.get(i).reason(), results[i]));
        }
        return rows;
    }

    private void probeInto(List<VerifyPair> pairs, List<Integer> indices, ProbeResult[] results, Duration wait) {
        if (indices.isEmpty()) {
            return;
        }
        List<ProbeResult> got = prober.probe(indices.stream()
                .map(i -> request(pairs.get(i), pairs.get(i).fromNetns())).toList(), wait);
        for (int k = 0; k < indices.size(); k++) {
            results[indices.get(k)] = got.get(k);
        }
    }

    private static ProbeRequest request(VerifyPair p, String netns) {
        return new ProbeRequest(netns, p.address(), p.port(), p.protocol());
    }
}
