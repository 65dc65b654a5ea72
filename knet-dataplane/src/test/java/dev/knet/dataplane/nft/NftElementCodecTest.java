package dev.knet.dataplane.nft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.knet.dataplane.netlink.NfElementOp;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftObject.KeySpec;
import dev.knet.dataplane.nft.NftObject.NftMap;
import dev.knet.dataplane.nft.NftObject.NftSet;
import dev.knet.dataplane.nft.NftObject.SetOptions;
import dev.knet.dataplane.nft.NftObject.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binary element form, checked against what {@code nft --debug=netlink} prints for the same elements, and
 * the cases that must be left to libnftables.
 */
class NftElementCodecTest {

    static final Table T = new Table(NftFamily.IP, "t");
    static final NftMap BACKENDS = new NftMap(T, "b", KeySpec.typeOf("ip daddr . meta l4proto . th dport . numgen random mod 1"),
            "ip daddr . tcp dport", SetOptions.NONE);
    static final NftMap VIPS = new NftMap(T, "s", KeySpec.type("ipv4_addr . inet_proto . inet_service"), "verdict", SetOptions.NONE);
    static final NftSet PAIRS = new NftSet(T, "h", KeySpec.type("ipv4_addr . ipv4_addr"), SetOptions.NONE);
    static final NftSet PORTS = new NftSet(T, "p", KeySpec.type("inet_service"), SetOptions.NONE);
    static final NftSet RANGES = new NftSet(T, "r", KeySpec.type("ipv4_addr"), new SetOptions(List.of("interval"), null, 0));
    static final NftSet MARKS = new NftSet(T, "m", KeySpec.type("mark"), SetOptions.NONE);

    private static NftElementCodec learned() {
        NftElementCodec codec = new NftElementCodec();
        codec.learn(new NftTransaction().add(T).add(BACKENDS).add(VIPS).add(PAIRS).add(PORTS).add(MARKS));
        return codec;
    }

    /** A 32-bit word as nft's debug output prints it: in host order. */
    private static String words(String... hostOrderWords) {
        ByteBuffer b = ByteBuffer.allocate(4 * hostOrderWords.length).order(ByteOrder.nativeOrder());
        for (String w : hostOrderWords) {
            b.putInt(Integer.parseUnsignedInt(w, 16));
        }
        return HexFormat.of().formatHex(b.array());
    }

    private static NfElementOp only(NftElementCodec codec, NftTransaction tx) {
        List<NfElementOp> ops = codec.encode(tx).orElseThrow();
        assertThat(ops).hasSize(1);
        return ops.getFirst();
    }

    @Test
    void keysAndValuesAreLaidOutAsNftSendsThem() {
        record Row(String name, NftTransaction tx, String key, String value) {
        }
        List<Row> rows = List.of(
                // nft --debug=netlink: element 0a00600a 00000006 00005000 00000003 : 0501f40a 0000901f
                new Row("typeof concatenation with a numgen bucket, mapping to address . port",
                        new NftTransaction().add(Element.of(T, "b", "10.96.0.10 . tcp . 80 . 3", "10.244.1.5 . 8080")),
                        words("0a00600a", "00000006", "00005000", "00000003"), words("0501f40a", "0000901f")),
                // element 0a00600a 00000011 00003500 : goto -> svc-5
                new Row("type concatenation mapping to a verdict",
                        new NftTransaction().add(Element.of(T, "s", "10.96.0.10 . udp . 53", "goto svc-5")),
                        words("0a00600a", "00000011", "00003500"), null),
                // element 0100000a 0200000a
                new Row("two addresses", new NftTransaction().add(Element.of(T, "h", "10.0.0.1 . 10.0.0.2")),
                        words("0100000a", "0200000a"), null),
                new Row("a single port is two bytes, not padded", new NftTransaction().add(Element.of(T, "p", "8080")),
                        "1f90", null));
        NftElementCodec codec = learned();
        for (Row row : rows) {
            NfElementOp op = only(codec, row.tx());
            assertThat(op.add()).as(row.name()).isTrue();
            assertThat(op.family()).as(row.name()).isEqualTo(2);
            assertThat(HexFormat.of().formatHex(op.elements().getFirst().key())).as(row.name()).isEqualTo(row.key());
            if (row.value() != null) {
                assertThat(op.elements().getFirst().data()).as(row.name()).isInstanceOfSatisfying(NfElementOp.Value.class,
                        v -> assertThat(HexFormat.of().formatHex(v.bytes())).isEqualTo(row.value()));
            }
        }
        assertThat(only(codec, rows.get(1).tx()).elements().getFirst().data())
                .isEqualTo(new NfElementOp.Verdict(NfElementOp.Verdict.GOTO, "svc-5"));
    }

