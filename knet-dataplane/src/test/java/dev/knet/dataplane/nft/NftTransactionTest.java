package dev.knet.dataplane.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.knet.dataplane.nft.NftObject.Chain;
import dev.knet.dataplane.nft.NftObject.ChainType;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftObject.Hook;
import dev.knet.dataplane.nft.NftObject.KeySpec;
import dev.knet.dataplane.nft.NftObject.NftMap;
import dev.knet.dataplane.nft.NftObject.NftSet;
import dev.knet.dataplane.nft.NftObject.Rule;
import dev.knet.dataplane.nft.NftObject.SetOptions;
import dev.knet.dataplane.nft.NftObject.Table;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NftTransactionTest {

    static final Table T = new Table(NftFamily.IP, "knet-test");

    @Test
    void rendersExactNftText() {
        NftTransaction tx = new NftTransaction()
                .add(T)
                .delete(T)
                .add(T)
                .add(Chain.base(T, "nat-prerouting", ChainType.NAT, Hook.PREROUTING, -100))
                .add(Chain.regular(T, "services"))
                .add(new NftMap(T, "backends", KeySpec.typeOf("ip daddr . th dport"), "ip daddr . th dport", SetOptions.NONE))
                .add(new NftSet(T, "seen", KeySpec.type("ipv4_addr"),
                        new SetOptions(List.of("dynamic", "timeout"), Duration.ofHours(3), 65535)))
                .add(new Rule(T, "nat-prerouting", "jump services"))
                .add(Element.of(T, "backends", "10.96.0.1 . 80", "10.244.0.2 . 8080"))
                .add(Element.of(T, "backends", "10.96.0.2 . 80", "10.244.0.3 . 8080"))
                .add(Element.of(T, "seen", "10.0.0.1"))
                .delete(Element.of(T, "seen", "10.0.0.1"))
                .flush(Chain.regular(T, "services"));
        assertThat(tx.toString()).isEqualTo("""
                add table ip knet-test
                delete table ip knet-test
                add table ip knet-test
                add chain ip knet-test nat-prerouting { type nat hook prerouting priority -100 ; }
                add chain ip knet-test services
                add map ip knet-test backends { typeof ip daddr . th dport : ip daddr . th dport ; }
                add set ip knet-test seen { type ipv4_addr ; size 65535 ; flags dynamic,timeout ; timeout 10800s ; }
                add rule ip knet-test nat-prerouting jump services
                add element ip knet-test backends { 10.96.0.1 . 80 : 10.244.0.2 . 8080, 10.96.0.2 . 80 : 10.244.0.3 . 8080 }
                add element ip knet-test seen { 10.0.0.1 }
                delete element ip knet-test seen { 10.0.0.1 }
                flush chain ip knet-test services
                """);
    }

    static final Table T2 = new Table(NftFamily.INET, "knet-test");

    record Grouping(String name, NftTransaction tx, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Grouping> groupings() {
        return Stream.of(
                new Grouping("deletions on one map list keys only",
                        new NftTransaction()
                                .delete(Element.of(T, "m", "10.96.0.1 . 80", "10.244.0.2 . 8080"))
                                .delete(Element.of(T, "m", "10.96.0.2 . 80", "10.244.0.3 . 8080")),
                        "delete element ip knet-test m { 10.96.0.1 . 80, 10.96.0.2 . 80 }\n"),
                new Grouping("a deletion between additions splits the additions, keeping order",
                        new NftTransaction()
                                .add(Element.of(T, "s", "10.0.0.1"))
                                .delete(Element.of(T, "s", "10.0.0.2"))
                                .delete(Element.of(T, "s", "10.0.0.3"))
                                .add(Element.of(T, "s", "10.0.0.2")),
                        """
                        add element ip knet-test s { 10.0.0.1 }
                        delete element ip knet-test s { 10.0.0.2, 10.0.0.3 }
                        add element ip knet-test s { 10.0.0.2 }
                        """),
                new Grouping("another set, table or family starts a new statement",
                        new NftTransaction()
                                .add(Element.of(T, "s", "10.0.0.1"))
                                .add(Element.of(T, "s", "10.0.0.2"))
                                .add(Element.of(T, "u", "10.0.0.3"))
                                .add(Element.of(T2, "u", "10.0.0.4"))
                                .add(Element.of(new Table(NftFamily.IP, "knet-other"), "u", "10.0.0.5")),
                        """
                        add element ip knet-test s { 10.0.0.1, 10.0.0.2 }
                        add element ip knet-test u { 10.0.0.3 }
                        add element inet knet-test u { 10.0.0.4 }
                        add element ip knet-other u { 10.0.0.5 }
                        """),
                new Grouping("a flush between element runs is kept in place",
                        new NftTransaction()
                                .delete(Element.of(T, "s", "10.0.0.1"))
                                .flush(new NftSet(T, "s", KeySpec.type("ipv4_addr"), SetOptions.NONE))
                                .delete(Element.of(T, "s", "10.0.0.2"))
                                .add(Element.of(T, "s", "10.0.0.3")),
                        """
                        delete element ip knet-test s { 10.0.0.1 }
                        flush set ip knet-test s
                        delete element ip knet-test s { 10.0.0.2 }
                        add element ip knet-test s { 10.0.0.3 }
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupings")
    void groupsRunsOfElementOperationsOnOneSet(Grouping row) {
        assertThat(row.tx().toString()).isEqualTo(row.text());
    }

    @Test
    void splitsLongDeletionListsIntoStatementsOfBoundedSize() {
        NftTransaction tx = new NftTransaction();
        for (int i = 0; i < 2 * NftTransaction.ELEMENTS_PER_LINE + 1; i++) {
            tx.delete(Element.of(T, "seen", "10.0." + (i / 256) + "." + (i % 256)));
        }
        List<String> lines = tx.toString().lines().toList();
        assertThat(lines).hasSize(3).allMatch(l -> l.startsWith("delete element ip knet-test seen { "));
        assertThat(lines.get(2)).isEqualTo("delete element ip knet-test seen { 10.0.7.208 }");
    }

    @Test
    void splitsLongElementListsIntoLinesOfBoundedSize() {
        NftTransaction tx = new NftTransaction();
        for (int i = 0; i < NftTransaction.ELEMENTS_PER_LINE + 1; i++) {
            tx.add(Element.of(T, "seen", "10.0." + (i / 256) + "." + (i % 256)));
        }
        assertThat(tx.toString().lines()).hasSize(2);
    }

    @Test
    void rejectsNamesThatWouldBreakTheText() {
        assertThatThrownBy(() -> Chain.regular(T, "a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rule(T, "c", "accept\ndrop")).isInstanceOf(IllegalArgumentException.class);
    }
}
