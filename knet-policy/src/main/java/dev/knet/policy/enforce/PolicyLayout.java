package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.NftFamily;
import dev.knet.dataplane.nft.NftObject;
import dev.knet.policy.Direction;
import dev.knet.policy.Tier;

/** Names of the policy table's fixed objects; see the package documentation for the layout. */
public final class PolicyLayout {

    public static final NftObject.Table TABLE = new NftObject.Table(NftFamily.INET, "knet-policy");
    public static final String FORWARD = "forward";
    public static final String HAIRPIN = "hairpin";
    /** Priority of the forward chain: filter (0), after the service proxy's DNAT in prerouting. */
    public static final int PRIORITY = 0;
    public static final String LOG_PREFIX = "knet-drop:";

    private PolicyLayout() {
    }

    /** "egress-pods" / "ingress-pods": pod to the first tier chain that has a policy for it. */
    public static String dispatchMap(Direction direction) {
        return direction.word() + "-pods";
    }

    /** "egress-admin", "ingress-np", "egress-baseline". */
    public static String tierChain(Direction direction, Tier tier) {
        return direction.word() + "-" + switch (tier) {
            case ADMIN -> "admin";
            case NETWORK_POLICY -> "np";
            case BASELINE -> "baseline";
            case DEFAULT -> throw new IllegalArgumentException("the default tier has no chain");
        };
    }
}
