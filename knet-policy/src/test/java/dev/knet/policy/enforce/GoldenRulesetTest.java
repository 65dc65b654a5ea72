package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.FakeNftables;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole generated table for a small scenario, as the fake dumps it after loading the transaction. */
class GoldenRulesetTest {

    @Test
    void nodeN0RulesetForTheScenario() throws Exception {
        var objects = Scenario.parse(Scenario.TWO_NAMESPACES, Scenario.NP_DB, Scenario.NP_WEB_EGRESS,
                Scenario.ADMIN_DENY_DEV_TO_PROD, Scenario.ADMIN_PASS_ALL, Scenario.BASELINE_DENY_ALL);
        var generator = new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, new DropReasons());
        FakeNftables fake = new FakeNftables();
        fake.run(generator.generate(objects, "n0", Scenario::veth).fullTransaction());
        assertThat(fake.dump()).isEqualTo("""
                add table inet knet-policy
                add chain inet knet-policy egress-admin
                add chain inet knet-policy egress-baseline
                add chain inet knet-policy egress-np
                add chain inet knet-policy egress-np-0
                add chain inet knet-policy forward { type filter hook forward priority 0 ; }
                add chain inet knet-policy ingress-admin
                add chain inet knet-policy ingress-admin-0
                add chain inet knet-policy ingress-baseline
                add chain inet knet-policy ingress-baseline-0
                add chain inet knet-policy ingress-np
                add chain inet knet-policy ingress-np-0
                add map inet knet-policy egress-np-classes { type ifname : verdict ; }
                add map inet knet-policy egress-pods { type ifname : verdict ; }
                add set inet knet-policy hairpin { type ifname . ifname ; }
                add map inet knet-policy ingress-admin-classes { type ifname : verdict ; }
                add map inet knet-policy ingress-baseline-classes { type ifname : verdict ; }
                add map inet knet-policy ingress-np-classes { type ifname : verdict ; }
                add map inet knet-policy ingress-pods { type ifname : verdict ; }
                add set inet knet-policy named-0 { type ipv4_addr . inet_proto . inet_service ; }
                add set inet knet-policy peer-0 { type ipv4_addr ; flags interval ; }
                add set inet knet-policy peer-1 { type ipv4_addr ; }
                add set inet knet-policy peer-2 { type ipv4_addr ; flags interval ; }
                add set inet knet-policy peer-3 { type ipv4_addr ; flags interval ; }
                add rule inet knet-policy egress-admin goto egress-np
                add rule inet knet-policy egress-np iifname vmap @egress-np-classes
                add rule inet knet-policy egress-np goto egress-baseline
                add rule inet knet-policy egress-np-0 meta l4proto udp th dport 53 return
                add rule inet knet-policy egress-np-0 ip daddr 10.244.1.11 meta l4proto tcp th dport 5432 return
                add rule inet knet-policy egress-np-0 counter log prefix "knet-drop:1 " group 100 drop
                add rule inet knet-policy forward ct state established,related accept
                add rule inet knet-policy forward ct state invalid drop
                add rule inet knet-policy forward iifname . oifname @hairpin accept
                add rule inet knet-policy forward iifname vmap @egress-pods
                add rule inet knet-policy forward oifname vmap @ingress-pods
                add rule inet knet-policy ingress-admin oifname vmap @ingress-admin-classes
                add rule inet knet-policy ingress-admin goto ingress-np
                add rule inet knet-policy ingress-admin-0 ip saddr @peer-0 goto ingress-np
                add rule inet knet-policy ingress-admin-0 ip saddr 10.244.2.10/31 counter log prefix "knet-drop:2 " group 100 drop
                add rule inet knet-policy ingress-admin-0 goto ingress-np
                add rule inet knet-policy ingress-baseline oifname vmap @ingress-baseline-classes
                add rule inet knet-policy ingress-baseline-0 ip saddr @peer-0 counter log prefix "knet-drop:4 " group 100 drop
                add rule inet knet-policy ingress-np oifname vmap @ingress-np-classes
                add rule inet knet-policy ingress-np goto ingress-baseline
                add rule inet knet-policy ingress-np-0 ip saddr @peer-3 meta l4proto tcp th dport 6000-6010 return
                add rule inet knet-policy ingress-np-0 ip saddr @peer-3 ip daddr . meta l4proto . th dport @named-0 return
                add rule inet knet-policy ingress-np-0 counter log prefix "knet-drop:3 " group 100 drop
                add element inet knet-policy egress-np-classes { "kp-web" : goto egress-np-0 }
                add element inet knet-policy egress-pods { "kp-web" : jump egress-np }
                add element inet knet-policy hairpin { "kp-db" . "kp-db" }
                add element inet knet-policy hairpin { "kp-web" . "kp-web" }
                add element inet knet-policy ingress-admin-classes { "kp-db" : goto ingress-admin-0 }
                add element inet knet-policy ingress-admin-classes { "kp-web" : goto ingress-admin-0 }
                add element inet knet-policy ingress-baseline-classes { "kp-db" : goto ingress-baseline-0 }
                add element inet knet-policy ingress-baseline-classes { "kp-web" : goto ingress-baseline-0 }
                add element inet knet-policy ingress-np-classes { "kp-db" : goto ingress-np-0 }
                add element inet knet-policy ingress-pods { "kp-db" : jump ingress-admin }
                add element inet knet-policy ingress-pods { "kp-web" : jump ingress-admin }
                add element inet knet-policy named-0 { 10.244.1.11 . tcp . 5432 }
                add element inet knet-policy peer-0 { 10.244.1.10/31 }
                add element inet knet-policy peer-0 { 10.244.2.10/31 }
                add element inet knet-policy peer-1 { 10.244.1.10 }
                add element inet knet-policy peer-1 { 10.244.2.10 }
                add element inet knet-policy peer-2 { 192.168.0.0/24 }
                add element inet knet-policy peer-2 { 192.168.2.0-192.168.255.255 }
                add element inet knet-policy peer-3 { 10.244.1.10 }
                add element inet knet-policy peer-3 { 10.244.2.10 }
                add element inet knet-policy peer-3 { 192.168.0.0/24 }
                add element inet knet-policy peer-3 { 192.168.2.0-192.168.255.255 }
                """);
    }
}
