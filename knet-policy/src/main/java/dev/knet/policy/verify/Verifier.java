package dev.knet.policy.verify;

import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Verdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Puts the model and the dataplane side by side: for every pair of a plan, the model's verdict with its
 * reason, and a real probe from the source pod's network namespace. All probes of one round run at once, so a
 * round of dropped connections costs one timeout. A probe the model expects to connect but that timed out is
 * tried once more with a longer wait (a busy node, a cold ARP cache). Pairs that still disagree are probed
 * again in rounds paced by {@link Settling} while the nodes catch up with the store; a pair that agrees in a
 * later round says how long that took.
 */
public final class Verifier {

    private final Prober prober;
    private final Duration timeout;
    private final Supplier<Settling> settling;

    /** The first answers are the report: no rounds after them. */
    public Verifier(Prober prober, Duration timeout) {
        this(prober, timeout, Settling::none);
    }

    /** @param settling made when the first round ends; paces the rounds that probe disagreements again */
    public Verifier(Prober prober, Duration timeout, Supplier<Settling> settling) {
        this.prober = Objects.requireNonNull(prober, "prober");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.settling = Objects.requireNonNull(settling, "settling");
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

        Duration[] settledAfter = new Duration[pairs.size()];
        Arrays.fill(settledAfter, Duration.ZERO);
        settle(pairs, verdicts, probed, results, settledAfter);

        List<VerifyRow> rows = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            rows.add(new VerifyRow(pairs.get(i), verdicts.get(i).allowed(), verdicts.get(i).reason(), results[i],
                    settledAfter[i]));
        }
        return rows;
    }

    /** Probes the disagreeing pairs again, round after round, until they agree or the window is spent. */
    private void settle(List<VerifyPair> pairs, List<Verdict> verdicts, List<Integer> probed, ProbeResult[] results,
                        Duration[] settledAfter) {
        Settling rounds = settling.get();
        List<Integer> pending = disagreeing(probed, verdicts, results);
        try {
            while (!pending.isEmpty() && rounds.nextRound()) {
                probeInto(pairs, pending, results, timeout);
                for (int i : pending) {
                    settledAfter[i] = rounds.elapsed();
                }
                pending = disagreeing(pending, verdicts, results);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the answers so far are the report
        }
        pending.forEach(i -> settledAfter[i] = Duration.ZERO);
    }

    private static List<Integer> disagreeing(List<Integer> indices, List<Verdict> verdicts, ProbeResult[] results) {
        return indices.stream().filter(i -> VerifyRow.agreement(verdicts.get(i).allowed(), results[i].outcome())
                == VerifyRow.Agreement.DISAGREE).toList();
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
