package dev.knet.dataplane;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class ProcessCommandRunnerTest {

    static Stream<Arguments> scoped() {
        return Stream.of(
                argumentSet("ip gets -n", NetnsScope.in("knet-a-n1"), List.of("ip", "link", "show"),
                        List.of("ip", "-n", "knet-a-n1", "link", "show")),
                argumentSet("bridge gets -n", NetnsScope.in("knet-a-n1"), List.of("bridge", "fdb", "show"),
                        List.of("bridge", "-n", "knet-a-n1", "fdb", "show")),
                argumentSet("sysctl runs under ip netns exec", NetnsScope.in("knet-a-n1"),
                        List.of("sysctl", "-w", "net.ipv4.ip_forward=1"),
                        List.of("ip", "netns", "exec", "knet-a-n1", "sysctl", "-w", "net.ipv4.ip_forward=1")),
                argumentSet("admin adds a namespace", NetnsScope.admin(), List.of("ip", "netns", "add", "knet-a-n1"),
                        List.of("ip", "netns", "add", "knet-a-n1")),
                argumentSet("admin lists", NetnsScope.admin(), List.of("ip", "netns", "list"),
                        List.of("ip", "netns", "list")));
    }

    @ParameterizedTest
    @MethodSource("scoped")
    void commandLinesAlwaysNameTheNamespace(NetnsScope scope, List<String> argv, List<String> expected) {
        assertThat(ProcessCommandRunner.commandLine(scope, argv)).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                argumentSet("admin may not change links (root namespace)", (Runnable) () ->
                        ProcessCommandRunner.commandLine(NetnsScope.admin(), List.of("ip", "link", "add", "name", "x"))),
                argumentSet("admin may not delete a foreign namespace", (Runnable) () ->
                        ProcessCommandRunner.commandLine(NetnsScope.admin(), List.of("ip", "netns", "del", "cni-1234"))),
                argumentSet("no scope for a foreign namespace", (Runnable) () -> NetnsScope.in("cni-1234")),
                argumentSet("no path tricks", (Runnable) () -> NetnsScope.in("knet-../../proc/1/ns/net")),
                argumentSet("no other tools", (Runnable) () ->
                        ProcessCommandRunner.commandLine(NetnsScope.in("knet-a"), List.of("sh", "-c", "true"))));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void anythingThatCouldReachTheRootNamespaceIsRefused(Runnable attempt) {
        assertThatThrownBy(attempt::run).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> stderr() {
        return Stream.of(
                argumentSet("link exists", "RTNETLINK answers: File exists", DataplaneException.Kind.EXISTS),
                argumentSet("address exists", "Error: ipv4: Address already assigned.", DataplaneException.Kind.EXISTS),
                argumentSet("no device", "Cannot find device \"eth9\"", DataplaneException.Kind.NOT_FOUND),
                argumentSet("no route", "RTNETLINK answers: No such process", DataplaneException.Kind.NOT_FOUND),
                argumentSet("no address", "Error: ipv4: Address not found.", DataplaneException.Kind.NOT_FOUND),
                argumentSet("no netns", "Cannot open network namespace \"knet-x\": No such file or directory",
                        DataplaneException.Kind.NOT_FOUND),
                argumentSet("bad gateway", "Error: Nexthop has invalid gateway.", DataplaneException.Kind.INVALID),
                argumentSet("not root", "RTNETLINK answers: Operation not permitted", DataplaneException.Kind.PERMISSION));
    }

    @ParameterizedTest
    @MethodSource("stderr")
    void failuresAreClassifiedFromStderr(String message, DataplaneException.Kind kind) {
        DataplaneException e = DataplaneException.of(new CommandResult(List.of("ip"), 2, "", message + "\n"));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.stderr()).contains(message);
    }
}
