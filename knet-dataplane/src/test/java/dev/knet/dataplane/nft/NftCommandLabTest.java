package dev.knet.dataplane.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knet.dataplane.nft.NftObject.Chain;
import dev.knet.dataplane.nft.NftObject.Rule;
import dev.knet.dataplane.nft.NftObject.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs the real nft in a scratch namespace this test creates and always removes. */
@Tag("lab")
class NftCommandLabTest {

    static final Table T = new Table(NftFamily.IP, "knet-lab");

    @Test
    void appliesTransactionsAndReportsErrorKinds() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft")), "nft is not installed");
        String ns = "knet-nfttest-" + ThreadLocalRandom.current().nextInt(1_000_000);
        assertThat(new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor()).isZero();
        try {
            NftCommand nft = new NftCommand(ns);
            nft.run(new NftTransaction().add(T).add(Chain.regular(T, "c")).add(new Rule(T, "c", "ip daddr 10.0.0.1 accept")));
            assertThat(nft.list(T)).contains("ip daddr 10.0.0.1 accept");

            NftException missing = catchThrowableOfType(NftException.class,
                    () -> nft.run(new NftTransaction().add(new Rule(T, "nope", "accept"))));
            assertThat(missing.kind()).isEqualTo(NftException.Kind.NOT_FOUND);
            assertThat(missing.stderr()).contains("nope");

            NftException syntax = catchThrowableOfType(NftException.class,
                    () -> nft.run(new NftTransaction().add(new Rule(T, "c", "ip daddr bogus-word accept"))));
            assertThat(syntax.kind()).isIn(NftException.Kind.SYNTAX, NftException.Kind.OTHER);
        } finally {
            new ProcessBuilder("ip", "netns", "delete", ns).inheritIO().start().waitFor();
        }
    }
}
