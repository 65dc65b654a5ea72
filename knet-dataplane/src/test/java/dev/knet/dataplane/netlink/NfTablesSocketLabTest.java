package dev.knet.dataplane.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.LabAssumptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The socket believes only the kernel's acknowledgement: a batch the kernel drops without an answer is an error,
 * not a success, and an answered batch is applied.
 */
@Tag("lab")
class NfTablesSocketLabTest {

    private static final int NFPROTO_IPV4 = 2;

    private String ns;

    @BeforeEach
    void namespace() throws Exception {
        LabAssumptions.assumeLab();
        ns = LabAssumptions.uniquePrefix() + "-nfsock";
        run("ip", "netns", "add", ns);
        run("ip", "netns", "exec", ns, "nft", "add table ip t; add set ip t s { type ipv4_addr; }");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            new ProcessBuilder("ip", "netns", "delete", ns).inheritIO().start().waitFor();
        }
    }

    @Test
    void anAcknowledgedBatchIsApplied() throws Exception {
        try (NfTablesSocket socket = NfTablesSocket.open(ns)) {
            socket.commit(List.of(add("10.0.0.1", "10.0.0.2")));
            socket.commit(List.of(add("10.0.0.3")));
        }
        assertThat(elements()).contains("10.0.0.1", "10.0.0.2", "10.0.0.3");
    }

    @Test
    void aBatchDroppedWithoutAnAnswerIsAnError() throws Exception {
        try (NfTablesSocket socket = NfTablesSocket.open(ns)) {
            // the element message claims more bytes than the batch holds: the kernel drops the batch and says nothing
            DataplaneException e = catchThrowableOfType(DataplaneException.class,
                    () -> socket.commit(List.of(add("10.0.0.7")), NfTablesSocketLabTest::overlongElementMessage));
            assertThat(e.kind()).isEqualTo(DataplaneException.Kind.IO);
            assertThat(e.getMessage()).contains("neither applied nor refused");

            socket.commit(List.of(add("10.0.0.8")));
        }
        assertThat(elements()).contains("10.0.0.8").doesNotContain("10.0.0.7");
    }

    @Test
    void aRefusalIsReportedWithTheMessageThatCausedIt() throws Exception {
        try (NfTablesSocket socket = NfTablesSocket.open(ns)) {
            DataplaneException e = catchThrowableOfType(DataplaneException.class, () -> socket.commit(List.of(
                    add("10.0.0.4"), new NfElementOp(false, NFPROTO_IPV4, "t", "s", List.of(element("10.0.0.9"))))));
            assertThat(e.kind()).isEqualTo(DataplaneException.Kind.NOT_FOUND);
            assertThat(e.getMessage()).contains("delete element");
            socket.commit(List.of(add("10.0.0.5")));
        }
        assertThat(elements()).contains("10.0.0.5").doesNotContain("10.0.0.4");
    }

    private static List<byte[]> overlongElementMessage(List<byte[]> messages) {
        List<byte[]> out = new ArrayList<>(messages);
        byte[] element = out.get(1).clone();
        ByteBuffer.wrap(element).order(ByteOrder.nativeOrder()).putInt(0, 1 << 20);
        out.set(1, element);
        return out;
    }

    private static NfElementOp add(String... addresses) {
        List<NfElementOp.Element> elements = new ArrayList<>();
        for (String a : addresses) {
            elements.add(element(a));
        }
        return new NfElementOp(true, NFPROTO_IPV4, "t", "s", elements);
    }

    private static NfElementOp.Element element(String address) {
        byte[] key = new byte[4];
        String[] octets = address.split("\\.");
        for (int i = 0; i < 4; i++) {
            key[i] = (byte) Integer.parseInt(octets[i]);
        }
        return new NfElementOp.Element(key, null);
    }

    private String elements() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "list", "set", "ip", "t", "s").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return out;
    }

    private static void run(String... command) throws Exception {
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }
}
