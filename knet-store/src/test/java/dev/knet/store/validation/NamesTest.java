package dev.knet.store.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTest {

    record Case(String name, Function<String, List<String>> rule, String value, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("label", Names::dns1123Label, "my-name", List.of()),
                new Case("label of digits", Names::dns1123Label, "123", List.of()),
                new Case("label ending in dash", Names::dns1123Label, "web-", List.of(AdmissionFixture.DNS1123_LABEL_MSG)),
                new Case("label of 64", Names::dns1123Label, "a".repeat(64), List.of("must be no more than 63 characters")),
                new Case("subdomain", Names::dns1123Subdomain, "a.b-c.d", List.of()),
                new Case("subdomain with empty label", Names::dns1123Subdomain, "a..b", List.of(AdmissionFixture.DNS1123_SUBDOMAIN_MSG)),
                new Case("1035 label", Names::dns1035Label, "web-1", List.of()),
                new Case("1035 label starting with digit", Names::dns1035Label, "1web", List.of(AdmissionFixture.DNS1035_LABEL_MSG)),
                new Case("wildcard", Names::wildcardDns1123Subdomain, "*.example.com", List.of()),
                new Case("qualified name with prefix", Names::qualifiedName, "example.com/My_Name.v1", List.of()),
                new Case("qualified name of '/'", Names::qualifiedName, "/", List.of("prefix part must be non-empty",
                        "name part must be non-empty", AdmissionFixture.NAME_PART_MSG)),
                new Case("empty label value", Names::labelValue, "", List.of()),
                new Case("port name", Names::portName, "http-alt", List.of()),
                new Case("port name of 16", Names::portName, "abcdefghijklmnop", List.of("must be no more than 15 characters")),
                new Case("port name with dash at end", Names::portName, "http-", List.of("must not begin or end with a hyphen")),
                new Case("port name with underscore", Names::portName, "my_port", List.of(
                        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")),
                new Case("config key", Names::configKey, "app.properties", List.of()),
                new Case("config key starting with ..", Names::configKey, "..data", List.of("must not start with '..'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checksLikeKubernetes(Case c) {
        assertThat(c.rule().apply(c.value())).containsExactlyElementsOf(c.expected());
    }

    @Test
    void hugeValuesAreRefusedWithoutExhaustingTheStack() {
        String huge = "a.".repeat(50_000) + "-";

        assertThat(Names.dns1123Subdomain(huge)).hasSize(2);
        assertThat(Names.qualifiedName("x/" + "a".repeat(100_000) + "-")).hasSize(2);
        assertThat(Names.labelValue("a-".repeat(50_000))).hasSize(2);
        assertThat(Names.wildcardDns1123Subdomain("*." + huge)).hasSize(2);
    }
}
