package dev.knet.cli.light;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which command lines the light client takes, and what it reads from them; null: the full CLI's. */
class LightArgsTest {

    static Stream<Arguments> lines() {
        Map<String, String> none = Map.of();
        Map<String, String> env = Map.of("KNET_CLUSTER", "fromenv");
        return Stream.of(
                Arguments.of("get pods", List.of("get", "pods"), none, new LightArgs("knet", "pods", null, false)),
                Arguments.of("cluster from KNET_CLUSTER", List.of("get", "pods"), env,
                        new LightArgs("fromenv", "pods", null, false)),
                Arguments.of("--name beats KNET_CLUSTER", List.of("--name", "a", "get", "svc"), env,
                        new LightArgs("a", "svc", null, false)),
                Arguments.of("--name= after the kind", List.of("get", "nodes", "--name=b"), none,
                        new LightArgs("b", "nodes", null, false)),
                Arguments.of("-n", List.of("get", "pods", "-n", "kube-system"), none,
                        new LightArgs("knet", "pods", "kube-system", false)),
                Arguments.of("--namespace before the kind", List.of("get", "--namespace", "x", "po"), none,
                        new LightArgs("knet", "po", "x", false)),
                Arguments.of("--namespace=", List.of("get", "pods", "--namespace=x"), none,
                        new LightArgs("knet", "pods", "x", false)),
                Arguments.of("-A", List.of("get", "pods", "-A"), none, new LightArgs("knet", "pods", null, true)),
                Arguments.of("-A and -n both kept", List.of("get", "pods", "--all-namespaces", "-n", "x"), none,
                        new LightArgs("knet", "pods", "x", true)),
                Arguments.of("another verb", List.of("apply", "-f", "x.yaml"), none, null),
                Arguments.of("get alone", List.of("get"), none, null),
                Arguments.of("nothing", List.of(), none, null),
                Arguments.of("a name", List.of("get", "pods", "web-1"), none, null),
                Arguments.of("-o wide", List.of("get", "pods", "-o", "wide"), none, null),
                Arguments.of("-l", List.of("get", "pods", "-l", "app=web"), none, null),
                Arguments.of("--state-dir", List.of("--state-dir", "/s", "get", "pods"), none, null),
                Arguments.of("-n twice", List.of("get", "pods", "-n", "a", "-n", "b"), none, null),
                Arguments.of("-A twice", List.of("get", "pods", "-A", "-A"), none, null),
                Arguments.of("--name twice", List.of("--name", "a", "get", "pods", "--name", "b"), none, null),
                Arguments.of("-n without a value", List.of("get", "pods", "-n"), none, null),
                Arguments.of("-n then an option", List.of("get", "pods", "-n", "-A"), none, null),
                Arguments.of("attached -nNS", List.of("get", "pods", "-nx"), none, null),
                Arguments.of("empty --name", List.of("--name=", "get", "pods"), none, null),
                Arguments.of("--help", List.of("get", "--help"), none, null),
                Arguments.of("get twice", List.of("get", "get"), none, new LightArgs("knet", "get", null, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void parses(String name, List<String> args, Map<String, String> env, LightArgs expected) {
        assertThat(LightArgs.parse(args.toArray(String[]::new), env)).isEqualTo(expected);
    }
}
