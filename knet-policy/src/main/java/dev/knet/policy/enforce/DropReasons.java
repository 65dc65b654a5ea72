package dev.knet.policy.enforce;

import dev.knet.model.net.IpAddresses;
import dev.knet.policy.Decision;
import dev.knet.policy.Direction;
import dev.knet.policy.DirectionEvaluator;
import dev.knet.policy.PolicyIndex;
import dev.knet.policy.PolicyRef;
import dev.knet.policy.Protocol;
import dev.knet.policy.Reasons;
import dev.knet.policy.Tier;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the ids in drop rules' log prefixes ({@code log prefix "knet-drop:<id> "}) to what decided the drop,
 * so a flow-log reader can say why a packet died. Ids are allocated once per (policy, direction, rule) and
 * never reused within a process: a log line from before a re-sync still names the right policy. The latest
 * synced model is kept so the explanation is the model's own sentence for the packet. Thread-safe: the sync
 * loop registers, a log reader explains.
 */
public final class DropReasons {

    private final Map<DropReason.Key, DropReason> byKey = new HashMap<>();
    private final Map<Integer, DropReason> byId = new HashMap<>();
    private PolicyIndex model;
    private DirectionEvaluator evaluator;

    /** The id for this drop rule, allocating it on first use. */
    synchronized int register(Tier tier, Direction direction, PolicyRef policy, int ruleIndex, String display,
                              String ruleLabel) {
        DropReason.Key key = new DropReason.Key(policy, direction, ruleIndex);
        DropReason existing = byKey.get(key);
        if (existing != null && existing.tier() == tier && existing.policyDisplay().equals(display)
                && java.util.Objects.equals(existing.ruleLabel(), ruleLabel)) {
            return existing.id();
        }
        int id = existing != null ? existing.id() : byId.size() + 1;
        DropReason reason = new DropReason(id, tier, direction, policy, ruleIndex, display, ruleLabel);
        byKey.put(key, reason);
        byId.put(id, reason);
        return id;
    }

    /** Called after each successful sync: explanations use the model that is now enforced. */
    synchronized void update(PolicyIndex index) {
        this.model = index;
        this.evaluator = new DirectionEvaluator(index);
    }

    public synchronized Optional<DropReason> get(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The reason behind a log prefix such as "knet-drop:12 ", or empty for another prefix. */
    public Optional<DropReason> forPrefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        if (!p.startsWith(PolicyLayout.LOG_PREFIX)) {
            return Optional.empty();
        }
        try {
            return get(Integer.parseInt(p.substring(PolicyLayout.LOG_PREFIX.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public synchronized int size() {
        return byId.size();
    }

    /**
     * "dropped 10.244.1.5:42311 -> 10.244.2.7:80/TCP: x/b is isolated for ingress by x/deny-all, and no rule
     * allows x/a on TCP/80".
     */
    public synchronized String explain(String prefix, String srcIp, int srcPort, String dstIp, int dstPort,
                                       Protocol protocol) {
        String head = "dropped " + srcIp + ":" + srcPort + " -> " + dstIp + ":" + dstPort + "/" + protocol + ": ";
        Optional<DropReason> found = forPrefix(prefix);
        if (found.isEmpty()) {
            return head + "by an unknown rule (" + (prefix == null ? "no prefix" : prefix.strip()) + ")";
        }
        DropReason reason = found.get();
        boolean ingress = reason.direction() == Direction.INGRESS;
        String subjectIp = ingress ? dstIp : srcIp;
        String peerIp = ingress ? srcIp : dstIp;
        int subject = model == null ? -1 : model.universe().idOfIp(subjectIp);
        int peer = model == null ? -1 : model.universe().idOfIp(peerIp);
        String subjectName = subject >= 0 ? model.universe().pod(subject).key() : subjectIp;
        String peerName = peer >= 0 ? model.universe().pod(peer).key() : peerIp;
        if (subject >= 0) {
            Decision d = evaluator.decide(reason.direction(), subject, peer, IpAddresses.parse(peerIp), dstPort, protocol);
            if (!d.allowed()) {
                return head + Reasons.direction(d, reason.direction(), subjectName, peerName, dstPort, protocol);
            }
        }
        // the model has moved on (or never knew the pod): say what the rule itself stood for
        return head + reason.staticText(subjectName, peerName);
    }
}
