package dev.knet.cni.runtime;

import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.NetworkConfigList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class NetworkConfigListTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                argumentSet("conflist", """
                        {"cniVersion":"1.0.0","name":"a","plugins":[{"type":"bridge"},{"type":"portmap"}]}""", "1.0.0", 2),
                argumentSet("cniVersions picks highest supported", """
                        {"cniVersion":"0.4.0","cniVersions":["1.0.0","1.1.0","9.0.0"],"name":"a","plugins":[{"type":"x"}]}""", "1.1.0", 1),
                argumentSet("single .conf is wrapped", """
                        {"cniVersion":"0.4.0","name":"a","type":"bridge","bridge":"cni0"}""", "0.4.0", 1));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parses(String json, String version, int plugins) {
        NetworkConfigList list = NetworkConfigList.parse(json);
        assertThat(list.cniVersion()).isEqualTo(version);
        assertThat(list.plugins()).hasSize(plugins);
        assertThat(list.name()).isEqualTo("a");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                argumentSet("no name", "{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"x\"}]}", 7),
                argumentSet("no plugins", "{\"cniVersion\":\"1.0.0\",\"name\":\"a\",\"plugins\":[]}", 7),
                argumentSet("plugin without type", "{\"cniVersion\":\"1.0.0\",\"name\":\"a\",\"plugins\":[{}]}", 7),
                argumentSet("no version", "{\"name\":\"a\",\"plugins\":[{\"type\":\"x\"}]}", 7),
                argumentSet("not JSON", "{name", 6),
                argumentSet("not an object", "[1]", 6));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejects(String json, int code) {
        CniException e = catchThrowableOfType(CniException.class, () -> NetworkConfigList.parse(json));
        assertThat(e.code()).isEqualTo(code);
    }
}
