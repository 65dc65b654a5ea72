package dev.knet.dataplane.netns;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NetnsNamesTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
            "node namespace, knet-c1-node1, true",
            "pod namespace with underscore, knet-c1-pod_a, true",
            "bare prefix, knet-, false",
            "foreign runtime namespace, cni-1234-5678, false",
            "parent directory, knet-../x, false",
            "slash, knet-a/b, false",
            "root by pid, /proc/1/ns/net, false",
            "upper case prefix, KNET-a, false"})
    void onlyKnetNamesAreAccepted(String name, String candidate, boolean valid) {
        assertThat(NetnsNames.isKnet(candidate)).as(name).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "run dir, /run/netns/knet-a-p1, knet-a-p1",
            "var run dir, /var/run/netns/knet-a-p1, knet-a-p1"})
    void pathsMapToNames(String name, String path, String expected) {
        assertThat(NetnsNames.fromPath(path)).as(name).isEqualTo(expected);
    }
}
