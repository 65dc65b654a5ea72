package dev.knet.dataplane.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.knet.dataplane.nft.NftObject.Chain;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftObject.KeySpec;
import dev.knet.dataplane.nft.NftObject.NftMap;
import dev.knet.dataplane.nft.NftObject.NftSet;
import dev.knet.dataplane.nft.NftObject.Rule;
import dev.knet.dataplane.nft.NftObject.SetOptions;
import dev.knet.dataplane.nft.NftObject.Table;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FakeNftablesTest {

    static final Table T = new Table(NftFamily.IP, "knet-test");
    static final NftMap VMAP = new NftMap(T, "dispatch", KeySpec.type("ipv4_addr"), "verdict", SetOptions.NONE);
    static final NftSet SET = new NftSet(T, "ips", KeySpec.type("ipv4_addr"), SetOptions.NONE);

    static NftTransaction base() {
        return new NftTransaction().add(T).add(Chain.regular(T, "a")).add(Chain.regular(T, "b")).add(SET).add(VMAP)
                .add(new Rule(T, "a", "ip daddr @ips jump b"))
                .add(Element.of(T, "dispatch", "10.0.0.1", "goto b"));
    }

    record Bad(String name, Consumer<NftTransaction> ops, NftException.Kind kind) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> rejected() {
        return Stream.of(
                new Bad("rule in missing chain", tx -> tx.add(new Rule(T, "nope", "accept")), NftException.Kind.NOT_FOUND),
                new Bad("jump to missing chain", tx -> tx.add(new Rule(T, "a", "jump nope")), NftException.Kind.NOT_FOUND),
                new Bad("lookup in missing set", tx -> tx.add(new Rule(T, "a", "ip saddr @nope drop")), NftException.Kind.NOT_FOUND),
                new Bad("verdict element to missing chain", tx -> tx.add(Element.of(T, "dispatch", "10.0.0.2", "goto nope")), NftException.Kind.NOT_FOUND),
                new Bad("element of missing set", tx -> tx.add(Element.of(T, "nope", "10.0.0.2")), NftException.Kind.NOT_FOUND),
                new Bad("object in missing table", tx -> tx.add(Chain.regular(new Table(NftFamily.IP, "other"), "c")), NftException.Kind.NOT_FOUND),
                new Bad("map key again with another value", tx -> tx.add(Element.of(T, "dispatch", "10.0.0.1", "goto a")), NftException.Kind.EXISTS),
                new Bad("delete missing element", tx -> tx.delete(Element.of(T, "ips", "10.9.9.9")), NftException.Kind.NOT_FOUND),
                new Bad("missing element inside a grouped deletion", tx -> tx.delete(Element.of(T, "ips", "10.1.1.1"))
                        .delete(Element.of(T, "ips", "10.9.9.9")).delete(Element.of(T, "ips", "10.1.1.1")), NftException.Kind.NOT_FOUND),
                new Bad("delete referenced chain", tx -> tx.flush(Chain.regular(T, "a")).delete(Chain.regular(T, "b")), NftException.Kind.OTHER),
                new Bad("delete missing table", tx -> tx.delete(new Table(NftFamily.IP, "other")), NftException.Kind.NOT_FOUND));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsAndKeepsStateUnchanged(Bad row) throws NftException {
        FakeNftables nft = new FakeNftables();
        nft.run(base());
        String before = nft.dump();
        NftTransaction tx = new NftTransaction().add(Element.of(T, "ips", "10.1.1.1"));
        row.ops().accept(tx);
        NftException e = catchThrowableOfType(NftException.class, () -> nft.run(tx));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(row.kind());
        assertThat(e.stderr()).contains("Error:");
        assertThat(nft.dump()).isEqualTo(before);
    }

    /** The fake applies operations, not text: what nft receives as grouped statements must land the same. */
    @Test
    void appliesElementRunsThatRenderAsGroupedStatements() throws NftException {
        FakeNftables nft = new FakeNftables();
        nft.run(base());
        NftTransaction tx = new NftTransaction();
        int count = NftTransaction.ELEMENTS_PER_LINE + 500;
        for (int i = 0; i < count; i++) {
            tx.add(Element.of(T, "ips", ip(i)));
        }
        for (int i = 0; i < count; i += 2) {
            tx.delete(Element.of(T, "ips", ip(i)));
        }
        tx.add(Element.of(T, "ips", ip(0)));
        assertThat(tx.toString().lines()).as("two add statements, one delete, one add").hasSize(4);

        nft.run(tx);

        var elements = nft.state().tables().get(T).sets().get("ips").elements().keySet();
        assertThat(elements).hasSize(count / 2 + 1).contains(ip(0), ip(1), ip(count - 1)).doesNotContain(ip(2));
    }

    static String ip(int i) {
        return "10.1." + (i / 256) + "." + (i % 256);
    }

    @Test
    void dumpIsSortedAndReplaysToTheSameState() throws NftException {
        FakeNftables nft = new FakeNftables();
        nft.run(base().add(Element.of(T, "ips", "10.0.0.9")).add(Element.of(T, "ips", "10.0.0.3")));
        String dump = nft.dump();
        assertThat(dump).isEqualTo("""
                add table ip knet-test
                add chain ip knet-test a
                add chain ip knet-test b
                add map ip knet-test dispatch { type ipv4_addr : verdict ; }
                add set ip knet-test ips { type ipv4_addr ; }
                add rule ip knet-test a ip daddr @ips jump b
                add element ip knet-test dispatch { 10.0.0.1 : goto b }
                add element ip knet-test ips { 10.0.0.3 }
                add element ip knet-test ips { 10.0.0.9 }
                """);
    }

    @Test
    void deleteTableThenRecreateReplacesEverythingAtomically() throws NftException {
        FakeNftables nft = new FakeNftables();
        nft.run(base());
        nft.run(new NftTransaction().add(T).delete(T).add(T).add(Chain.regular(T, "only")));
        assertThat(nft.dump()).isEqualTo("add table ip knet-test\nadd chain ip knet-test only\n");
        assertThat(nft.transactions()).isEqualTo(2);
    }

    @Test
    void flushTableEmptiesChainsAndSetsButKeepsThem() throws NftException {
        FakeNftables nft = new FakeNftables();
        nft.run(base());
        nft.run(new NftTransaction().flush(T));
        assertThat(nft.state().table(T).orElseThrow().chains().get("a").rules()).isEmpty();
        assertThat(nft.state().table(T).orElseThrow().sets().get("dispatch").elements()).isEmpty();
    }

    @Test
    void canBeMadeToFailOnce() throws NftException {
        FakeNftables nft = new FakeNftables();
        nft.failNextRun(new NftException(NftException.Kind.OTHER, "boom", "Error: boom"));
        assertThat(catchThrowableOfType(NftException.class, () -> nft.run(base()))).hasMessage("boom");
        nft.run(base());
        assertThat(nft.transactions()).isEqualTo(1);
    }

    @Test
    void listsOneChainOrSetAndReportsMissingOnesAsNotFound() throws NftException {
        FakeNftables nft = new FakeNftables();
        nft.run(base().add(Element.of(T, "ips", "10.0.0.9")));
        assertThat(nft.list(Chain.regular(T, "a"))).isEqualTo("add chain ip knet-test a\nadd rule ip knet-test a ip daddr @ips jump b\n");
        assertThat(nft.list(SET)).contains("add element ip knet-test ips { 10.0.0.9 }");
        assertThat(nft.list(T)).contains("add table ip knet-test", "10.0.0.9", "jump b");
        assertThat(catchThrowableOfType(NftException.class, () -> nft.list(Chain.regular(T, "nope"))).kind())
                .isEqualTo(NftException.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(NftException.class, () -> nft.list(new Table(NftFamily.IP, "other"))).kind())
                .isEqualTo(NftException.Kind.NOT_FOUND);
    }
}
