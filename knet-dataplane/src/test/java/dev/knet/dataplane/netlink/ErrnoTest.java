package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Each errno lands on the kind the iproute2 implementation derives from ip's message for the same refusal. */
class ErrnoTest {

    @ParameterizedTest(name = "{0}: errno {1}")
    @CsvSource({
            "route or address exists,                 17, EXISTS",
            "no such device (Cannot find device),     19, NOT_FOUND",
            "route to delete missing (No such process), 3, NOT_FOUND",
            "address to delete missing,               99, NOT_FOUND",
            "namespace file missing,                   2, NOT_FOUND",
            "not root,                                 1, PERMISSION",
            "bad argument,                            22, INVALID",
            "device down,                            100, OTHER",
            "gateway unreachable,                    101, OTHER"})
    void kinds(String name, int errno, Kind kind) {
        var e = Errno.exception("step", errno);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.stderr()).startsWith("RTNETLINK answers: ");
    }
}
