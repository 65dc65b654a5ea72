package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real mount wrapper's command line: a private mount namespace, a bind per volume, then exec. */
class ContainerMountsTest {

    private static final List<String> ARGV = List.of("sh", "-c", "cat /data/x");

    static Stream<Arguments> scripts() {
        return Stream.of(
                argumentSet("read-write mount", List.of(new BindMount(Path.of("/state/volumes/u1/cache"), "/data",
                        BindMount.Access.READ_WRITE)), """
                        set -e
                        [ -e '/data' ] || mkdir -p '/data'
                        mount --bind '/state/volumes/u1/cache' '/data'
                        exec "$@"
                        """),
                argumentSet("read-only mount is remounted ro", List.of(new BindMount(Path.of("/v/c"), "/etc/conf",
                        BindMount.Access.READ_ONLY)), """
                        set -e
                        [ -e '/etc/conf' ] || mkdir -p '/etc/conf'
                        mount --bind '/v/c' '/etc/conf'
                        mount -o remount,bind,ro '/etc/conf'
                        exec "$@"
                        """),
                argumentSet("quotes in paths stay one word", List.of(new BindMount(Path.of("/v/it's"), "/a b/c'd",
                        BindMount.Access.READ_WRITE)), """
                        set -e
                        [ -e '/a b/c'\\''d' ] || mkdir -p '/a b/c'\\''d'
                        mount --bind '/v/it'\\''s' '/a b/c'\\''d'
                        exec "$@"
                        """),
                argumentSet("mounts keep spec order", List.of(
                        new BindMount(Path.of("/v/outer"), "/data", BindMount.Access.READ_WRITE),
                        new BindMount(Path.of("/v/inner"), "/data/sub", BindMount.Access.READ_WRITE)), """
                        set -e
                        [ -e '/data' ] || mkdir -p '/data'
                        mount --bind '/v/outer' '/data'
                        [ -e '/data/sub' ] || mkdir -p '/data/sub'
                        mount --bind '/v/inner' '/data/sub'
                        exec "$@"
                        """));
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void mountsRunInAPrivateNamespaceBeforeTheCommand(List<BindMount> mounts, String script) {
        List<String> wrapped = ContainerMounts.privateNamespace().wrap(mounts, ARGV);

        assertThat(wrapped.subList(0, 6)).containsExactly("unshare", "--mount", "--propagation", "private", "sh", "-c");
        assertThat(wrapped.get(6)).isEqualTo(script);
        assertThat(wrapped.subList(7, wrapped.size())).containsExactly("knet-mounts", "sh", "-c", "cat /data/x");
    }

    @Test
    void aHostnameGivesTheCommandItsOwnUtsNamespaceNamedSo() {
        List<String> wrapped = ContainerMounts.privateNamespace().wrap(List.of(), "dns-querier-1", ARGV);

        assertThat(wrapped.subList(0, 7)).containsExactly("unshare", "--mount", "--uts", "--propagation", "private",
                "sh", "-c");
        assertThat(wrapped.get(7)).isEqualTo("""
                set -e
                printf %s 'dns-querier-1' > /proc/sys/kernel/hostname
                exec "$@"
                """);
        assertThat(wrapped.subList(8, wrapped.size())).containsExactly("knet-mounts", "sh", "-c", "cat /data/x");
    }

    @Test
    void noMountsLeavesTheCommandAlone() {
        assertThat(ContainerMounts.privateNamespace().wrap(List.of(), ARGV)).isEqualTo(ARGV);
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "/", "/data/../etc", "/.."})
    void mountPathsMustBeAbsoluteAndStayPut(String mountPath) {
        assertThatThrownBy(() -> new BindMount(Path.of("/v"), mountPath, BindMount.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(mountPath);
    }
}
