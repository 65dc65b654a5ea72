package dev.knet.dataplane.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knet.dataplane.nft.NftObject.Chain;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftObject.KeySpec;
import dev.knet.dataplane.nft.NftObject.NftSet;
import dev.knet.dataplane.nft.NftObject.Rule;
import dev.knet.dataplane.nft.NftObject.SetOptions;
import dev.knet.dataplane.nft.NftObject.Table;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** libnftables through FFM, pinned into a scratch namespace; the nft binary checks what landed where. */
@Tag("lab")
class LibNftablesLabTest {

    static final Table T = new Table(NftFamily.IP, "knet-libnft");

    @Test
    void refusesToRunWithoutANamespace() {
        assertThatThrownBy(() -> new LibNftables("")).hasMessageContaining("root namespace");
    }

    @Test
    void appliesTransactionsInsideTheNamespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
        assumeTrue(LibNftables.isAvailable(), "libnftables.so.1 is not installed");
        String ns = "knet-nfttest-" + ThreadLocalRandom.current().nextInt(1_000_000);
        assertThat(new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor()).isZero();
        try (LibNftables nft = new LibNftables(ns)) {
            nft.run(new NftTransaction().add(T).add(Chain.regular(T, "c"))
                    .add(new NftSet(T, "ips", KeySpec.type("ipv4_addr"), SetOptions.NONE))
                    .add(new Rule(T, "c", "ip daddr @ips accept"))
                    .add(Element.of(T, "ips", "10.0.0.1")));
            nft.run(new NftTransaction().add(Element.of(T, "ips", "10.0.0.2")));
            assertThat(nft.dump()).contains("10.0.0.1", "10.0.0.2");
            assertThat(new NftCommand(ns).list(T)).contains("10.0.0.2");

            NftException missing = catchThrowableOfType(NftException.class,
                    () -> nft.run(new NftTransaction().add(new Rule(T, "nope", "accept"))));
            assertThat(missing.kind()).isEqualTo(NftException.Kind.NOT_FOUND);
            assertThat(missing.stderr()).contains("nope");

            assertThat(nft.list(Chain.regular(T, "c"))).contains("ip daddr @ips accept");
            String home = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self/ns/net")).toString();
            nft.run(new NftTransaction().add(Element.of(T, "ips", "10.0.0.3")));
            assertThat(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self/ns/net")).toString())
                    .as("the calling thread is back in its own namespace").isEqualTo(home);
            java.util.concurrent.atomic.AtomicReference<Throwable> fromVirtual = new java.util.concurrent.atomic.AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    nft.dump();
                } catch (Throwable t) {
                    fromVirtual.set(t);
                }
            }).join();
            assertThat(fromVirtual.get()).as("a virtual thread could change carrier inside the namespace")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("platform thread");
        } finally {
            new ProcessBuilder("ip", "netns", "delete", ns).inheritIO().start().waitFor();
        }
    }

    /** Grouped element statements (adds, then deletes, in lists longer than one statement) land as the fake says. */
    @Test
    void groupedElementStatementsMatchTheFake() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
        assumeTrue(LibNftables.isAvailable(), "libnftables.so.1 is not installed");
        String ns = "knet-nfttest-" + ThreadLocalRandom.current().nextInt(1_000_000);
        NftSet set = new NftSet(T, "ips", KeySpec.type("ipv4_addr"), SetOptions.NONE);
        NftTransaction tx = new NftTransaction().add(T).add(set);
        int count = 2 * NftTransaction.ELEMENTS_PER_LINE + 300;
        for (int i = 0; i < count; i++) {
            tx.add(Element.of(T, "ips", FakeNftablesTest.ip(i)));
        }
        for (int i = 0; i < count; i += 3) {
            tx.delete(Element.of(T, "ips", FakeNftablesTest.ip(i)));
        }
        tx.add(Element.of(T, "ips", FakeNftablesTest.ip(0)));
        FakeNftables fake = new FakeNftables();
        fake.run(tx);
        assertThat(new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor()).isZero();
        try (LibNftables nft = new LibNftables(ns)) {
            nft.run(tx);
            java.util.Set<String> kernel = java.util.regex.Pattern.compile("10\\.1\\.\\d+\\.\\d+").matcher(nft.list(set))
                    .results().map(java.util.regex.MatchResult::group).collect(java.util.stream.Collectors.toSet());
            assertThat(kernel).hasSize(count - count / 3)
                    .isEqualTo(fake.state().tables().get(T).sets().get("ips").elements().keySet());
        } finally {
            new ProcessBuilder("ip", "netns", "delete", ns).inheritIO().start().waitFor();
        }
    }

    @Test
    void aMissingNamespaceIsNotFound() {
        assumeTrue(LibNftables.isAvailable(), "libnftables.so.1 is not installed");
        NftException e = catchThrowableOfType(NftException.class, () -> new LibNftables("knet-no-such-ns-" + System.nanoTime()));
        assertThat(e.kind()).isEqualTo(NftException.Kind.NOT_FOUND);
    }
}
