package dev.knet.policy.enforce;

import dev.knet.dataplane.sync.BoundedFrequencyRunner;
import dev.knet.dataplane.nft.NftTransaction;
import dev.knet.dataplane.nft.Nftables;
import dev.knet.policy.ClusterSnapshot;
import dev.knet.policy.PodUniverse;
import dev.knet.policy.PolicyException;
import dev.knet.policy.PolicyIndex;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The policy enforcement sync loop of one node, shaped like the service proxy's: events only feed the change
 * tracker and request a sync; a bounded-frequency runner merges bursts; nothing is written until the initial
 * lists are known; every sync that changes anything replaces the whole {@code inet knet-policy} table in one
 * nft transaction (atomic: no packet ever sees a half-written ruleset); a failing sync never stops the loop:
 * it is logged, counted and retried with backoff.
 *
 * <p>Existing connections: {@code ct state established,related accept} comes first, so a flow admitted before
 * a policy change keeps flowing until conntrack forgets it; only new connections see the new policy.
 * Kubernetes leaves this implementation-defined; knet does not flush conntrack entries of newly denied flows.
 */
public final class PolicyEnforcer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEnforcer.class);

    /** Tuning of the loop; {@link #DEFAULT} suits a node agent. */
    public record Config(Duration minSyncInterval, Duration initialBackoff, Duration maxBackoff) {
        public static final Config DEFAULT = new Config(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** What the loop has done so far: for tests, status endpoints and logs. */
    public record SyncStatus(long syncs, long failures, long skippedPolicies, long appliedGeneration, long rules,
                             long elements) {
    }

    private final String node;
    private final Function<Pod, String> interfaceOf;
    private final Nftables nft;
    private final Config config;
    private final DropReasons reasons;
    private final PolicyRulesetGenerator generator;
    private final PolicyChangeTracker tracker = new PolicyChangeTracker();
    private final ScheduledExecutorService executor;
    private final BoundedFrequencyRunner runner;

    // touched only on the sync thread, except through status()
    private PolicyRuleset applied;
    private boolean needFull = true;
    private Duration backoff;
    private volatile SyncStatus status = new SyncStatus(0, 0, 0, -1, 0, 0);

    /**
     * @param node        this node's name: its pods are those with {@code spec.nodeName} equal to it
     * @param interfaceOf the host-side veth name of a pod on this node (the CNI plugin's naming)
     * @param nft         nftables of the node's network namespace
     * @param reasons     shared with the flow-log reader that explains drops
     */
    public PolicyEnforcer(String node, Function<Pod, String> interfaceOf, Nftables nft, DropReasons reasons,
                          PolicyRulesetGenerator.Options options, Config config) {
        this.node = Objects.requireNonNull(node, "node");
        this.interfaceOf = Objects.requireNonNull(interfaceOf, "interfaceOf");
        this.nft = Objects.requireNonNull(nft, "nft");
        this.reasons = Objects.requireNonNull(reasons, "reasons");
        this.config = Objects.requireNonNull(config, "config");
        this.generator = new PolicyRulesetGenerator(Objects.requireNonNull(options, "options"), reasons);
        this.backoff = config.initialBackoff();
        // a platform thread of its own: syncs are serialised and never block the event threads
        this.executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("knet-policy-enforcer").daemon().factory());
        this.runner = new BoundedFrequencyRunner(this::sync, config.minSyncInterval(), executor);
    }

    /** A Namespace, Pod, NetworkPolicy or ClusterNetworkPolicy was added or changed; other kinds are ignored. */
    public void onUpdate(HasMetadata object) {
        if (tracker.update(object)) {
            runner.request();
        }
    }

    public void onDelete(HasMetadata object) {
        if (tracker.delete(object)) {
            runner.request();
        }
    }

    /** Call once the initial lists of all four kinds have been fed. */
    public void markSynced() {
        tracker.markSynced();
        runner.request();
    }

    public SyncStatus status() {
        return status;
    }

    public DropReasons reasons() {
        return reasons;
    }

    private void sync() {
        if (!tracker.isSynced()) {
            return;
        }
        PolicyChangeTracker.Snapshot snap = tracker.snapshot();
        long start = System.nanoTime();
        SyncStatus s = status;
        try {
            ClusterSnapshot cluster = ClusterSnapshot.of(snap.objects());
            PolicyIndex index = new PolicyIndex(PodUniverse.of(cluster));
            long skipped = putAll(index, cluster);
            List<LocalPod> local = PolicyRulesetGenerator.localPods(snap.objects(), node, interfaceOf);
            PolicyRuleset want = generator.generate(index, local);
            if (!needFull && want.equals(applied)) {
                status = new SyncStatus(s.syncs(), s.failures(), skipped, snap.generation(), s.rules(), s.elements());
                return; // nothing changed since the last write: no transaction at all
            }
            NftTransaction tx = want.fullTransaction();
            if (LOG.isTraceEnabled()) {
                LOG.trace("policy transaction:\n{}", tx);
            }
            nft.run(tx);
            applied = want;
            needFull = false;
            backoff = config.initialBackoff();
            reasons.update(index);
            status = new SyncStatus(s.syncs() + 1, s.failures(), skipped, snap.generation(), want.ruleCount(),
                    want.elementCount());
            LOG.info("policy sync on {}: {} local pods, {} policies, {} rules, {} elements in {} ms", node, local.size(),
                    index.policies().size(), want.ruleCount(), want.elementCount(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
        } catch (Exception e) {
            // never let the loop die: the next attempt rewrites everything, after a growing pause
            LOG.warn("policy sync on {} failed, retrying in {} ms", node, backoff.toMillis(), e);
            needFull = true;
            status = new SyncStatus(s.syncs(), s.failures() + 1, s.skippedPolicies(), s.appliedGeneration(), s.rules(),
                    s.elements());
            runner.requestAfter(backoff);
            backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : backoff.multipliedBy(2);
        }
    }

    /**
     * Compiles every policy; one the model rejects is skipped and logged rather than failing the node's
     * whole ruleset (admission validation normally keeps such policies out of the store).
     */
    private static long putAll(PolicyIndex index, ClusterSnapshot cluster) {
        long skipped = 0;
        List<HasMetadata> policies = new java.util.ArrayList<>(cluster.networkPolicies());
        policies.addAll(cluster.clusterPolicies());
        for (HasMetadata policy : policies) {
            try {
                index.put(policy);
            } catch (PolicyException e) {
                LOG.warn("policy {} not enforced: {}", policy.getMetadata().getName(), e.getMessage());
                skipped++;
            }
        }
        return skipped;
    }

    /** Stops the loop; the table stays as last written (removing it would drop every isolation). */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
