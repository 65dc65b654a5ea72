package dev.knet.policy;

import dev.knet.model.net.Cidr;

import java.util.List;

/**
 * One peer of a compiled rule. Pod membership is a precomputed atom bit per pod (see
 * {@link AtomTable}); only addresses outside the cluster are matched against CIDRs per flow.
 */
public sealed interface PeerMatcher {

    String description();

    /** Pods selected by namespace and pod selectors; never an address outside the cluster. */
    record Pods(int atom, String description) implements PeerMatcher {
    }

    /** An ipBlock / networks entry: applies to pod IPs too (through the atom) and to external IPs. */
    record Block(int atom, Cidr cidr, List<Cidr> except, String description) implements PeerMatcher {

        public boolean containsIp(byte[] ip) {
            if (!cidr.contains(ip)) {
                return false;
            }
            for (Cidr e : except) {
                if (e.contains(ip)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A peer the model cannot understand, for a Deny/Pass rule: fail closed by matching everything. */
    record Everything(String description) implements PeerMatcher {
    }
}
