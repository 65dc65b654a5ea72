package dev.knet.dataplane.netlink;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guard is tried from the test's own thread, which is in the namespace the process started in. */
class HostNetnsGuardTest {

    @Test
    void refusesTheProcessesOwnNamespace() {
        assertThatThrownBy(() -> HostNetnsGuard.requireAwayFromHost("knet-x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("host's network namespace");
    }

    @Test
    void identitiesAreNamespaceLinks() {
        assertThat(HostNetnsGuard.identity(Path.of("/proc/thread-self/ns/net"))).hasValueSatisfying(
                id -> assertThat(id).startsWith("net:["));
        assertThat(HostNetnsGuard.identity(Path.of("/nonexistent"))).isEmpty();
    }
}
