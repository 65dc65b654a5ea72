package dev.knet.dataplane.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NftCommandTest {

    @Test
    void refusesToRunWithoutANamespace() {
        assertThatThrownBy(() -> new NftCommand(null)).hasMessageContaining("root namespace");
        assertThatThrownBy(() -> new NftCommand(" ")).hasMessageContaining("root namespace");
        assertThatThrownBy(() -> new NftCommand("a;b")).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("missing table", "Error: No such file or directory\nadd chain ip x c", NftException.Kind.NOT_FOUND),
                Arguments.of("duplicate element", "Error: Could not process rule: File exists", NftException.Kind.EXISTS),
                Arguments.of("bad syntax", "Error: syntax error, unexpected numgen", NftException.Kind.SYNTAX),
                Arguments.of("bad types", "Error: datatype mismatch, map expects", NftException.Kind.SYNTAX),
                Arguments.of("busy", "Error: Could not process rule: Device or resource busy", NftException.Kind.OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void classifiesNftErrors(String name, String stderr, NftException.Kind kind) {
        assertThat(NftException.classify(stderr)).isEqualTo(kind);
    }
}