    @Test
    void verdictsAreRead() {
        record Row(String text, NfElementOp.Verdict verdict) {
        }
        NftElementCodec codec = learned();
        for (Row row : List.of(new Row("drop", new NfElementOp.Verdict(0, null)), new Row("accept", new NfElementOp.Verdict(1, null)),
                new Row("jump c", new NfElementOp.Verdict(-3, "c")), new Row("goto reject-chain", new NfElementOp.Verdict(-4, "reject-chain")),
                new Row("return", new NfElementOp.Verdict(-5, null)))) {
            NfElementOp op = only(codec, new NftTransaction().add(Element.of(T, "s", "10.0.0.1 . tcp . 1", row.text())));
            assertThat(op.elements().getFirst().data()).as(row.text()).isEqualTo(row.verdict());
        }
    }

    @Test
    void runsOfTheSameSetAndVerbBecomeOneOperationInOrder() {
        NftTransaction tx = new NftTransaction()
                .add(Element.of(T, "h", "10.0.0.1 . 10.0.0.1")).add(Element.of(T, "h", "10.0.0.2 . 10.0.0.2"))
                .delete(Element.of(T, "h", "10.0.0.3 . 10.0.0.3"))
                .add(Element.of(T, "p", "80")).add(Element.of(T, "h", "10.0.0.4 . 10.0.0.4"));
        List<NfElementOp> ops = learned().encode(tx).orElseThrow();
        assertThat(ops).extracting(op -> (op.add() ? "add " : "delete ") + op.set() + " " + op.elements().size())
                .containsExactly("add h 2", "delete h 1", "add p 1", "add h 1");
        assertThat(ops.get(1).elements().getFirst().data()).as("a delete carries the key only").isNull();
    }

    @Test
    void whatTheCodecCannotWriteIsLeftToLibnftables() {
        record Row(String name, NftTransaction tx) {
        }
        NftElementCodec codec = learned();
        codec.learn(new NftTransaction().add(RANGES));
        List<Row> rows = List.of(
                new Row("a set never declared through this handle", new NftTransaction().add(Element.of(T, "other", "10.0.0.1"))),
                new Row("an interval set", new NftTransaction().add(Element.of(T, "r", "10.0.0.0/24"))),
                new Row("a type it does not know", new NftTransaction().add(Element.of(T, "m", "0x10"))),
                new Row("an element with a timeout", new NftTransaction().add(Element.of(T, "h", "10.0.0.1 . 10.0.0.2 timeout 5s"))),
                new Row("too few fields", new NftTransaction().add(Element.of(T, "h", "10.0.0.1"))),
                new Row("an address out of range", new NftTransaction().add(Element.of(T, "h", "10.0.0.256 . 10.0.0.1"))),
                new Row("a port out of range", new NftTransaction().add(Element.of(T, "p", "65536"))),
                new Row("a named service", new NftTransaction().add(Element.of(T, "p", "http"))),
                new Row("a map element without its value", new NftTransaction().add(Element.of(T, "s", "10.0.0.1 . tcp . 1"))),
                new Row("a set element with a value", new NftTransaction().add(Element.of(T, "p", "80", "drop"))),
                new Row("an unknown verdict", new NftTransaction().add(Element.of(T, "s", "10.0.0.1 . tcp . 1", "queue"))),
                new Row("elements beside a rule",
                        new NftTransaction().add(Element.of(T, "p", "80")).add(new NftObject.Rule(T, "c", "accept"))),
                new Row("a flush", new NftTransaction().flush(PORTS)));
        for (Row row : rows) {
            assertThat(codec.encode(row.tx())).as(row.name()).isEmpty();
        }
    }

    @Test
    void deletingASetOrItsTableForgetsIt() {
        NftElementCodec codec = learned();
        NftTransaction add = new NftTransaction().add(Element.of(T, "p", "80"));
        assertThat(codec.encode(add)).isPresent();
        codec.learn(new NftTransaction().delete(PORTS));
        assertThat(codec.encode(add)).isEmpty();
        NftTransaction pair = new NftTransaction().add(Element.of(T, "h", "10.0.0.1 . 10.0.0.2"));
        codec.learn(new NftTransaction().delete(new Table(NftFamily.INET, "t")));
        assertThat(codec.encode(pair)).as("another family's table of the same name").isPresent();
        codec.learn(new NftTransaction().delete(T));
        assertThat(codec.encode(pair)).isEmpty();
    }
}
