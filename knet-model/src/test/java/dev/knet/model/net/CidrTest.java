package dev.knet.model.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @Test
    void cutsSubnetsAndIndexesAddresses() {
        Cidr cluster = Cidr.parse("10.244.0.0/16");
        Cidr node3 = cluster.subnet(24, 3);
        assertThat(node3).hasToString("10.244.3.0/24");
        assertThat(node3.addressStringAt(2)).isEqualTo("10.244.3.2");
        assertThat(node3.indexOf(IpAddresses.parse("10.244.3.200"))).isEqualTo(200);
        assertThat(cluster.contains("10.244.9.9")).isTrue();
        assertThat(cluster.contains("10.245.0.1")).isFalse();
    }

    @Test
    void normalisesHostBitsAndHandlesIpv6() {
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
        Cidr v6 = Cidr.parse("fd00:10:244::/56");
        assertThat(v6.subnet(64, 1)).hasToString("fd00:10:244:1::/64");
        assertThat(v6.contains("fd00:10:244:1::5")).isTrue();
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("exceeds 32");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("invalid IP address");
        assertThatThrownBy(() -> Cidr.parse("256.0.0.1/8")).hasMessageContaining("invalid IP address");
    }
}
