package dev.knet.lab;

import java.util.Map;

/**
 * Programs node-to-node pod routing from the nodes' pod CIDRs (node name to podCIDR). Called with
 * the full picture every time (level-triggered), so a missed or repeated call heals itself.
 */
public interface PodCidrReconciler {

    void reconcile(Map<String, String> podCidrs);

    /**
     * Forgets what was programmed, so the next {@link #reconcile} re-applies every entry (all applies
     * are idempotent). Called now and then to repair drift, e.g. a route someone deleted by hand.
     */
    void forget();
}
