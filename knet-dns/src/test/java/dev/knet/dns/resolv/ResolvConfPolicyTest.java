package dev.knet.dns.resolv;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The resolv.conf the kubelet writes per dnsPolicy, hostNetwork and dnsConfig (kubelet
 * pkg/kubelet/network/dns: cluster search path and ndots:5 for ClusterFirst, the node's file for
 * Default, nothing but dnsConfig for None; dnsConfig appended without duplicates, options
 * overriding by name; at most 3 nameservers and 32 search domains).
 */
class ResolvConfPolicyTest {

    private static final String DNS = "10.96.0.10";
    private static final ResolvConf NODE = new ResolvConf(List.of("192.0.2.1"), List.of("node.example"),
            List.of("ndots:1", "timeout:2"));
    private static final List<String> CLUSTER_SEARCH = List.of("team.svc.cluster.local", "svc.cluster.local",
            "cluster.local", "node.example");

    private record Row(String name, String policy, boolean hostNetwork, PodDNSConfig dnsConfig, String clusterDns,
                       ResolvConf want) {
    }

    private static ResolvConf conf(List<String> servers, List<String> searches, List<String> options) {
        return new ResolvConf(servers, searches, options);
    }

    private static PodDNSConfig dnsConfig(List<String> servers, List<String> searches, List<PodDNSConfigOption> options) {
        return new PodDNSConfigBuilder().withNameservers(servers).withSearches(searches).withOptions(options).build();
    }

    private static PodDNSConfigOption option(String name, String value) {
        return new PodDNSConfigOption(name, value);
    }

    static List<Row> rows() {
        ResolvConf cluster = conf(List.of(DNS), CLUSTER_SEARCH, List.of("ndots:5"));
        List<String> many = IntStream.range(0, 40).mapToObj(i -> "d" + i + ".example").toList();
        List<String> first29 = many.subList(0, 28);
        List<String> thirtyTwo = new ArrayList<>(CLUSTER_SEARCH);
        thirtyTwo.addAll(first29);
        return List.of(
                new Row("no policy means ClusterFirst", null, false, null, DNS, cluster),
                new Row("ClusterFirst: cluster DNS, namespace search path then the node's, ndots:5", "ClusterFirst",
                        false, null, DNS, cluster),
                new Row("ClusterFirst on the host network falls back to Default", "ClusterFirst", true, null, DNS, NODE),
                new Row("ClusterFirstWithHostNet on the host network uses the cluster DNS", "ClusterFirstWithHostNet",
                        true, null, DNS, cluster),
                new Row("ClusterFirstWithHostNet off the host network is ClusterFirst", "ClusterFirstWithHostNet",
                        false, null, DNS, cluster),
                new Row("ClusterFirst without a cluster DNS configured falls back to Default", "ClusterFirst", false,
                        null, "", NODE),
                new Row("Default: the node's file, options included", "Default", false, null, DNS, NODE),
                new Row("Default on the host network: the node's file", "Default", true, null, DNS, NODE),
                new Row("None without dnsConfig: empty", "None", false, null, DNS, ResolvConf.empty()),
                new Row("None: only dnsConfig", "None", false, dnsConfig(List.of("1.2.3.4"), List.of("a.example", "b.example"),
                        List.of(option("ndots", "2"), option("edns0", null))), DNS,
                        conf(List.of("1.2.3.4"), List.of("a.example", "b.example"), List.of("ndots:2", "edns0"))),
                new Row("ClusterFirst + dnsConfig: appended, duplicates dropped, options overridden by name",
                        "ClusterFirst", false, dnsConfig(List.of("1.2.3.4", DNS), List.of("cluster.local", "extra.example"),
                        List.of(option("ndots", "2"), option("single-request-reopen", null))), DNS,
                        conf(List.of(DNS, "1.2.3.4"), concat(CLUSTER_SEARCH, "extra.example"),
                                List.of("ndots:2", "single-request-reopen"))),
                new Row("Default + dnsConfig: the node's options overridden, others kept", "Default", false,
                        dnsConfig(List.of(), List.of(), List.of(option("timeout", "5"))), DNS,
                        conf(List.of("192.0.2.1"), List.of("node.example"), List.of("ndots:1", "timeout:5"))),
                new Row("more than 3 nameservers: the first 3 kept", "ClusterFirst", false,
                        dnsConfig(List.of("1.1.1.1", "2.2.2.2", "3.3.3.3"), List.of(), List.of()), DNS,
                        conf(List.of(DNS, "1.1.1.1", "2.2.2.2"), CLUSTER_SEARCH, List.of("ndots:5"))),
                new Row("more than 32 search domains: the first 32 kept", "ClusterFirst", false,
                        dnsConfig(List.of(), many, List.of()), DNS, conf(List.of(DNS), thirtyTwo, List.of("ndots:5"))),
                new Row("trailing dots dropped from search domains", "None", false,
                        dnsConfig(List.of("1.2.3.4"), List.of("fqdn.example.", "fqdn.example"), List.of()), DNS,
                        conf(List.of("1.2.3.4"), List.of("fqdn.example"), List.of())));
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> out = new ArrayList<>(list);
        out.add(last);
        return out;
    }

    private static Pod pod(String policy, boolean hostNetwork, PodDNSConfig dnsConfig) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("team").endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork).withDnsConfig(dnsConfig).endSpec().build();
    }

    @TestFactory
    Stream<DynamicTest> policies() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            ResolvConf got = ResolvConf.forPod(pod(row.policy(), row.hostNetwork(), row.dnsConfig()), row.clusterDns(),
                    "cluster.local", NODE);
            assertThat(got).isEqualTo(row.want());
            assertThat(ResolvConf.parse(got.render())).as("render and parse round-trip").isEqualTo(got);
        }));
    }

    @Test
    void unknownPolicyIsRejected() {
        assertThatThrownBy(() -> ResolvConf.forPod(pod("Sometimes", false, null), DNS, "cluster.local", NODE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Sometimes");
    }
}
