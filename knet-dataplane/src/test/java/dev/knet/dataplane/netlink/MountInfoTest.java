package dev.knet.dataplane.netlink;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MountInfoTest {

    private static final String SHARED = "42 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw";
    private static final String PRIVATE = "42 27 254:0 /run/netns /run/netns rw,relatime - ext4 /dev/vda rw";
    private static final String NS = "43 42 0:4 net:[4026532177] /run/netns/knet-a rw shared:2 - nsfs nsfs rw";
    private static final String ROOT = "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("shared mount point", List.of(ROOT, SHARED, NS), true),
                Arguments.of("mounted but private", List.of(ROOT, PRIVATE), false),
                Arguments.of("not a mount point (a plain directory on /)", List.of(ROOT, NS), false),
                Arguments.of("a private mount stacked on a shared one", List.of(ROOT, SHARED, PRIVATE), false),
                Arguments.of("no mounts at all", List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sharedMountPoint(String name, List<String> lines, boolean expected) {
        assertThat(MountInfo.isSharedMountPoint(lines, "/run/netns")).isEqualTo(expected);
    }
}
