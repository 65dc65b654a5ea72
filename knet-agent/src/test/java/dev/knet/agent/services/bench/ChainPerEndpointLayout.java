package dev.knet.agent.services.bench;

import dev.knet.agent.services.Backend;
import dev.knet.dataplane.nft.NftFamily;
import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftObject.Chain;
import dev.knet.dataplane.nft.NftObject.ChainType;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftObject.Hook;
import dev.knet.dataplane.nft.NftObject.KeySpec;
import dev.knet.dataplane.nft.NftObject.NftMap;
import dev.knet.dataplane.nft.NftObject.Rule;
import dev.knet.dataplane.nft.NftObject.SetOptions;
import dev.knet.dataplane.nft.NftTransaction;
import java.util.List;
import java.util.Map;

/**
 * The peer for the load benchmark: kube-proxy's nftables layout, one chain per service port and one per
 * endpoint (a numgen vmap picks the endpoint chain, which marks hairpin traffic and DNATs).
 */
final class ChainPerEndpointLayout {

    static final NftObject.Table TABLE = new NftObject.Table(NftFamily.IP, "kube-proxy-peer");

    private ChainPerEndpointLayout() {
    }

    /** vip is "ip . proto . port"; backends per service port in a stable order. */
    static NftTransaction full(Map<String, List<Backend>> services) {
        NftTransaction tx = new NftTransaction().add(TABLE).delete(TABLE).add(TABLE);
        tx.add(new NftMap(TABLE, "service-ips", KeySpec.type("ipv4_addr . inet_proto . inet_service"), "verdict", SetOptions.NONE));
        tx.add(Chain.regular(TABLE, "mark-for-masquerade"));
        tx.add(new Rule(TABLE, "mark-for-masquerade", "meta mark set meta mark | 0x4000"));
        tx.add(Chain.regular(TABLE, "services"));
        tx.add(new Rule(TABLE, "services", "ip daddr . meta l4proto . th dport vmap @service-ips"));
        tx.add(Chain.base(TABLE, "nat-prerouting", ChainType.NAT, Hook.PREROUTING, -100));
        tx.add(new Rule(TABLE, "nat-prerouting", "jump services"));
        int s = 0;
        for (var e : services.entrySet()) {
            String svcChain = "service-" + s;
            List<Backend> backends = e.getValue();
            StringBuilder vmap = new StringBuilder("numgen random mod " + backends.size() + " vmap { ");
            for (int i = 0; i < backends.size(); i++) {
                String epChain = "endpoint-" + s + "-" + i;
                Backend b = backends.get(i);
                tx.add(Chain.regular(TABLE, epChain));
                tx.add(new Rule(TABLE, epChain, "ip saddr " + b.ip() + " jump mark-for-masquerade"));
                tx.add(new Rule(TABLE, epChain, "meta l4proto tcp dnat to " + b.ip() + ":" + b.port()));
                vmap.append(i == 0 ? "" : ", ").append(i).append(" : goto ").append(epChain);
            }
            tx.add(Chain.regular(TABLE, svcChain));
            tx.add(new Rule(TABLE, svcChain, vmap.append(" }").toString()));
            tx.add(Element.of(TABLE, "service-ips", e.getKey(), "goto " + svcChain));
            s++;
        }
        return tx;
    }
}
