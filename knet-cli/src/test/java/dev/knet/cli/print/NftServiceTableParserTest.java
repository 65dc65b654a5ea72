package dev.knet.cli.print;

import dev.knet.cli.print.NodeServiceTable.VipPort;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NftServiceTableParserTest {

    private static String fixture() throws IOException {
        try (InputStream in = NftServiceTableParserTest.class.getResourceAsStream("services-table.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SortedSet<String> set(String... values) {
        return new TreeSet<>(Set.of(values));
    }

    @Test
    void readsBackendsPerVipPortAndTheRejectingKeys() throws IOException {
        NodeServiceTable table = NftServiceTableParser.parse(fixture());

        assertThat(table.backends()).isEqualTo(Map.of(
                new VipPort("10.96.0.10", "tcp", 53), set("10.244.0.2:53", "10.244.1.2:53"),
                new VipPort("10.96.0.10", "udp", 53), set("10.244.0.2:53", "10.244.1.2:53"),
                new VipPort("10.96.0.11", "tcp", 80), set("10.244.0.3:8080"),
                new VipPort("198.18.0.200", "tcp", 80), set("10.244.0.3:8080"),
                VipPort.nodePort("tcp", 30000), set("10.244.0.3:8080")));
        assertThat(table.noEndpoints()).containsExactlyInAnyOrder(
                new VipPort("10.96.0.12", "udp", 53), new VipPort("10.96.0.15", "tcp", 443));
    }

    /**
     * services-table-golden.json is what {@code nft -j list table ip knet-services} printed after loading the
     * agent's golden ruleset (knet-agent's ServiceRulesetGoldenTest) into a scratch namespace: NodePorts under
     * both policies, a Local-policy LoadBalancer address without a local endpoint, and pod-only routes.
     */
    @Test
    void readsNodePortsAndLocalPolicyDropsFromTheAgentsGoldenTable() throws IOException {
        String json;
        try (InputStream in = NftServiceTableParserTest.class.getResourceAsStream("services-table-golden.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        NodeServiceTable table = NftServiceTableParser.parse(json);

        assertThat(table.backends()).containsEntry(VipPort.nodePort("tcp", 30080), set("10.244.2.6:8080"))
                .containsEntry(VipPort.nodePort("tcp", 30083), set("10.244.2.21:8080"))
                .as("the pod-only route of 30081 (two endpoints) is not what outside clients get")
                .containsEntry(VipPort.nodePort("tcp", 30081), set("10.244.1.7:8080"))
                .containsEntry(new VipPort("10.96.0.10", "tcp", 80), set("10.244.1.5:8080", "10.244.2.5:8080"));
        assertThat(table.noEndpoints()).contains(VipPort.nodePort("tcp", 30082), VipPort.nodePort("tcp", 30084),
                new VipPort("198.18.0.101", "tcp", 80), new VipPort("10.96.0.11", "udp", 53));
        assertThat(table.backends()).doesNotContainKeys(VipPort.nodePort("tcp", 30082), VipPort.nodePort("tcp", 30084));
    }

    @Test
    void bucketsWithoutAServiceIpsElementAreNotProgrammed() throws IOException {
        // 10.96.0.99 has a bucket in the fixture but no service-ips element: no packet reaches it.
        assertThat(NftServiceTableParser.parse(fixture()).backends()).doesNotContainKey(new VipPort("10.96.0.99", "tcp", 80));
    }

    @Test
    void aTableWithoutMapsIsEmpty() {
        assertThat(NftServiceTableParser.parse("{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"knet-services\"}}]}"))
                .isEqualTo(NodeServiceTable.EMPTY);
    }

    @Test
    void textThatIsNotJsonIsRefusedWithItsCause() {
        assertThatThrownBy(() -> NftServiceTableParser.parse("table ip knet-services {"))
                .isInstanceOf(NftServiceTableParser.MalformedTableException.class)
                .hasCauseInstanceOf(tools.jackson.core.JacksonException.class);
    }
}
