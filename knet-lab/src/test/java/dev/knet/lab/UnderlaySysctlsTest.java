package dev.knet.lab;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.Sysctls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The underlay's bridge netfilter switch, on kernels with and without br_netfilter. */
class UnderlaySysctlsTest {

    private static final String UL = "knet-us-underlay";

    /** A namespace's /proc/sys: only the keys the kernel has exist; they start at the kernel default. */
    static final class Kernel implements Sysctls {
        final Map<String, String> values = new HashMap<>();
        boolean readOnly;

        @Override
        public void set(String netns, String key, String value) {
            assertThat(netns).isEqualTo(UL);
            if (!values.containsKey(key)) {
                throw new DataplaneException(DataplaneException.Kind.NOT_FOUND, "sysctl: cannot stat " + key);
            }
            if (readOnly) {
                throw new DataplaneException(DataplaneException.Kind.PERMISSION, "sysctl: permission denied " + key);
            }
            values.put(key, value);
        }

        @Override
        public String get(String netns, String key) {
            return values.get(key);
        }
    }

    record Row(String name, Map<String, String> before, Map<String, String> after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        Map<String, String> on = Map.of("net.bridge.bridge-nf-call-iptables", "1",
                "net.bridge.bridge-nf-call-ip6tables", "1", "net.bridge.bridge-nf-call-arptables", "1",
                "net.ipv4.ip_forward", "1");
        Map<String, String> off = Map.of("net.bridge.bridge-nf-call-iptables", "0",
                "net.bridge.bridge-nf-call-ip6tables", "0", "net.bridge.bridge-nf-call-arptables", "0",
                "net.ipv4.ip_forward", "1");
        return Stream.of(
                new Row("br_netfilter loaded: all three families off, nothing else touched", on, off),
                new Row("already off (an adopted lab): stays off", off, off),
                new Row("no br_netfilter: no keys, nothing to do", Map.of("net.ipv4.ip_forward", "1"),
                        Map.of("net.ipv4.ip_forward", "1")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void turnsBridgeNetfilterOffWhereItExists(Row row) {
        Kernel kernel = new Kernel();
        kernel.values.putAll(row.before());

        UnderlaySysctls.apply(kernel, UL);

        assertThat(kernel.values).containsExactlyInAnyOrderEntriesOf(row.after());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anyOtherFailureIsReported(Row row) {
        Kernel kernel = new Kernel();
        kernel.values.putAll(row.before());
        kernel.readOnly = true;

        if (Set.copyOf(UnderlaySysctls.BRIDGE_NETFILTER).stream().anyMatch(kernel.values::containsKey)) {
            assertThatThrownBy(() -> UnderlaySysctls.apply(kernel, UL))
                    .isInstanceOf(DataplaneException.class).hasMessageContaining("permission denied");
        } else {
            UnderlaySysctls.apply(kernel, UL);
            assertThat(kernel.values).containsExactlyInAnyOrderEntriesOf(row.before());
        }
    }
}
